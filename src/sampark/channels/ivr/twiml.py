"""The machine's actions as TwiML (Twilio).

Prompts before a <Gather> are nested in it, so a caller who knows the menu can key in at once;
`actionOnEmptyResult` makes Twilio post back even when nothing was keyed (the machine's
timeout). <Enqueue> puts the caller in the named agent queue; its action URL reports how they
left it.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from django.conf import settings

from .machine import Enqueue, Gather, Hangup, Say
from .queues import queue_name
from .services import Answer

LANGUAGES = {"hi": "hi-IN", "en": "en-IN"}


def _say(parent: ET.Element, say: Say) -> None:
    element = ET.SubElement(
        parent,
        "Say",
        language=LANGUAGES.get(say.language, "hi-IN"),
        voice=settings.SAMPARK_TWILIO_VOICE,
    )
    element.text = say.text


def render(answer: Answer, *, action_url: str, queue_url: str) -> str:
    """`action_url`: where the Gather posts (gets `?t=<turn>`); `queue_url`: the Enqueue action."""
    response = ET.Element("Response")
    pending: list[Say] = []
    for action in answer.actions:
        if isinstance(action, Say):
            pending.append(action)
            continue
        if isinstance(action, Gather):
            attributes = {
                "input": "dtmf",
                "numDigits": str(action.num_digits),
                "timeout": str(action.timeout),
                "action": f"{action_url}?t={answer.turn}",
                "method": "POST",
                "actionOnEmptyResult": "true",
            }
            if action.finish_on_key:
                attributes["finishOnKey"] = action.finish_on_key
            gather = ET.SubElement(response, "Gather", attributes)
            for say in pending:
                _say(gather, say)
            pending = []
            continue
        for say in pending:
            _say(response, say)
        pending = []
        if isinstance(action, Enqueue):
            enqueue = ET.SubElement(response, "Enqueue", action=queue_url, method="POST")
            enqueue.text = queue_name(action.queue)
        elif isinstance(action, Hangup):
            ET.SubElement(response, "Hangup")
    for say in pending:
        _say(response, say)
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(response, encoding="unicode")
