"""The machine's actions as Plivo XML.

Prompts before a <GetInput> (DTMF) are nested in it. When nothing is keyed Plivo moves on to
the next element, a <Redirect> to the same action URL without digits: the machine's timeout.
Agents are reached by <Dial>ling the queue's number (settings SAMPARK_IVR_AGENT_NUMBERS, e.g.
the ACD/hunt group of the 1912 floor); its action URL reports whether an agent took the call.
"""

from __future__ import annotations

import logging
from xml.etree import ElementTree as ET

from django.conf import settings

from . import prompts
from .machine import Enqueue, Gather, Hangup, Say
from .queues import agent_number
from .services import Answer

log = logging.getLogger(__name__)

LANGUAGES = {"hi": "hi-IN", "en": "en-IN"}
DIAL_TIMEOUT = 45  # seconds the agents' number may ring


def _speak(parent: ET.Element, say: Say) -> None:
    element = ET.SubElement(
        parent, "Speak", language=LANGUAGES.get(say.language, "hi-IN"), voice="WOMAN"
    )
    element.text = say.text


def render(answer: Answer, *, action_url: str, dial_url: str) -> str:
    response = ET.Element("Response")
    pending: list[Say] = []
    for action in answer.actions:
        if isinstance(action, Say):
            pending.append(action)
            continue
        if isinstance(action, Gather):
            url = f"{action_url}?t={answer.turn}"
            attributes = {
                "action": url,
                "method": "POST",
                "inputType": "dtmf",
                "numDigits": str(action.num_digits),
                "executionTimeout": str(action.timeout),
                "digitEndTimeout": "5",
                "redirect": "true",
            }
            if action.finish_on_key:
                attributes["finishOnKey"] = action.finish_on_key
            get_input = ET.SubElement(response, "GetInput", attributes)
            for say in pending:
                _speak(get_input, say)
            pending = []
            ET.SubElement(response, "Redirect", method="POST").text = url
            continue
        for say in pending:
            _speak(response, say)
        pending = []
        if isinstance(action, Enqueue):
            _dial(response, action.queue, dial_url=dial_url, language=answer_language(answer))
        elif isinstance(action, Hangup):
            ET.SubElement(response, "Hangup")
    for say in pending:
        _speak(response, say)
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(response, encoding="unicode")


def answer_language(answer: Answer) -> str:
    says = [a for a in answer.actions if isinstance(a, Say)]
    return says[-1].language if says else prompts.HINDI


def _dial(response: ET.Element, queue: str, *, dial_url: str, language: str) -> None:
    number = agent_number(queue)
    if not number:  # a configuration gap must not leave the caller in silence
        log.error("no agent number configured for queue %r (SAMPARK_IVR_AGENT_NUMBERS)", queue)
        _speak(response, Say(prompts.prompt("agents_unavailable", language), language))
        ET.SubElement(response, "Hangup")
        return
    attributes = {"action": dial_url, "method": "POST", "timeout": str(DIAL_TIMEOUT)}
    if settings.SAMPARK_IVR_CALLER_ID:
        attributes["callerId"] = settings.SAMPARK_IVR_CALLER_ID
    dial = ET.SubElement(response, "Dial", attributes)
    ET.SubElement(dial, "Number").text = number
