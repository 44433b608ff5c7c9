"""What the 1912 agent says, in Hindi and in English: greeting, what to ask for each complaint
category, safety advice where a hazard is possible, and the closing line with the complaint
number and its time limit. Spoken to the caller, so written here in both languages (like the
notification templates) rather than through the UI catalog: a Hindi-speaking agent may still
need the English script for an English-speaking caller.

Also the complaint number grouped and spelled out digit by digit for reading over the phone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sampark.complaints.models import Category
from sampark.outages.models import Outage
from sampark.outages.wording import when_text

LANGUAGES = ("hi", "en")

GREETING = {
    "hi": "नमस्कार, 1912 बिजली सहायता केंद्र में आपका स्वागत है। मेरा नाम {agent} है। "
    "बताइए, मैं आपकी क्या मदद करूँ?",
    "en": "Namaskar, welcome to the 1912 electricity helpline. My name is {agent}. "
    "How may I help you?",
}
IDENTIFY = {
    "hi": "कृपया अपना 10 अंकों का खाता संख्या या पंजीकृत मोबाइल नंबर बताइए।",
    "en": "Please tell me your 10-digit account number or your registered mobile number.",
}
CONFIRM = {
    "hi": "क्या आप {name} जी के कनेक्शन के बारे में बात कर रहे हैं{address}?",
    "en": "Are you calling about the connection of {name}{address}?",
}
ADDRESS = {"hi": ", पता {address}", "en": " at {address}"}
UNREGISTERED = {
    "hi": "कृपया अपना मोबाइल नंबर और जगह का पूरा पता, पास का कोई निशान (खंभा नंबर, दुकान, मंदिर) बताइए।",
    "en": "Please tell me your mobile number and the full address of the place, with a landmark "
    "nearby (pole number, shop, temple).",
}
OUTAGE = {
    "hi": "आपके क्षेत्र की बिजली इस कारण बंद है: {reason}। बिजली {etr} तक आने की संभावना है।",
    "en": "Power in your area is off because of: {reason}. It is expected back by {etr}.",
}
OUTAGE_LATE = {
    "hi": "बहाली में अनुमान से अधिक समय लग रहा है; टीम काम पर है और नया समय मिलते ही आपको सूचना मिलेगी।",
    "en": "Restoration is taking longer than estimated; the team is at work and you will be told "
    "the new time as soon as it is known.",
}
CLOSING = {
    "hi": "आपकी शिकायत संख्या {number} है। इसका समाधान {limit} के भीतर{due} किया जाएगा। "
    "आपको मोबाइल पर भी सूचना मिलेगी। 1912 पर फ़ोन करने के लिए धन्यवाद।",
    "en": "Your complaint number is {number}. It will be resolved within {limit}{due}. "
    "You will also get updates on your mobile. Thank you for calling 1912.",
}
CLOSING_DUE = {"hi": ", {due} तक,", "en": ", by {due}"}
NUMBER_BLANK = "____"

ASK: dict[str, dict[str, tuple[str, ...]]] = {
    Category.NO_SUPPLY: {
        "hi": (
            "क्या केवल आपके घर की बिजली गई है या पूरे मोहल्ले की?",
            "बिजली कब से नहीं है?",
            "क्या मीटर पर कोई बत्ती जल रही है?",
        ),
        "en": (
            "Is it only your house, or the whole neighbourhood?",
            "Since when has the power been off?",
            "Is any light on the meter on?",
        ),
    },
    Category.LINE_BREAKDOWN: {
        "hi": (
            "तार कहाँ टूटा है? पास का कोई निशान (खंभा नंबर, दुकान, मंदिर) बताइए।",
            "क्या तार ज़मीन पर पड़ा है या सड़क के ऊपर लटक रहा है?",
        ),
        "en": (
            "Where is the line broken? A landmark nearby (pole number, shop, temple)?",
            "Is the wire lying on the ground or hanging over the road?",
        ),
    },
    Category.DT_FAILURE: {
        "hi": (
            "ट्रांसफार्मर कहाँ लगा है? पास का निशान बताइए।",
            "क्या ट्रांसफार्मर से धुआँ, आग या तेल निकल रहा है?",
            "कितने घरों की बिजली गई है?",
        ),
        "en": (
            "Where is the transformer? A landmark nearby?",
            "Is there smoke, fire or oil coming from the transformer?",
            "How many houses are without power?",
        ),
    },
    Category.UG_CABLE: {
        "hi": (
            "केबल कहाँ खराब है? गली या सड़क का नाम बताइए।",
            "क्या कहीं से धुआँ या चिंगारी दिख रही है?",
        ),
        "en": (
            "Where is the cable fault? The name of the lane or road?",
            "Is there smoke or sparking anywhere?",
        ),
    },
    Category.SUBSTATION_LOW_VOLTAGE: {
        "hi": (
            "क्या बल्ब मद्धम जल रहे हैं या पंखे धीरे चल रहे हैं?",
            "यह कब से है, और दिन में किस समय ज़्यादा होता है?",
        ),
        "en": (
            "Are the bulbs dim or the fans slow?",
            "Since when, and at what time of day is it worst?",
        ),
    },
    Category.VOLTAGE_FLUCTUATION: {
        "hi": (
            "वोल्टेज कितनी बार ऊपर-नीचे होता है?",
            "क्या इससे कोई उपकरण खराब हुआ है?",
        ),
        "en": (
            "How often does the voltage go up and down?",
            "Has any appliance been damaged by it?",
        ),
    },
    Category.METER: {
        "hi": (
            "मीटर में क्या खराबी है: बंद है, जला हुआ है, या तेज़ चल रहा है?",
            "मीटर नंबर बताइए (मीटर पर लिखा होता है)।",
        ),
        "en": (
            "What is wrong with the meter: stopped, burnt, or running fast?",
            "Please read me the meter number (printed on the meter).",
        ),
    },
    Category.BILL_READING: {
        "hi": (
            "किस महीने का बिल गलत है, और कितनी राशि आई है?",
            "मीटर पर अभी की रीडिंग क्या है?",
        ),
        "en": (
            "Which month's bill is wrong, and what amount does it show?",
            "What is the meter reading now?",
        ),
    },
    Category.NEW_CONNECTION: {
        "hi": (
            "कनेक्शन किस पते पर चाहिए?",
            "घरेलू या व्यावसायिक, कितने किलोवाट का?",
            "क्या आपके पास आवेदन संख्या है?",
        ),
        "en": (
            "At which address is the connection needed?",
            "Domestic or commercial, and how many kilowatts?",
            "Do you have an application number?",
        ),
    },
    Category.SAFETY_HAZARD: {
        "hi": (
            "ख़तरा ठीक कहाँ है? पास का निशान बताइए।",
            "क्या तार गिरा है, चिंगारी निकल रही है, या खंभा गिरा है?",
            "क्या किसी को चोट लगी है या करंट लगा है?",
        ),
        "en": (
            "Where exactly is the danger? A landmark nearby?",
            "Is a wire down, is something sparking, or is a pole down?",
            "Has anyone been hurt or had a shock?",
        ),
    },
    Category.CALL_CENTRE_NO_RESPONSE: {
        "hi": (
            "आपने कब फ़ोन किया था और किस नंबर से?",
            "क्या आपकी पहले की कोई शिकायत संख्या है?",
        ),
        "en": (
            "When did you call, and from which number?",
            "Do you have the number of an earlier complaint?",
        ),
    },
    Category.OTHER: {
        "hi": ("कृपया समस्या विस्तार से बताइए।",),
        "en": ("Please describe the problem in detail.",),
    },
}

SAFETY = {
    "hi": "कृपया तार, खंभे या ट्रांसफार्मर से कम से कम 10 मीटर दूर रहें और बच्चों व पशुओं को भी "
    "दूर रखें। तार को किसी भी चीज़ से हटाने की कोशिश न करें, और पानी से दूर रहें।",
    "en": "Please stay at least 10 metres away from the wire, pole or transformer and keep "
    "children and animals away. Do not try to move the wire with anything, and keep away from "
    "water.",
}
EMERGENCY = {
    "hi": "यह आपात शिकायत है: टीम को तुरंत भेजा जा रहा है।",
    "en": "This is an emergency complaint: a team is being sent at once.",
}
# Where a live wire, a burning transformer or an open cable may be near people.
HAZARDS = {
    Category.SAFETY_HAZARD,
    Category.LINE_BREAKDOWN,
    Category.DT_FAILURE,
    Category.UG_CABLE,
}

DIGITS = {
    "hi": ("शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}
# How a Hindi speaker names each Latin letter of a complaint prefix ("MV": "एम वी").
LETTERS_HI = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ("ए बी सी डी ई एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई ज़ेड").split(),  # noqa: SIM905 (26 one-word lines otherwise)
        strict=True,
    )
)
GROUP = 3  # digits read out together


def limit_text(hours: int, language: str) -> str:
    """A time limit as said to the caller: "4 hours", "7 days" (not "168 hours")."""
    if hours >= 48 and hours % 24 == 0:
        days = hours // 24
        return f"{days} दिन" if language == "hi" else f"{days} days"
    if language == "hi":
        return f"{hours} घंटे"
    return "1 hour" if hours == 1 else f"{hours} hours"


def number_groups(number: str) -> list[str]:
    """'MV-261128-00042' -> ['MV', '261', '128', '000', '42']: the letters, then digits in
    threes, as an agent reads them out and the caller writes them down."""
    groups: list[str] = []
    for part in re.findall(r"[A-Za-z]+|\d+", number):
        if part.isdigit():
            groups += [part[i : i + GROUP] for i in range(0, len(part), GROUP)]
        else:
            groups.append(part.upper())
    return groups


def number_spoken(number: str, language: str) -> str:
    """Each group spelled out letter by letter and digit by digit: 'em vee, two six one, ...'."""
    words = DIGITS[language]
    spoken = []
    for group in number_groups(number):
        if group.isdigit():
            spoken.append(" ".join(words[int(d)] for d in group))
        elif language == "hi":
            spoken.append(" ".join(LETTERS_HI.get(ch, ch) for ch in group))
        else:
            spoken.append(" ".join(group))
    return ", ".join(spoken)


@dataclass(frozen=True)
class CategoryScript:
    category: str
    ask: tuple[str, ...]
    safety: str  # "" where no hazard is likely
    emergency: str
    closing: str


@dataclass(frozen=True)
class Script:
    language: str
    greeting: str
    identify: str  # confirm the consumer found, or ask for an account/mobile/place
    outage: list[str]
    categories: dict[str, CategoryScript]


def _closing(
    *, language: str, hours: int | None, number: str = "", due: datetime | None = None
) -> str:
    limit = limit_text(hours, language) if hours else "—"
    due_text = CLOSING_DUE[language].format(due=when_text(due, language)) if due else ""
    return CLOSING[language].format(number=number or NUMBER_BLANK, limit=limit, due=due_text)


def closing_line(*, language: str, number: str, hours: int, due: datetime) -> str:
    """The closing line once the complaint exists: its number, limit and due time."""
    return _closing(language=language, hours=hours, number=" ".join(number_groups(number)), due=due)


def desk_script(
    *,
    language: str,
    agent_name: str,
    consumer_name: str = "",
    address: str = "",
    caller_known: bool = False,
    searched: bool = False,
    outages: Sequence[Outage] = (),
    limits: Mapping[str, int] | None = None,
    order: Sequence[str] = (),
) -> Script:
    """The whole script for one call in one language. `limits` are the time limits (hours) per
    category for this caller's area; `outages` are those over the caller's supply; `order` the
    order of the categories (as on the desk's keys; the model's order otherwise)."""
    if caller_known:
        where = ADDRESS[language].format(address=address) if address else ""
        identify = CONFIRM[language].format(name=consumer_name, address=where)
    elif searched:  # looked up and not found: register with a mobile and the place
        identify = UNREGISTERED[language]
    else:
        identify = IDENTIFY[language]
    outage_lines = []
    for outage in outages:
        etr = when_text(outage.etr, language)
        reason = outage.reason.text_in(language)
        outage_lines.append(OUTAGE[language].format(reason=reason, etr=etr))
        if outage.is_overdue:
            outage_lines.append(OUTAGE_LATE[language])
    categories = {
        value: CategoryScript(
            category=value,
            ask=ASK[value][language],
            safety=SAFETY[language] if value in HAZARDS else "",
            emergency=EMERGENCY[language] if value == Category.SAFETY_HAZARD else "",
            closing=_closing(language=language, hours=(limits or {}).get(value)),
        )
        for value in order or Category.values
    }
    return Script(
        language=language,
        greeting=GREETING[language].format(agent=agent_name),
        identify=identify,
        outage=outage_lines,
        categories=categories,
    )
