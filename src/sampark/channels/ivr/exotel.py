"""The machine's actions as Exotel applet answers.

Exotel runs a flow built in its App Bazaar, so the IVR is a loop of applets whose URLs point
here (docs/ivr.md shows the flow):

    Passthru "step" --200--> Gather (programmable) ---> back to Passthru "step"
          |302
    Passthru "route" --200--> Connect (programmable) ---> Passthru "status" -> Hangup
          |302
        Passthru "status" -> Hangup

- step (Passthru): the caller's keys move the machine; 200 sends the caller to the Gather applet
  (something to say or ask), 302 out of the loop (the answer ends in a queue or a hang-up and
  its prompts have been said);
- gather (Gather applet URL): the JSON configuration: the prompt text and the keys to collect.
  An answer that only has something to say before leaving is said by a one-key gather with the
  shortest timeout;
- route (Passthru): 200 to the Connect applet (agents), 302 to hang up;
- connect (Connect applet URL): the JSON configuration: the agents' number for the queue.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from .machine import Gather, Say
from .queues import agent_number, queue_name
from .services import Answer

log = logging.getLogger(__name__)

CONTINUE = 200  # Passthru: the flow's first branch
LEAVE = 302  # Passthru: the second branch
MAX_RINGING_SECONDS = 45


def step_status(answer: Answer) -> int:
    if answer.asks or (answer.says and not answer.prompt_played):
        return CONTINUE
    return LEAVE


def route_status(answer: Answer | None) -> int:
    """To the Connect applet when the answer queues the caller and the queue has a number."""
    if answer is None or not answer.queue:
        return LEAVE
    if not agent_number(answer.queue):
        log.error("no agent number for queue %r (SAMPARK_IVR_AGENT_NUMBERS)", answer.queue)
        return LEAVE
    return CONTINUE


def gather_config(answer: Answer) -> dict[str, Any]:
    text = " ".join(a.text for a in answer.actions if isinstance(a, Say))
    gather = next((a for a in answer.actions if isinstance(a, Gather)), None)
    if gather is None:  # said before leaving the loop: nothing to collect
        return {"gather_prompt": {"text": text}, "max_input_digits": 1, "input_timeout": 1}
    config: dict[str, Any] = {
        "gather_prompt": {"text": text},
        "max_input_digits": gather.num_digits,
        "input_timeout": gather.timeout,
    }
    if gather.finish_on_key:
        config["finish_on_key"] = gather.finish_on_key
    return config


def connect_config(answer: Answer | None) -> dict[str, Any]:
    queue = answer.queue if answer is not None else "general"
    config: dict[str, Any] = {
        "fetch_after_attempt": False,
        "destination": {"numbers": [agent_number(queue)]},
        "record": False,
        "max_ringing_duration": MAX_RINGING_SECONDS,
        "music_on_hold": {"type": "operator_tone"},
        # Whispered to the agent before the caller is put through.
        "start_call_playback": {
            "playback_to": "callee",
            "type": "text",
            "value": f"1912 {queue_name(queue)}",
        },
    }
    if settings.SAMPARK_IVR_CALLER_ID:
        config["outgoing_phone_number"] = settings.SAMPARK_IVR_CALLER_ID
    return config
