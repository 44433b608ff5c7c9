"""Who the user is: the consumer behind a mobile or an account number, and whether verified.

On WhatsApp and SMS the sender's number is known; on web chat and Telegram the bot asks for
the account number and then the mobile. A mobile that is not the account's registered one gives
an unverified conversation: complaints and supply status, but no account details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from sampark.complaints.models import Category
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_by_account
from sampark.core.errors import SamparkError

from . import states
from .replies import NO_ACCOUNT
from .words import MOBILE_CHANNELS

if TYPE_CHECKING:
    from .dialogue import Step


def recognise(step: Step) -> None:
    """On WhatsApp and SMS the number is the user's: a consumer registered on it alone is
    known from the first message (several on one number are asked which, when it matters)."""
    consumer = step.c.consumer
    if step.c.verified and consumer is not None and step.c.mobile not in mobiles_of(consumer):
        step.c.verified = False  # the account's mobile was changed since (mobile registration)
    if step.c.consumer is not None or step.c.channel not in MOBILE_CHANNELS or not step.c.mobile:
        return
    if step.context.get("mobile_looked_up"):
        return
    step.context["mobile_looked_up"] = True
    found = list(Consumer.objects.filter(mobile=step.c.mobile).order_by("id")[:10])
    if len(found) == 1:
        consumer_set(step, found[0], verified=True)
    elif found:
        step.context["accounts"] = [
            (f"acct:{c.account_number}", f"…{c.account_number[-4:]} {c.name[:14]}") for c in found
        ]


def mobiles_of(consumer: Consumer) -> tuple[str, ...]:
    return tuple(m for m in (consumer.mobile, consumer.alt_mobile) if m)


def consumer_set(step: Step, consumer: Consumer, *, verified: bool) -> None:
    step.c.consumer = consumer
    step.c.verified = verified
    step.c.org_unit_id = consumer.subdivision_id
    if not step.context.get("language_chosen"):
        step.c.language = consumer.language
        translation.activate(consumer.language)


def identify_by_account(step: Step, account: str) -> bool:
    try:
        consumer = consumer_by_account(account_number=account)
    except SamparkError:
        states.not_expected(
            step,
            _(
                "No connection has account number %(account)s. Please check the 10 digits "
                "on your bill."
            )
            % {"account": account},
            [(NO_ACCOUNT, _("I don't have it"))],
        )
        if step.c.state == "":
            return False
        step.wait("ask_account")
        return False
    mobile = step.c.mobile
    consumer_set(
        step, consumer, verified=bool(mobile) and mobile in (consumer.mobile, consumer.alt_mobile)
    )
    if mobile and not step.c.verified:
        step.say(
            _(
                "This number is not the one registered on account %(account)s, so I will "
                "not show its details; I can still register a complaint and tell you about "
                "the supply."
            )
            % {"account": account}
        )
    return True


def identified(step: Step, *, pending: dict[str, object]) -> bool:
    """Whether we know the user's connection; if not, ask, remembering what they wanted."""
    if step.c.consumer is not None or step.context.get("location"):
        return True
    step.context["pending"] = pending
    accounts = step.context.get("accounts")
    if accounts and step.c.channel in MOBILE_CHANNELS:
        step.say(_("Which connection is it about?"), [tuple(pair) for pair in accounts])
        step.wait("choose_account")
        return False
    hint = step.context.pop("account_hint", None)
    if hint and identify_by_account(step, str(hint)):
        return step.c.consumer is not None and mobile_known(step)
    step.say(
        _("Please send your 10-digit account number (it is on your bill)."),
        [(NO_ACCOUNT, _("I don't have it"))],
    )
    step.wait("ask_account")
    return False


def mobile_known(step: Step) -> bool:
    if step.c.mobile:
        return True
    step.say(_("Please send your mobile number, so that we can update you on it."))
    step.wait("ask_mobile")
    return False


def mobile_known_for(step: Step, pending: dict[str, object]) -> bool:
    if step.c.mobile or (step.c.consumer is not None and step.c.consumer.mobile):
        return True
    step.context["pending"] = pending
    return mobile_known(step)


def ask_location(step: Step) -> None:
    step.say(
        _("Please write where the problem is: house, street, locality or village, and a landmark.")
    )
    step.wait("ask_location")


def resume(step: Step) -> None:
    """Carry on with what the user asked for before we had to ask who they are."""
    pending = dict(step.context.get("pending") or {})
    step.c.state = ""
    step.c.misses = 0
    if step.c.consumer is None and not step.context.get("location"):
        identified(step, pending=pending)
        return
    if not step.c.mobile and step.c.channel not in MOBILE_CHANNELS:
        step.context["pending"] = pending
        if not mobile_known(step):
            return
    step.context.pop("pending", None)
    kind = pending.get("do")
    if kind == "complaint":
        step.request_complaint(
            category=str(pending.get("category")),
            description=str(step.context.get("description", "")),
            confirmed=bool(pending.get("confirmed")),
        )
    elif kind == "outage_info":
        step.outage_info()
    elif kind == "hazard":
        step.complaint_now(category=Category.SAFETY_HAZARD)
    else:
        step.menu(_("Thank you. What is the problem?"))
