"""Closure only with the consumer's word (DESIGN.md section 4; issue 6).

A complaint the field (or the restoration of its outage) marks resolved gets one confirmation
request: a yes/no on WhatsApp to a consumer who opted in, else an SMS with a 6-digit OTP that
the consumer gives the field team or sends back (`YES <otp>`, `NO`). Confirmed: closed as
confirmed. Rejected: reopened, the resolution recorded as rejected against the engineer who
made it, and escalated one rung. No answer in `SAMPARK_CONFIRMATION_HOURS`: closed as
unconfirmed by the sweep, and reported apart from confirmed closures.

The OTP is kept only as a salted HMAC (keyed with SECRET_KEY); the outbox row that carries it
to the consumer is the one place it is written out, as every OTP message is.
The chatbot (sampark.channels) reads pending requests when the consumer answers; nothing here
calls the channels.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, can
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.core.db import chunked
from sampark.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue

from .informing import complaint_consumer_address, complaint_inform_rating_request
from .models import (
    Channel,
    Closure,
    ClosureConfirmation,
    Complaint,
    ComplaintEvent,
    ConfirmationStatus,
    EscalationRule,
    EventKind,
    Status,
)
from .services import complaint_event_add, complaint_lock, complaint_transition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OTP_DIGITS = 6
OTP_MAX_ATTEMPTS = 3
PENDING = ConfirmationStatus.PENDING
DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")

NOT_AWAITING = _("Complaint %(number)s is not waiting for the consumer's confirmation.")
WRONG_CODE = _("This code is not right. %(left)s attempts left.")
LOCKED = _(
    "Three wrong codes: this confirmation is locked. Send the consumer a new code from the "
    "complaint's page."
)
EXPIRED = _(
    "This code has expired: the consumer did not confirm in time, and the complaint will be "
    "closed as unconfirmed."
)
NO_CODE = _(
    "This confirmation was asked as a yes/no on WhatsApp and has no code; the consumer answers "
    "there."
)
ENTER_CODE = _("Enter the 6-digit code the consumer received.")


def _digest(*, salt: str, otp: str) -> str:
    return salted_hmac(
        "sampark.complaints.closure", f"{salt}:{otp}", algorithm="sha256"
    ).hexdigest()


def _otp_new() -> tuple[str, str]:
    """A fresh code and what is stored of it: "<salt>$<HMAC>"; never the code itself."""
    otp = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(8)
    return otp, f"{salt}${_digest(salt=salt, otp=otp)}"


def _otp_matches(*, stored: str, otp: str) -> bool:
    salt, _sep, digest = stored.partition("$")
    return bool(digest) and constant_time_compare(_digest(salt=salt, otp=otp), digest)


def _expiry(now: datetime) -> datetime:
    return now + timedelta(hours=settings.SAMPARK_CONFIRMATION_HOURS)


@dataclass
class _Ask:
    """One request being made: its row, where it goes, and the code (in memory only)."""

    complaint: Complaint
    row: ClosureConfirmation
    channel: str  # notification channel, "" when there is no mobile to ask
    recipient: str
    otp: str


def _ask_for(complaint: Complaint, *, resolved_by: StaffUser | None, now: datetime) -> _Ask:
    """WhatsApp when the consumer opted in (DESIGN.md section 5), otherwise SMS with an OTP to
    the registered mobile (or the mobile the caller gave, for a caller not on the registry)."""
    channel, recipient = complaint_consumer_address(complaint) or ("", "")
    otp, hashed = ("", "") if channel == NotificationChannel.WHATSAPP else _otp_new()
    row = ClosureConfirmation(
        complaint=complaint,
        resolved_by=resolved_by,
        channel=Channel.WHATSAPP if channel == NotificationChannel.WHATSAPP else Channel.SMS,
        otp_hash=hashed,
        status=PENDING,
        sent_at=now,
        expires_at=_expiry(now),
    )
    return _Ask(complaint=complaint, row=row, channel=channel, recipient=recipient, otp=otp)


def _send(ask: _Ask) -> None:
    """Queue the question in the outbox (inside the caller's transaction: it goes out after
    commit, and never if the resolution is rolled back); once per request by its unique key."""
    if not ask.channel:
        return
    complaint = ask.complaint
    variables: dict[str, object] = {
        "number": complaint.number,
        "hours": settings.SAMPARK_CONFIRMATION_HOURS,
    }
    if ask.otp:
        variables["otp"] = ask.otp
    notification_enqueue(
        topic=f"complaint:{complaint.pk}",
        event=f"closure:{ask.row.pk}:{ask.row.sent_at:%Y%m%d%H%M%S}",
        channel=ask.channel,
        recipient=ask.recipient,
        template_key="closure_otp" if ask.otp else "closure_question",
        language=complaint.language,
        variables=variables,
        consumer=complaint.consumer,
    )


def _sent_note(ask: _Ask) -> str:
    if not ask.channel:
        return "no mobile on file: nobody to ask; closes unconfirmed when the time is up"
    tail = ask.recipient[-4:]
    if ask.otp:
        return f"OTP sent by SMS to …{tail}"
    return f"yes/no asked on WhatsApp to …{tail}"


def closures_request(
    *,
    complaint_ids: Sequence[int],
    resolved_by: StaffUser | None,
    now: datetime | None = None,
) -> int:
    """Ask the consumers of just-resolved complaints for their word: one request row, one
    CONFIRMATION_SENT event and one outbox message per complaint.

    Called inside the transaction that resolved them (`complaint_transition`, the restoration
    sweep); set-based per batch: one UPDATE, two bulk INSERTs, and one enqueue per message.
    A request left pending from an earlier resolution (a staff reopen) is closed as expired.
    """
    now = now or clock.now()
    made = 0
    for batch in chunked(complaint_ids, 1000):
        complaints = list(
            Complaint.objects.filter(id__in=batch, status=Status.RESOLVED).select_related(
                "consumer"
            )
        )
        if not complaints:
            continue
        ids = [c.pk for c in complaints]
        ClosureConfirmation.objects.filter(complaint_id__in=ids, status=PENDING).update(
            status=ConfirmationStatus.EXPIRED
        )
        asks = [_ask_for(c, resolved_by=resolved_by, now=now) for c in complaints]
        ClosureConfirmation.objects.bulk_create([ask.row for ask in asks])
        _ids_ensure(asks)
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=ask.complaint.pk,
                kind=EventKind.CONFIRMATION_SENT,
                from_status=Status.RESOLVED,
                to_status=Status.RESOLVED,
                actor_label="system",
                assignee=resolved_by,
                note=_sent_note(ask),
                created_at=now,
            )
            for ask in asks
        )
        for ask in asks:
            _send(ask)
        made += len(asks)
    return made


def _ids_ensure(asks: list[_Ask]) -> None:
    """bulk_create returns primary keys on PostgreSQL and SQLite >= 3.35; read them otherwise."""
    if all(ask.row.pk for ask in asks):
        return
    found = dict(
        ClosureConfirmation.objects.filter(
            complaint_id__in=[ask.complaint.pk for ask in asks], status=PENDING
        ).values_list("complaint_id", "id")
    )
    for ask in asks:
        ask.row.pk = found[ask.complaint.pk]


def _authorize(*, actor: StaffUser | None, complaint: Complaint) -> None:
    if actor is None:
        return
    # The consumer's code is the authority: the field team that holds it, or the desk, may enter it.
    if not (can(actor, Action.COMPLAINT_WORK) or can(actor, Action.COMPLAINT_CLOSE)):
        raise NotAllowed()
    if not staff_scope(actor).covers(complaint.org_unit.path):
        raise NotFound()


def _pending(complaint: Complaint) -> ClosureConfirmation | None:
    return (
        ClosureConfirmation.objects.select_for_update()
        .filter(complaint_id=complaint.pk, status=PENDING)
        .first()
    )


def _not_awaiting(complaint: Complaint) -> Conflict:
    latest = ClosureConfirmation.objects.filter(complaint_id=complaint.pk).order_by("-id").first()
    if (
        complaint.status == Status.RESOLVED
        and latest is not None
        and latest.status == ConfirmationStatus.LOCKED
    ):
        return Conflict(LOCKED, code="confirmation_locked")
    return Conflict(NOT_AWAITING % {"number": complaint.number}, code="not_awaiting_confirmation")


def _close(
    *,
    complaint: Complaint,
    pending: ClosureConfirmation | None,
    actor: StaffUser | None,
    actor_label: str,
    note: str,
    now: datetime,
) -> Complaint:
    # Closed on the consumer's word, checked above; the staff who entered the code is named,
    # not asked for a close permission the field does not have.
    closed = complaint_transition(
        complaint=complaint,
        to_status=Status.CLOSED,
        actor=None,
        actor_label=actor.username if actor is not None else actor_label,
        note=note,
    )
    if actor is not None:  # the audit names who entered the code
        closed.events.filter(kind=EventKind.TRANSITION, to_status=Status.CLOSED).update(actor=actor)
    Complaint.objects.filter(pk=closed.pk).update(closure=Closure.CONFIRMED)
    closed.closure = Closure.CONFIRMED
    if pending is not None:
        pending.status = ConfirmationStatus.CONFIRMED
        pending.answered_at = now
        pending.save(update_fields=["status", "answered_at"])
    return closed


def _resolver(complaint: Complaint, pending: ClosureConfirmation | None) -> StaffUser | None:
    """Whose resolution is being judged: the request's, else the last move to resolved."""
    if pending is not None:
        return pending.resolved_by
    event = (
        ComplaintEvent.objects.filter(complaint_id=complaint.pk, to_status=Status.RESOLVED)
        .exclude(from_status=Status.RESOLVED)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return event.actor if event is not None else None


def _reject(
    *,
    complaint: Complaint,
    pending: ClosureConfirmation | None,
    actor_label: str,
    now: datetime,
) -> Complaint:
    """Reopened, the rejection recorded against the resolver, and one rung up the ladder: the
    escalation sweep tells the next officer at its next run (next_escalation_at = now)."""
    resolver = _resolver(complaint, pending)
    reopened = complaint_transition(
        complaint=complaint,
        to_status=Status.REOPENED,
        actor=None,
        actor_label=actor_label,
        note="consumer says not resolved",
    )
    # The sweep escalates to the rung above `escalation_level` when next_escalation_at is due:
    # making it due now is "one level up" (raising the level too would skip a rung).
    top = EscalationRule.objects.aggregate(top=Max("level"))["top"] or 0
    if reopened.escalation_level < top:
        Complaint.objects.filter(pk=reopened.pk).update(next_escalation_at=now)
        reopened.next_escalation_at = now
    who = resolver.username if resolver is not None else "the system (supply restored)"
    complaint_event_add(
        complaint=reopened,
        kind=EventKind.RESOLUTION_REJECTED,
        at=now,
        actor=None,
        actor_label=actor_label,
        from_status=Status.RESOLVED,
        to_status=Status.REOPENED,
        assignee=resolver,
        note=f"resolution by {who} rejected by the consumer; escalated one level",
    )
    if pending is not None:
        pending.status = ConfirmationStatus.REJECTED
        pending.answered_at = now
        pending.save(update_fields=["status", "answered_at"])
    return reopened


def closure_answer(*, complaint: Complaint, confirmed: bool, channel: str) -> Complaint:
    """The consumer's yes or no (chatbot, WhatsApp, IVR, SMS "NO"): settles the pending request.

    Only a complaint waiting for the consumer's word (resolved) can be answered; a second answer
    is a Conflict and changes nothing.
    """
    label = f"consumer via {channel}"
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        if locked.status != Status.RESOLVED:
            raise Conflict(
                _("Complaint %(number)s is not waiting for your confirmation.")
                % {"number": locked.number},
                code="not_awaiting_confirmation",
            )
        pending = _pending(locked)
        now = clock.now()
        if confirmed:
            return _close(
                complaint=locked,
                pending=pending,
                actor=None,
                actor_label=label,
                note="resolution confirmed by the consumer",
                now=now,
            )
        return _reject(complaint=locked, pending=pending, actor_label=label, now=now)


def closure_confirm_by_otp(
    *,
    complaint: Complaint,
    otp: str,
    channel: str,
    actor: StaffUser | None = None,
    rating_request: bool = True,
) -> Complaint:
    """Close on the consumer's code: typed by the field engineer (`actor`) it was given to, or
    sent back by the consumer's SMS (`YES <otp>`, actor None).

    Right code: closed, confirmed. Wrong code: ValidationFailed with the attempts left, the
    attempt counted and nothing else changed; the third wrong code locks the request (a new code
    comes from `closure_resend`). Expired, locked or already answered: Conflict, nothing changed.
    Closed: the consumer is asked for a 1-5 rating by one message after commit, unless
    `rating_request` is False (the chatbot asks in the conversation itself).
    """
    _authorize(actor=actor, complaint=complaint)
    code = "".join(ch for ch in str(otp).translate(DIGITS) if ch.isdigit())
    if len(code) != OTP_DIGITS:
        raise ValidationFailed(fields={"otp": ENTER_CODE})
    problem: StrOrPromise | None = None
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        pending = _pending(locked)
        if locked.status != Status.RESOLVED or pending is None:
            raise _not_awaiting(locked)
        if not pending.otp_hash:
            raise Conflict(NO_CODE, code="confirmation_without_code")
        now = clock.now()
        if pending.expires_at <= now:
            raise Conflict(EXPIRED, code="confirmation_expired")
        if _otp_matches(stored=pending.otp_hash, otp=code):
            by = "entered by the field team" if actor is not None else f"sent back by {channel}"
            closed = _close(
                complaint=locked,
                pending=pending,
                actor=actor,
                actor_label="" if actor is not None else f"consumer via {channel}",
                note=f"resolution confirmed with the consumer's OTP ({by})",
                now=now,
            )
            if rating_request:
                complaint_inform_rating_request(complaint=closed)
            return closed
        pending.attempts += 1
        left = OTP_MAX_ATTEMPTS - pending.attempts
        if left <= 0:
            pending.status = ConfirmationStatus.LOCKED
            problem = LOCKED
        else:
            problem = WRONG_CODE % {"left": left}
        # Committed before the error is raised: the attempt counts even though nothing closes.
        pending.save(update_fields=["attempts", "status"])
    raise ValidationFailed(fields={"otp": problem})


def closure_resend(*, complaint: Complaint, actor: StaffUser | None) -> ClosureConfirmation:
    """A new code (or question) for the same resolution: after a lock, or when the consumer lost
    the message. The request row is reused (one row per resolution, so the per-officer figures
    count resolutions), with a fresh code, no attempts and a fresh time limit."""
    _authorize(actor=actor, complaint=complaint)
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        row = (
            ClosureConfirmation.objects.select_for_update()
            .filter(complaint_id=locked.pk)
            .order_by("-id")
            .first()
        )
        reusable = (PENDING, ConfirmationStatus.LOCKED)
        if locked.status != Status.RESOLVED or row is None or row.status not in reusable:
            raise Conflict(
                NOT_AWAITING % {"number": locked.number}, code="not_awaiting_confirmation"
            )
        now = clock.now()
        ask = _ask_for(locked, resolved_by=row.resolved_by, now=now)
        row.channel, row.otp_hash = ask.row.channel, ask.row.otp_hash
        row.attempts, row.status, row.sent_at, row.expires_at = 0, PENDING, now, ask.row.expires_at
        row.save(
            update_fields=["channel", "otp_hash", "attempts", "status", "sent_at", "expires_at"]
        )
        ask.row = row
        complaint_event_add(
            complaint=locked,
            kind=EventKind.CONFIRMATION_SENT,
            at=now,
            actor=actor,
            from_status=Status.RESOLVED,
            to_status=Status.RESOLVED,
            assignee=row.resolved_by,
            note=f"sent again: {_sent_note(ask)}",
        )
        _send(ask)
    return row


def closures_expire_unconfirmed(*, now: datetime | None = None) -> int:
    """Requests nobody answered in time: expired, and their complaints (still resolved) closed
    as unconfirmed with a TRANSITION event each. Returns the number of complaints closed.

    Set-based: the complaints are locked first (the same order as an OTP check, so the two
    never deadlock), then one UPDATE of the requests, one bulk INSERT of events and one UPDATE
    of the complaints per 5,000.
    """
    now = now or clock.now()
    hours = settings.SAMPARK_CONFIRMATION_HOURS
    with transaction.atomic():
        rows = list(
            Complaint.objects.filter(
                confirmations__status=PENDING, confirmations__expires_at__lte=now
            )
            .select_for_update(of=("self",))
            .values_list("id", "status")
        )
        if not rows:
            return 0
        closing = [pk for pk, status in rows if status == Status.RESOLVED]
        for batch in chunked([pk for pk, _status in rows], 5000):
            ClosureConfirmation.objects.filter(
                complaint_id__in=batch, status=PENDING, expires_at__lte=now
            ).update(status=ConfirmationStatus.EXPIRED)
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=pk,
                kind=EventKind.TRANSITION,
                from_status=Status.RESOLVED,
                to_status=Status.CLOSED,
                actor_label="system",
                note=f"no answer from the consumer in {hours} h: closed unconfirmed",
                created_at=now,
            )
            for pk in closing
        )
        for batch in chunked(closing, 5000):
            Complaint.objects.filter(id__in=batch, status=Status.RESOLVED).update(
                status=Status.CLOSED, closure=Closure.UNCONFIRMED, closed_at=now, updated_at=now
            )
    return len(closing)
