"""What the bot expects next: one handler per waiting state (`Conversation.state`).

A handler gets the message and its entities and returns True when it dealt with the message
(answered or asked again); False lets the engine read the message as a new request. An answer
that does not fit is asked again once; the second miss offers an agent instead of looping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from sampark.complaints.models import Category
from sampark.consumers.selectors import consumer_by_account
from sampark.core.errors import SamparkError
from sampark.core.phones import mobile_to_e164
from sampark.public.normalize import text_key

from . import actions, identity
from .nlu.entities import entities_extract
from .rating import rating_parse
from .replies import NO, NO_ACCOUNT, YES, yes_no
from .words import MISSES_BEFORE_AGENT, SKIP_ACCOUNT_WORDS

if TYPE_CHECKING:
    from .dialogue import Step

Handler = Callable[["Step", str, dict[str, object]], bool]


def expected(step: Step, text: str) -> bool:
    state = step.c.state
    if not state:
        return False
    entities = entities_extract(text)
    handler = HANDLERS.get(state)
    if handler is None:
        step.done()
        return False
    return bool(handler(step, text, entities))


def on_choose_account(step: Step, text: str, entities: dict[str, object]) -> bool:
    account = (
        text.removeprefix("acct:") if text.startswith("acct:") else entities.get("account_number")
    )
    if account is None:
        return not_expected(
            step,
            _("Please choose one of your connections."),
            list(step.context.get("accounts", [])),
        )
    choices = [pair[0].removeprefix("acct:") for pair in step.context.get("accounts", [])]
    if str(account) not in choices:
        return not_expected(
            step,
            _("Please choose one of your connections."),
            list(step.context.get("accounts", [])),
        )
    consumer = consumer_by_account(account_number=str(account))
    identity.consumer_set(step, consumer, verified=True)
    identity.resume(step)
    return True


def on_ask_account(step: Step, text: str, entities: dict[str, object]) -> bool:
    if text == NO_ACCOUNT or text_key(text) in SKIP_ACCOUNT_WORDS:
        identity.ask_location(step)
        return True
    account = entities.get("account_number")
    if account is None:
        return not_expected(
            step,
            _("Please send your 10-digit account number; it is printed on your bill."),
            [(NO_ACCOUNT, _("I don't have it"))],
        )
    if identity.identify_by_account(step, str(account)):
        identity.resume(step)
    return True


def on_ask_mobile(step: Step, text: str, entities: dict[str, object]) -> bool:
    raw = entities.get("mobile") or entities.get("account_number") or text
    try:
        mobile = mobile_to_e164(str(raw))
    except SamparkError:
        return not_expected(step, _("Please send a 10-digit mobile number."))
    step.c.mobile = mobile
    consumer = step.c.consumer
    if consumer is not None:
        step.c.verified = mobile in (consumer.mobile, consumer.alt_mobile)
        if not step.c.verified:
            step.say(
                _(
                    "This mobile is not the one registered on the account, so I will not "
                    "show the account's details; I can still register a complaint and tell "
                    "you about the supply."
                )
            )
    identity.resume(step)
    return True


def on_ask_location(step: Step, text: str, entities: dict[str, object]) -> bool:
    account = entities.get("account_number")
    if account is not None:
        if identity.identify_by_account(step, str(account)):
            identity.resume(step)
        return True
    if len(text) < 3:
        return not_expected(step, _("Please write the place: street, locality or village."))
    step.context["location"] = text[:300]
    identity.resume(step)
    return True


def on_confirm_complaint(step: Step, text: str, entities: dict[str, object]) -> bool:
    answer = answer_yes_no(step, text, entities)
    if answer is None:
        return not_expected(step, _("Shall I register it? Please answer yes or no."), yes_no())
    category = str(step.context.get("category", Category.OTHER))
    step.done()
    if answer:
        step.complaint_now(category=category)
    else:
        step.menu(_("All right, I have not registered anything."))
    return True


def on_offer_register(step: Step, text: str, entities: dict[str, object]) -> bool:
    answer = answer_yes_no(step, text, entities)
    if answer is None:
        return False  # a new request instead: let the NLU read it
    step.done()
    if answer:
        step.complaint_now(category=Category.NO_SUPPLY)
    else:
        step.menu()
    return True


def on_ask_category(step: Step, text: str, entities: dict[str, object]) -> bool:
    return False  # the menu's options are commands; free text goes to the NLU


def on_ask_complaint_number(step: Step, text: str, entities: dict[str, object]) -> bool:
    number = entities.get("complaint_number")
    if number is None:
        return not_expected(
            step,
            _("Please send the complaint number, for example %(example)s.")
            % {"example": "MV-261128-00042"},
        )
    step.done()
    if step.context.pop("for_compensation", False):
        step.add(actions.compensation_claim(step.c, number=str(number)))
    else:
        step.status(number=str(number))
    return True


def on_confirm_resolution(step: Step, text: str, entities: dict[str, object]) -> bool:
    answer = answer_yes_no(step, text, entities)
    if answer is None:
        return not_expected(step, _("Is your problem solved? Please answer yes or no."), yes_no())
    reply, state = actions.resolution_answer(step.c, confirmed=answer)
    step.done()
    step.add(reply)
    step.wait(state)
    return True


def on_ask_rating(step: Step, text: str, entities: dict[str, object]) -> bool:
    rating, comment = entities.get("rating"), ""
    parsed = rating_parse(text)  # "4", "rate:4", and "4 lineman was polite" with its comment
    if parsed is not None:
        rating, comment = parsed
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        step.done()
        return False  # not a rating: they moved on
    step.done()
    step.add(actions.rating_record(step.c, rating=rating, comment=comment))
    return True


def on_offer_agent(step: Step, text: str, entities: dict[str, object]) -> bool:
    answer = answer_yes_no(step, text, entities)
    if answer is None:
        return False
    step.done()
    if answer:
        step.handover(reason="the bot could not understand")
    else:
        step.menu()
    return True


def not_expected(step: Step, prompt: str, options: list[tuple[str, str]] | None = None) -> bool:
    """The answer did not fit: ask again once, then offer an agent instead of looping."""
    step.c.misses += 1
    if step.c.misses >= MISSES_BEFORE_AGENT:
        step.done()
        step.c.misses = MISSES_BEFORE_AGENT
        step.offer_agent()
        return True
    step.say(prompt, options)
    return True


def answer_yes_no(step: Step, text: str, entities: dict[str, object]) -> bool | None:
    if text in (YES, NO):
        return text == YES
    answer = entities.get("yes_no")
    return None if answer is None else answer == "yes"


HANDLERS: dict[str, Handler] = {
    "choose_account": on_choose_account,
    "ask_account": on_ask_account,
    "ask_mobile": on_ask_mobile,
    "ask_location": on_ask_location,
    "confirm_complaint": on_confirm_complaint,
    "offer_register": on_offer_register,
    "ask_category": on_ask_category,
    "ask_complaint_number": on_ask_complaint_number,
    "confirm_resolution": on_confirm_resolution,
    "ask_rating": on_ask_rating,
    "offer_agent": on_offer_agent,
}
