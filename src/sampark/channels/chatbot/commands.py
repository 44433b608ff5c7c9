"""Commands that work in any state: language, menu, agent, menu and category choices, and
the keyword commands of SMS (NOPOWER <account>, STATUS <number>, STOP, START, zone-group
keywords), in English and Hindi."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from sampark.complaints.models import Category
from sampark.consumers.services import consumers_consent_set
from sampark.core.errors import SamparkError
from sampark.core.models import Language
from sampark.public.keywords import Action as StakeholderAction
from sampark.public.keywords import keyword_parse, stakeholder_keyword_handle
from sampark.public.normalize import text_key
from sampark.public.selectors import memberships_active

from . import identity
from .nlu.entities import entities_extract
from .replies import AGENT, MENU, Reply
from .words import (
    AGENT_WORDS,
    LANGUAGE_WORDS,
    MENU_WORDS,
    MOBILE_CHANNELS,
    NO_POWER_COMMANDS,
    START_COMMANDS,
    STATUS_COMMANDS,
    STOP_COMMANDS,
)

if TYPE_CHECKING:
    from .dialogue import Step


def command(step: Step, text: str) -> bool:
    key = text_key(text)
    first = text_key(text.split()[0]) if text.split() else ""
    if text.startswith("lang:") or any(key in words for words in LANGUAGE_WORDS.values()):
        chosen = (
            text.removeprefix("lang:")
            if text.startswith("lang:")
            else next(lang for lang, words in LANGUAGE_WORDS.items() if key in words)
        )
        if chosen in Language.values:
            step.language_set(chosen)
            said = _("I will write in English.") if chosen == "en" else _("I will write in Hindi.")
            step.menu(said + " " + _("How can I help? Choose below or just write your problem."))
            return True
    if text == MENU or key in MENU_WORDS:
        step.done()
        step.menu()
        return True
    if text == AGENT or key in AGENT_WORDS or text == "menu:human_agent":
        step.handover(reason="asked for an agent")
        return True
    if text.startswith("menu:"):
        step.done()
        step.menu_choice(text.removeprefix("menu:"))
        return True
    if text.startswith("cat:"):
        step.done()
        category = text.removeprefix("cat:")
        if category in Category.values:
            step.request_complaint(category=category, description="")
        else:
            step.menu()
        return True
    if step.c.channel in MOBILE_CHANNELS and step.c.mobile:
        if first in STOP_COMMANDS and len(text.split()) == 1:
            consent(step, granted=False)
            return True
        if first in START_COMMANDS and len(text.split()) == 1:
            consent(step, granted=True)
            return True
        if stakeholder_keyword(step, text):
            return True
    rest = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
    if first in NO_POWER_COMMANDS and rest:
        found = entities_extract(rest)
        if "account_number" in found:
            step.done()
            step.context["description"] = text[:1000]
            if identity.identify_by_account(step, str(found["account_number"])):
                step.complaint_now(category=Category.NO_SUPPLY)
            return True
    if first in STATUS_COMMANDS and rest:
        found = entities_extract(rest)
        if "complaint_number" in found:
            step.done()
            step.status(number=str(found["complaint_number"]))
            return True
    return False


def stakeholder_keyword(step: Step, text: str) -> bool:
    """Zone-group keywords (JOIN, LEAVE, DIGEST, INSTANT) for stakeholders on SMS/WhatsApp."""
    command = keyword_parse(text)
    if command.said_in is None or command.action is StakeholderAction.HELP:
        return False
    if (
        command.action is not StakeholderAction.JOIN
        and not memberships_active(mobile=step.c.mobile or "").exists()
    ):
        return False
    try:
        reply = stakeholder_keyword_handle(
            mobile=step.c.mobile or "", text=text, channel=step.c.channel
        )
    except SamparkError as error:
        step.say(error.text())
        return True
    step.add(Reply.registered(reply))
    return True


def consent(step: Step, *, granted: bool) -> None:
    mobile = step.c.mobile or ""
    consumers_consent_set(mobile=mobile, channel=step.c.channel, granted=granted)
    if not granted and memberships_active(mobile=mobile).exists():
        left = stakeholder_keyword_handle(mobile=mobile, text="STOP", channel=step.c.channel)
        step.add(Reply.registered(left))
    if granted:
        step.say(_("You will get outage and restoration messages on this number again."))
    else:
        step.say(
            _(
                "You will no longer get outage messages on this number. Send START to "
                "get them again. You can still write to us any time."
            )
        )
    step.done()
