"""Provider webhooks read into provider-neutral values, one reader per provider and hook.

Parameter names are the providers' documented ones: Twilio (CallSid, From, Digits, CallStatus,
QueueResult), Plivo (CallUUID, From, Digits, CallStatus, DialStatus), Exotel (CallSid, CallFrom,
digits, which Exotel wraps in double quotes, CallType, DialCallStatus). A request without a call
id is unreadable (400); everything else degrades gracefully: missing or garbage keys are "no
input", a turn number that is not one is a replay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sampark.callcentre.models import CallSource
from sampark.core.errors import ValidationFailed

from .services import Inbound, QueueResult

CALL_ID_MAX = 64
TURN_PARAM = "t"
BAD_CALL_ID = _("The provider's call id (at most 64 characters) is missing.")


class Unreadable(ValidationFailed):
    status = 400
    code = "bad_request"


@dataclass(frozen=True)
class Ended:
    call_id: str
    calling_number: str
    failed: bool  # the network or the provider failed the call


def _call_id(raw: str | None) -> str:
    value = (raw or "").strip()
    if not value or len(value) > CALL_ID_MAX or not value.isprintable():
        raise Unreadable(fields={"call_id": BAD_CALL_ID})
    return value


def _turn(query: Mapping[str, str]) -> int | None:
    """The answer number from the action URL; -1 (never the current turn) when garbled."""
    raw = query.get(TURN_PARAM)
    if raw is None or raw == "":
        return None
    return int(raw) if raw.isdigit() and len(raw) <= 6 else -1


def _digits(raw: str | None) -> str:
    return (raw or "").strip().strip('"')[:32]


# --- Twilio -------------------------------------------------------------------------------------


def twilio_step(data: Mapping[str, str], query: Mapping[str, str]) -> Inbound:
    return Inbound(
        source=CallSource.TWILIO,
        call_id=_call_id(data.get("CallSid")),
        calling_number=data.get("From", ""),
        turn=_turn(query),
        digits=_digits(data.get("Digits")),
    )


def twilio_ended(data: Mapping[str, str]) -> Ended:
    """Status callback: CallStatus completed, busy, no-answer, canceled (the caller gave up) or
    failed (the network failed the call)."""
    return Ended(
        call_id=_call_id(data.get("CallSid")),
        calling_number=data.get("From", ""),
        failed=data.get("CallStatus", "") == "failed",
    )


TWILIO_QUEUE_RESULTS = {
    "bridged": QueueResult.BRIDGED,
    "bridging-in-process": QueueResult.BRIDGED,
    "redirected-from-bridged": QueueResult.BRIDGED,
    "hangup": QueueResult.HANGUP,
    "queue-full": QueueResult.FAILED,
    "error": QueueResult.FAILED,
    "system-error": QueueResult.FAILED,
}


def twilio_queue_result(data: Mapping[str, str]) -> tuple[str, QueueResult]:
    """<Enqueue> action: QueueResult says how the caller left the queue."""
    result = TWILIO_QUEUE_RESULTS.get(data.get("QueueResult", ""), QueueResult.OTHER)
    return _call_id(data.get("CallSid")), result


# --- Plivo --------------------------------------------------------------------------------------


def plivo_step(data: Mapping[str, str], query: Mapping[str, str]) -> Inbound:
    return Inbound(
        source=CallSource.PLIVO,
        call_id=_call_id(data.get("CallUUID")),
        calling_number=data.get("From", ""),
        turn=_turn(query),
        digits=_digits(data.get("Digits")),
    )


def plivo_ended(data: Mapping[str, str]) -> Ended:
    """hangup_url: CallStatus completed (or busy, no-answer, cancel, timeout), failed."""
    return Ended(
        call_id=_call_id(data.get("CallUUID")),
        calling_number=data.get("From", ""),
        failed=data.get("CallStatus", "") == "failed",
    )


def plivo_dial_result(data: Mapping[str, str]) -> tuple[str, QueueResult]:
    """<Dial> action: DialStatus completed (an agent took the call), or busy, failed,
    timeout, no-answer (nobody did)."""
    status = data.get("DialStatus", "")
    if status in ("completed", "answer"):
        result = QueueResult.BRIDGED
    elif status in ("busy", "failed", "timeout", "no-answer"):
        result = QueueResult.FAILED
    else:
        result = QueueResult.OTHER
    return _call_id(data.get("CallUUID")), result


# --- Exotel -------------------------------------------------------------------------------------


def _exotel_from(query: Mapping[str, str]) -> str:
    return query.get("CallFrom") or query.get("From") or ""


def exotel_step(query: Mapping[str, str]) -> Inbound:
    """Passthru after the Gather applet: `digits` answers the prompt Exotel fetched last."""
    return Inbound(
        source=CallSource.EXOTEL,
        call_id=_call_id(query.get("CallSid")),
        calling_number=_exotel_from(query),
        digits=_digits(query.get("digits")),
        answers_last_prompt=True,
    )


def exotel_call_id(query: Mapping[str, str]) -> str:
    return _call_id(query.get("CallSid"))


EXOTEL_CALL_TYPES = {
    "completed": QueueResult.BRIDGED,  # a conversation with an agent happened
    "client-hangup": QueueResult.HANGUP,  # the caller hung up while being connected
    "incomplete": QueueResult.FAILED,  # no agent picked up
}


def exotel_ended(query: Mapping[str, str]) -> tuple[Ended, QueueResult]:
    """Passthru at the end of the flow: CallType (call-attempt, completed, client-hangup,
    incomplete) and, after a Connect applet, DialCallStatus."""
    result = EXOTEL_CALL_TYPES.get(query.get("CallType", ""), QueueResult.OTHER)
    if query.get("DialCallStatus") == "completed":
        result = QueueResult.BRIDGED
    ended = Ended(
        call_id=_call_id(query.get("CallSid")),
        calling_number=_exotel_from(query),
        failed=query.get("CallStatus", "") == "failed",
    )
    return ended, result
