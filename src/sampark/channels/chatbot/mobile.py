"""Registering or changing the mobile on an account, in the chat (docs/mobile-registration.md).

Started by `REG <account>`, `MOBILE <account>`, `मोबाइल <account>` (the account is optional:
the bot asks) or the menu's "Register my mobile". The bot asks, in turn, for the account
number, the first three letters of the name on the bill and, on web chat and Telegram, the
mobile to register, which then proves itself with an OTP. On SMS and WhatsApp the message comes
from the number itself, which is its proof. An account with another mobile on file needs the
OTP sent to that old mobile as well. The rules and the audit are sampark.consumers'; the SMS
with the codes and the old mobile's notice are sampark.channels.mobile's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from sampark.consumers.mobile_verification import mobile_challenge_get
from sampark.consumers.models import MobileChangeKind, MobileChannel, OtpPurpose, OtpStatus
from sampark.consumers.otp import otp_clean
from sampark.core.errors import SamparkError, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.public.normalize import text_key

from ..mobile.services import (
    mobile_registration_code,
    mobile_registration_finish,
    mobile_registration_start,
)
from ..models import ChatChannel
from . import identity, states
from .nlu.entities import entities_extract
from .words import MISSES_BEFORE_AGENT, MOBILE_CHANNELS, REGISTER_COMMANDS

if TYPE_CHECKING:
    from .dialogue import Step

CHANNELS: dict[str, str] = {
    ChatChannel.SMS: MobileChannel.SMS,
    ChatChannel.WHATSAPP: MobileChannel.WHATSAPP,
}


def triggered(text: str) -> str | None:
    """The account number of a `REG <account>` command ("" without one); None: not one."""
    words = text.split()
    if not words or text_key(words[0]) not in REGISTER_COMMANDS:
        return None
    if len(words) == 1:
        return ""
    account = entities_extract(" ".join(words[1:])).get("account_number")
    return str(account) if account else None


def handled(step: Step, text: str) -> bool:
    """The command that starts it, or an answer to one of its questions."""
    account = triggered(text)
    if account is not None:
        start(step, account=account)
        return True
    handler = HANDLERS.get(step.c.state)
    return handler is not None and handler(step, text)


def start(step: Step, *, account: str = "") -> None:
    step.done()
    step.context["reg"] = {"account": account} if account else {}
    advance(step)


def _reg(step: Step) -> dict[str, str]:
    reg = step.context.get("reg")
    if not isinstance(reg, dict):
        reg = step.context["reg"] = {}
    return reg


def _vouched(step: Step) -> bool:
    return step.c.channel in MOBILE_CHANNELS and bool(step.c.mobile)


def _end(step: Step, text: str = "") -> None:
    step.context.pop("reg", None)
    step.done()
    if text:
        step.say(text)


def advance(step: Step) -> None:
    """Ask for the next missing piece, or send the codes once everything is there."""
    reg = _reg(step)
    if not reg.get("account"):
        step.say(_("Please send your 10-digit account number (it is on your bill)."))
        step.wait("reg_account")
    elif not reg.get("name"):
        step.say(
            _(
                "Please send the first 3 letters of the account holder's name, as printed on "
                "the bill (for example RAM for Ram Prakash)."
            )
        )
        step.wait("reg_name")
    elif not _vouched(step) and not reg.get("mobile"):
        step.say(_("Which mobile number shall I register on the account? Please send it."))
        step.wait("reg_mobile")
    elif not reg.get("token"):
        _begin(step)


def _retry(step: Step, error: SamparkError) -> None:
    """A detail the user can correct: asked again (once); anything else ends the request."""
    reg = _reg(step)
    fixable = {"name": "name", "account_number": "account"}
    if not _vouched(step):
        fixable["mobile"] = "mobile"
    pieces = [fixable[field] for field in error.fields if field in fixable]
    step.say(error.text())
    if not pieces:
        _end(step)
        return
    step.c.misses += 1
    if step.c.misses >= MISSES_BEFORE_AGENT:
        _end(step)
        step.offer_agent()
        return
    for piece in pieces:
        reg.pop(piece, None)
    advance(step)


def _begin(step: Step) -> None:
    reg = _reg(step)
    mobile = step.c.mobile if _vouched(step) else reg["mobile"]
    try:
        challenge = mobile_registration_start(
            account_number=reg["account"],
            mobile=mobile or "",
            name_letters=reg["name"],
            channel=CHANNELS.get(step.c.channel, MobileChannel.CHATBOT),
            language=step.c.language,
        )
    except SamparkError as error:
        _retry(step, error)
        return
    reg["token"] = challenge.token
    if challenge.satisfied:
        _finish(step)
    elif challenge.otp_hash:
        step.say(
            _("I have sent an OTP to the mobile ending %(tail)s. Please send it here.")
            % {"tail": challenge.mobile[-4:]}
        )
        step.wait("reg_code")
    else:
        _ask_old(step, challenge.old_mobile)


def _ask_old(step: Step, old_mobile: str) -> None:
    step.say(
        _(
            "This account already has the mobile ending %(tail)s. To change it, send the OTP "
            "I have sent to that mobile. Lost that phone? Call 1912 or visit your sub-division "
            "office."
        )
        % {"tail": old_mobile[-4:]}
    )
    step.wait("reg_old_code")


def _finish(step: Step) -> None:
    reg = _reg(step)
    channel = CHANNELS.get(step.c.channel, MobileChannel.CHATBOT)
    try:
        done = mobile_registration_finish(
            token=reg.get("token", ""),
            actor_label=f"consumer via {channel}",
            confirm_new=not _vouched(step),  # the chat itself is the confirmation there
        )
    except SamparkError as error:
        _end(step, error.text())
        return
    step.c.mobile = done.new_mobile
    identity.consumer_set(step, done.consumer, verified=True)
    text = _(
        "Done: the mobile ending %(tail)s is registered on account %(account)s. Messages about "
        "power cuts and your complaints will come to it."
    ) % {"tail": done.new_mobile[-4:], "account": done.consumer.account_number}
    if done.change.kind == MobileChangeKind.CHANGED:
        text += " " + _("We have told the old mobile about the change.")
    _end(step, text)


def _code(step: Step, text: str, *, old: bool) -> bool:
    code = otp_clean(text)
    if not code:
        return states.not_expected(step, _("Please send the 6-digit OTP."))
    token = _reg(step).get("token", "")
    try:
        challenge = mobile_registration_code(
            token=token, code="" if old else code, old_code=code if old else ""
        )
    except ValidationFailed as error:
        locked = mobile_challenge_get(token=token, purpose=OtpPurpose.MOBILE_REGISTER)
        if locked.status == OtpStatus.LOCKED:
            _end(step, error.text() + " " + _("Send REG to start again."))
        else:
            step.say(error.text())  # the attempts left; the state stays
        return True
    except SamparkError as error:  # expired, replaced, used
        _end(step, error.text() + " " + _("Send REG to start again."))
        return True
    if challenge.satisfied:
        _finish(step)
    elif challenge.old_otp_hash and challenge.old_verified_at is None:
        _ask_old(step, challenge.old_mobile)
    return True


def on_account(step: Step, text: str) -> bool:
    account = entities_extract(text).get("account_number")
    if account is None:
        return states.not_expected(
            step, _("Please send your 10-digit account number (it is on your bill).")
        )
    _reg(step)["account"] = str(account)
    advance(step)
    return True


def on_name(step: Step, text: str) -> bool:
    if not any(ch.isalpha() for ch in text):
        return states.not_expected(
            step, _("Please send the first 3 letters of the name on your bill.")
        )
    _reg(step)["name"] = text.strip()[:20]
    advance(step)
    return True


def on_mobile(step: Step, text: str) -> bool:
    found = entities_extract(text)
    raw = found.get("mobile") or found.get("account_number") or text
    try:
        mobile = mobile_to_e164(str(raw))
    except SamparkError:
        return states.not_expected(step, _("Please send a 10-digit mobile number."))
    _reg(step)["mobile"] = mobile
    advance(step)
    return True


HANDLERS: dict[str, Callable[[Step, str], bool]] = {
    "reg_account": on_account,
    "reg_name": on_name,
    "reg_mobile": on_mobile,
    "reg_code": lambda step, text: _code(step, text, old=False),
    "reg_old_code": lambda step, text: _code(step, text, old=True),
}
