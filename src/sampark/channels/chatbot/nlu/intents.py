"""The intents the chatbot tells apart; the dialogue engine keys its flows on these names."""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "no_supply",  # my power is off (report a supply failure)
    "outage_info",  # is there a cut in my area, why, when will it be back (ETR)
    "voltage",  # low/high/fluctuating voltage
    "transformer",  # transformer burnt, noisy, overloaded
    "line_fault",  # conductor/jumper/pole fault without immediate danger
    "safety_hazard",  # live wire on the ground, shock from a pole, sparking: send someone now
    "billing",  # wrong, high, missing bill; payment
    "meter",  # faulty, fast, burnt meter; readings; prepaid recharge
    "new_connection",  # new connection, load change, disconnection, name transfer
    "complaint_status",  # what happened to my complaint
    "compensation",  # compensation under the supply-standards regulations
    "human_agent",  # let me talk to a person
    "greeting",
    "thanks",
    "out_of_scope",  # anything else
)
OUT_OF_SCOPE = "out_of_scope"
SCRIPTS: tuple[str, ...] = ("hi", "hinglish", "en")
