"""Writes on calls: telephony events, IVR containment, callbacks and their attempts, agent state.

A call's facts (offered, queued, answered, ended, outcome) are re-derived from all of its events
each time one arrives, so events may come in any order and a replayed one (same call, kind and
time) changes nothing. A call that ends unserved (abandoned or dropped, not contained by the IVR,
not answered by an agent) is owed a callback, opened after commit; one that later turns out to
have been served (a late "answered" event, IVR containment) has its pending callback cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.complaints.models import Complaint
from sampark.complaints.selectors import complaint_get_for_staff
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.errors import Conflict, NotFound, ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import LEVEL_DEPTH, OrgLevel, OrgUnit
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue, notifications_expire

from .models import (
    AgentState,
    AgentStatus,
    Call,
    Callback,
    CallbackAttempt,
    CallbackStatus,
    CallEvent,
    CallEventKind,
    CallOutcome,
    CallQueue,
    CallSource,
)

log = logging.getLogger(__name__)

TERMINAL = frozenset(
    {
        CallEventKind.ABANDONED,
        CallEventKind.COMPLETED,
        CallEventKind.DROPPED,
        CallEventKind.TRANSFERRED,
    }
)
# Outcomes of a call that ended without being served: each is owed a callback.
UNSERVED = frozenset({CallOutcome.ABANDONED, CallOutcome.DROPPED})
CLOSING_RESULTS = {
    CallbackAttempt.Result.REACHED: CallbackStatus.REACHED,
    CallbackAttempt.Result.COMPLAINT: CallbackStatus.COMPLAINT_REGISTERED,
}
CALL_ID_MAX = 64
# A provider's clock may run a little ahead of ours; further ahead is a malformed event.
FUTURE_SLACK = timedelta(minutes=10)

BAD_CALL_ID = _("Give the provider's call id (at most 64 characters).")
BAD_KIND = _("Choose offered, queued, answered, abandoned, transferred, completed, dropped or ivr.")
BAD_SOURCE = _("Choose one of the listed telephony sources.")
BAD_QUEUE = _("Choose emergency, general or english.")
BAD_TIME = _("Enter a date and time with its time zone, not in the future.")
BAD_DETAIL = _("Send an object of extra values.")
BAD_RESULT = _("Choose reached, complaint, no_answer or busy.")
BAD_STATUS = _("Choose available, on_call, wrap_up, break or offline.")
COMPLAINT_NEEDED = _("Give the complaint that was registered on this callback.")
UNKNOWN_COMPLAINT = _("No complaint in your area has this number.")
CALLBACK_CLOSED = _("This callback is already closed.")
NOTE_TOO_LONG = _("At most 300 characters.")


# --- calls ----------------------------------------------------------------------------------


def calling_number_clean(raw: str) -> tuple[str, str | None]:
    """(what to store, E.164 mobile or None). Withheld or malformed numbers are kept as given
    (cut to fit) so the call is still counted, but nobody can call them back."""
    text = (raw or "").strip()
    if not text:
        return "", None
    try:
        e164 = mobile_to_e164(text, field="calling_number")
    except ValidationFailed:
        return text[:16], None
    if not e164.startswith(_home_prefix()):
        return e164, None  # a foreign mobile: no Indian SMS or callback route reaches it
    return e164, e164


def _home_prefix() -> str:
    return f"+{phonenumbers.country_code_for_region(settings.SAMPARK_PHONE_REGION)}"


def _discom_of(unit: OrgUnit) -> OrgUnit | None:
    depth = LEVEL_DEPTH[OrgLevel.DISCOM]
    if unit.depth < depth:
        return None
    if unit.depth == depth:
        return unit
    return OrgUnit.objects.filter(path=unit.path[: OrgUnit.steplen * depth]).first()


def _consumer_by_mobile(mobile: str | None) -> Consumer | None:
    if mobile is None:
        return None
    return (
        Consumer.objects.filter(mobile=mobile).select_related("subdivision").order_by("id").first()
    )


def _event_check(
    *, call_id: str, kind: str, at: datetime, source: str, queue: str, detail: object
) -> None:
    problems: dict[str, Any] = {}
    if not call_id or len(call_id) > CALL_ID_MAX or not call_id.isprintable():
        problems["call_id"] = BAD_CALL_ID
    if kind not in CallEventKind.values:
        problems["kind"] = BAD_KIND
    if source not in CallSource.values:
        problems["source"] = BAD_SOURCE
    if queue and queue not in CallQueue.values:
        problems["queue"] = BAD_QUEUE
    if not isinstance(at, datetime) or timezone.is_naive(at) or at > clock.now() + FUTURE_SLACK:
        problems["at"] = BAD_TIME
    if detail is not None and not isinstance(detail, Mapping):
        problems["detail"] = BAD_DETAIL
    if problems:
        raise ValidationFailed(fields=problems)


def _call_get_or_create_locked(
    *,
    call_id: str,
    source: str,
    at: datetime,
    calling_number: str,
    discom: OrgUnit | None,
) -> Call:
    locked = Call.objects.select_for_update().filter(call_id=call_id).first()
    if locked is not None:
        return locked
    stored, mobile = calling_number_clean(calling_number)
    consumer = _consumer_by_mobile(mobile)
    if discom is None and consumer is not None:
        discom = _discom_of(consumer.subdivision)
    call = _call_new(
        call_id=call_id, source=source, at=at, number=stored, consumer=consumer, discom=discom
    )
    try:
        with transaction.atomic():
            call.save(force_insert=True)
    except IntegrityError:  # another request created it meanwhile: lock theirs
        return Call.objects.select_for_update().get(call_id=call_id)
    return call


def _call_new(
    *,
    call_id: str,
    source: str,
    at: datetime,
    number: str,
    consumer: Consumer | None,
    discom: OrgUnit | None,
) -> Call:
    """An unsaved call, in its registered caller's language (Hindi for anyone else)."""
    return Call(
        call_id=call_id,
        source=source,
        calling_number=number,
        consumer=consumer,
        discom=discom,
        language=consumer.language if consumer is not None else Language.HINDI,
        offered_at=at,
    )


def _earliest(current: datetime | None, times: Iterable[datetime]) -> datetime | None:
    found = [t for t in (current, *times) if t is not None]
    return min(found) if found else None


def _facts_derive(call: Call, events: list[CallEvent]) -> None:
    """Set the call's timestamps, agent and outcome from all of its events (in any order)."""
    by_kind: dict[str, list[CallEvent]] = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    call.offered_at = _earliest(call.offered_at, (e.at for e in events)) or call.offered_at
    call.queued_at = _earliest(call.queued_at, (e.at for e in by_kind.get("queued", [])))
    answers = sorted(by_kind.get(CallEventKind.ANSWERED, []), key=lambda e: (e.at, e.pk))
    if answers and (call.answered_at is None or answers[0].at <= call.answered_at):
        call.answered_at = answers[0].at
        call.agent_id = answers[0].agent_id or call.agent_id
    queues = [e for e in events if e.queue]
    if queues and not call.queue:
        call.queue = min(queues, key=lambda e: (e.at, e.pk)).queue
    ends = sorted((e for e in events if e.kind in TERMINAL), key=lambda e: (e.at, e.pk))
    if ends:
        call.ended_at = max(ends[-1].at, call.ended_at or ends[-1].at)
    last_end = ends[-1].kind if ends else None
    call.outcome = _outcome(call, last_end=last_end)


def _outcome(call: Call, *, last_end: str | None) -> str:
    if call.answered_at is not None:
        if last_end == CallEventKind.TRANSFERRED:
            return CallOutcome.TRANSFERRED
        return CallOutcome.ANSWERED if call.ended_at else CallOutcome.IN_PROGRESS
    if call.outcome == CallOutcome.CALLBACK_REQUESTED:
        return CallOutcome.CALLBACK_REQUESTED  # kept their place: the callback is the answer
    if call.ended_at is None:
        return CallOutcome.IN_PROGRESS
    if call.ivr_contained:
        return CallOutcome.IVR_CONTAINED
    if last_end == CallEventKind.TRANSFERRED:
        return CallOutcome.TRANSFERRED
    if last_end == CallEventKind.DROPPED:
        return CallOutcome.DROPPED
    # Hung up in the queue or the IVR menus, or a completed call nobody answered.
    return CallOutcome.ABANDONED


def _callback_follow(call: Call) -> None:
    """Open the callback an unserved call is owed (after commit), or cancel one it no longer is."""
    if call.outcome in UNSERVED:
        if _callback_still_useful(call) and not Callback.objects.filter(call=call).exists():
            transaction.on_commit(partial(_callback_open_quietly, call.pk), robust=True)
        return
    if call.answered_at is not None or call.ivr_contained:
        _callbacks_cancel(
            Callback.objects.filter(call=call, requested=False),
            reason="call was served after all",
        )


def _callback_still_useful(call: Call) -> bool:
    """A call that ended long ago (an old CDR file imported today) is not called back now."""
    max_age = timedelta(hours=settings.SAMPARK_CALLBACK_MAX_AGE_HOURS)
    return call.ended_at is not None and call.ended_at >= clock.now() - max_age


def _callback_open_quietly(call_id: int) -> None:
    call = Call.objects.filter(pk=call_id).first()
    # Re-read: a later event in the same transaction may have shown the call was served.
    if call is not None and call.outcome in UNSERVED and _callback_still_useful(call):
        callback_open(call=call)


def _agent_follow(call: Call, event: CallEvent) -> None:
    """Telephony tells us what an agent is doing; an old event (CDR, replay) never rewinds it."""
    agent_id = event.agent_id or (call.agent_id if event.kind in TERMINAL else None)
    if agent_id is None or call.source == CallSource.CDR:
        return
    state = AgentState.objects.filter(agent_id=agent_id).first()
    if state is not None and state.since > event.at:
        return
    if event.kind == CallEventKind.ANSWERED:
        _agent_state_write(agent_id=agent_id, status=AgentStatus.ON_CALL, call=call, at=event.at)
    elif event.kind in TERMINAL and state is not None and state.call_id == call.pk:
        _agent_state_write(agent_id=agent_id, status=AgentStatus.WRAP_UP, call=call, at=event.at)


def call_event_record(
    *,
    call_id: str,
    kind: CallEventKind | str,
    at: datetime,
    source: CallSource | str,
    calling_number: str = "",
    agent: StaffUser | None = None,
    queue: str = "",
    discom: OrgUnit | None = None,
    detail: dict[str, Any] | None = None,
) -> Call:
    """Record one telephony event; a replay (same call, kind and time) is a no-op.

    The call is created on its first event (whatever its kind) and identified by its calling
    number: a registered consumer's mobile gives the consumer, their language and discom.
    """
    call_id = (call_id or "").strip()
    _event_check(call_id=call_id, kind=kind, at=at, source=source, queue=queue, detail=detail)
    with transaction.atomic():
        call = _call_get_or_create_locked(
            call_id=call_id, source=source, at=at, calling_number=calling_number, discom=discom
        )
        if kind == CallEventKind.OFFERED and call.events.filter(kind=kind).exists():
            # A call is offered once: a provider's retry of its first webhook, stamped a moment
            # later, is the same offer (the row lock above orders simultaneous first requests).
            return call
        try:
            with transaction.atomic():
                event = CallEvent.objects.create(
                    call=call, kind=kind, at=at, agent=agent, queue=queue, detail=dict(detail or {})
                )
        except IntegrityError:
            return call  # replayed (same call, kind and time): nothing changes
        if discom is not None and call.discom_id is None:
            call.discom = discom
        if not call.calling_number and calling_number:
            _fill_caller(call, calling_number)
        was_answered = call.answered_at is not None
        _facts_derive(call, list(call.events.all()))
        call.save()
        _callback_follow(call)
        if call.answered_at is not None and not was_answered:
            _caller_served(call)
        _agent_follow(call, event)
    return call


def _fill_caller(call: Call, calling_number: str) -> None:
    stored, mobile = calling_number_clean(calling_number)
    call.calling_number = stored
    consumer = _consumer_by_mobile(mobile)
    if consumer is not None and call.consumer_id is None:
        call.consumer = consumer
        call.language = consumer.language
        if call.discom_id is None:
            call.discom = _discom_of(consumer.subdivision)


def _caller_served(call: Call) -> None:
    """An agent answered this caller: an earlier missed call of theirs needs no callback."""
    _, mobile = calling_number_clean(call.calling_number)
    if mobile is None:
        return
    earlier = Callback.objects.filter(mobile=mobile, call__offered_at__lte=call.answered_at)
    _callbacks_cancel(
        earlier.exclude(call=call),
        reason=f"caller called again and was answered (call {call.call_id})",
    )


def _callbacks_cancel(rows: Any, *, reason: str) -> int:
    pending = list(rows.filter(status=CallbackStatus.PENDING).values_list("pk", flat=True))
    if not pending:
        return 0
    now = clock.now()
    Callback.objects.filter(pk__in=pending, status=CallbackStatus.PENDING).update(
        status=CallbackStatus.CANCELLED, closed_at=now, note=reason[:300]
    )
    for pk in pending:  # the "we missed your call" SMS is pointless if not yet sent
        transaction.on_commit(
            partial(notifications_expire, topic=callback_topic(pk), events=["opened"]),
            robust=True,
        )
    return len(pending)


def call_lock(*, call_pk: int) -> Call:
    return Call.objects.select_for_update().get(pk=call_pk)


def call_mark_ivr_contained(*, call: Call, at: datetime) -> Call:
    """The IVR served the caller (an outage's reason and ETR) and no agent was needed."""
    if not isinstance(at, datetime) or timezone.is_naive(at):
        raise ValidationFailed(fields={"at": BAD_TIME})
    with transaction.atomic():
        locked = call_lock(call_pk=call.pk)
        CallEvent.objects.get_or_create(
            call=locked, kind=CallEventKind.IVR, at=at, defaults={"detail": {"step": "contained"}}
        )
        locked.ivr_contained = True
        _facts_derive(locked, list(locked.events.all()))
        locked.save()
        _callback_follow(locked)
    return locked


def call_link_complaint(*, call: Call, complaint: Complaint) -> Call:
    with transaction.atomic():
        locked = call_lock(call_pk=call.pk)
        locked.complaint = complaint
        locked.save(update_fields=["complaint", "updated_at"])
    return locked


def calls_close_stale(*, older_than: timedelta | None = None) -> int:
    """Calls still "in progress" long after they began lost their final event: close them as
    dropped (unanswered ones are then owed a callback). Returns how many were closed."""
    hours = settings.SAMPARK_CALL_STALE_HOURS
    cutoff = clock.now() - (older_than if older_than is not None else timedelta(hours=hours))
    stale = Call.objects.filter(
        outcome__in=[CallOutcome.IN_PROGRESS], ended_at__isnull=True, offered_at__lt=cutoff
    ).values_list("call_id", "source", "offered_at")
    closed = 0
    for call_id, source, offered_at in stale[:1000]:
        last = CallEvent.objects.filter(call__call_id=call_id).order_by("-at").first()
        at = max(last.at if last else offered_at, offered_at)
        call_event_record(
            call_id=call_id,
            kind=CallEventKind.DROPPED,
            at=at,
            source=source,
            detail={"reason": "no final event received"},
        )
        closed += 1
    return closed


# --- callbacks ------------------------------------------------------------------------------


def callback_topic(callback_pk: int) -> str:
    return f"callback:{callback_pk}"


def chat_link() -> str:
    return settings.SAMPARK_PUBLIC_URL.rstrip("/") + "/chat/"


def callback_open(*, call: Call, requested: bool = False, reason: str = "") -> Callback | None:
    """The centre owes this caller a call: due in SAMPARK_CALLBACK_DUE_MINUTES, and one SMS.

    One callback per call and at most one pending per mobile: a caller who hangs up three times
    in ten minutes is called back once (the pending one is returned). Withheld or malformed
    numbers get none (None). `requested`: the caller asked for it in the IVR.
    """
    _, mobile = calling_number_clean(call.calling_number)
    if mobile is None:
        return None
    with transaction.atomic():
        locked = call_lock(call_pk=call.pk)
        if requested and locked.answered_at is None:
            locked.outcome = CallOutcome.CALLBACK_REQUESTED
            locked.save(update_fields=["outcome", "updated_at"])
        own = Callback.objects.filter(call=locked).first()
        if own is not None:
            return own
        pending = Callback.objects.filter(mobile=mobile, status=CallbackStatus.PENDING).first()
        if pending is not None:
            return _pending_join(pending, requested=requested)
        callback = _callback_insert(call=locked, mobile=mobile, requested=requested, reason=reason)
        if callback is None:  # lost a race with another call from the same mobile
            pending = Callback.objects.filter(mobile=mobile, status=CallbackStatus.PENDING).first()
            return _pending_join(pending, requested=requested) if pending else None
        transaction.on_commit(partial(_callback_sms, callback.pk), robust=True)
    return callback


def _pending_join(pending: Callback, *, requested: bool) -> Callback:
    if requested and not pending.requested:
        Callback.objects.filter(pk=pending.pk).update(requested=True)
        pending.requested = True
    return pending


def _callback_insert(*, call: Call, mobile: str, requested: bool, reason: str) -> Callback | None:
    consumer = call.consumer
    discom = call.discom
    if discom is None and consumer is not None:
        discom = _discom_of(consumer.subdivision)
    minutes = settings.SAMPARK_CALLBACK_DUE_MINUTES
    row = Callback(
        call=call,
        mobile=mobile,
        consumer=consumer,
        discom=discom,
        language=consumer.language if consumer is not None else call.language,
        requested=requested,
        reason=(reason or _default_reason(call, requested=requested))[:200],
        due_at=clock.now() + timedelta(minutes=minutes),
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None
    return row


def _default_reason(call: Call, *, requested: bool) -> str:
    if requested:
        return "requested in the IVR"
    return str(call.outcome)


def _callback_sms(callback_pk: int) -> None:
    """Queue the SMS ("we missed your call" or "we will call you back") in the outbox."""
    callback = Callback.objects.select_related("consumer").filter(pk=callback_pk).first()
    if callback is None or callback.status != CallbackStatus.PENDING:
        return
    try:
        notification_enqueue(
            topic=callback_topic(callback.pk),
            event="opened",
            channel=NotificationChannel.SMS,
            recipient=callback.mobile,
            template_key="callback_requested" if callback.requested else "callback_missed",
            language=callback.language,
            variables={
                "minutes": settings.SAMPARK_CALLBACK_DUE_MINUTES,
                "link": chat_link(),
            },
            consumer=callback.consumer,
        )
    except ValidationFailed as error:  # the callback stands even if the SMS cannot be queued
        log.warning("callback %s: SMS not queued: %s", callback.pk, error.fields)


def callback_lock(*, callback_pk: int) -> Callback:
    return Callback.objects.select_for_update().get(pk=callback_pk)


def callback_scope_check(*, user: StaffUser, callback: Callback) -> None:
    """Another jurisdiction's callback is a 404, as an unknown one; one without a discom is
    visible to all desk staff."""
    if callback.discom_id is None:
        if staff_scope(user).empty:
            raise NotFound()
        return
    discom = callback.discom
    if discom is None or not staff_scope(user).covers(discom.path):
        raise NotFound()


def callback_attempt_record(
    *,
    callback: Callback,
    agent: StaffUser,
    result: CallbackAttempt.Result | str,
    note: str = "",
    complaint: Complaint | None = None,
    complaint_number: str = "",
) -> Callback:
    """One try at calling back. Reached (with or without a complaint) closes it; after
    SAMPARK_CALLBACK_MAX_TRIES tries without reaching the caller it closes as no answer,
    otherwise it is due again in SAMPARK_CALLBACK_RETRY_MINUTES. The complaint registered on
    the call may be given by the number the agent typed (looked up in their area)."""
    require(agent, Action.CALLBACK_WORK)
    if complaint is None and complaint_number.strip():
        try:
            complaint = complaint_get_for_staff(user=agent, number=complaint_number.strip())
        except NotFound:
            raise ValidationFailed(fields={"complaint": UNKNOWN_COMPLAINT}) from None
    if result not in CallbackAttempt.Result.values:
        raise ValidationFailed(fields={"result": BAD_RESULT})
    if len(note or "") > 300:
        raise ValidationFailed(fields={"note": NOTE_TOO_LONG})
    if result == CallbackAttempt.Result.COMPLAINT and complaint is None:
        raise ValidationFailed(fields={"complaint": COMPLAINT_NEEDED})
    with transaction.atomic():
        try:
            locked = Callback.objects.select_for_update().get(pk=callback.pk)
        except Callback.DoesNotExist:
            raise NotFound() from None
        callback_scope_check(user=agent, callback=locked)
        if locked.status != CallbackStatus.PENDING:
            raise Conflict(CALLBACK_CLOSED)
        now = clock.now()
        CallbackAttempt.objects.create(
            callback=locked, agent=agent, at=now, result=result, note=note or ""
        )
        locked.attempts += 1
        locked.last_attempt_at = now
        locked.agent = agent
        if note:
            locked.note = note[:300]
        if result in CLOSING_RESULTS:
            locked.status = CLOSING_RESULTS[CallbackAttempt.Result(result)]
            locked.closed_at = now
            if complaint is not None:
                locked.complaint = complaint
                Call.objects.filter(pk=locked.call_id, complaint__isnull=True).update(
                    complaint=complaint
                )
        elif locked.attempts >= settings.SAMPARK_CALLBACK_MAX_TRIES:
            locked.status = CallbackStatus.NO_ANSWER
            locked.closed_at = now
        else:
            locked.due_at = now + timedelta(minutes=settings.SAMPARK_CALLBACK_RETRY_MINUTES)
        locked.save()
    return locked


# --- agents ---------------------------------------------------------------------------------


def _agent_state_write(
    *, agent_id: int, status: str, call: Call | None, at: datetime
) -> AgentState:
    state, created = AgentState.objects.get_or_create(
        agent_id=agent_id, defaults={"status": status, "since": at, "call": call}
    )
    if created:
        return state
    if state.status != status:
        state.since = at
    state.status = status
    state.call = call
    state.save()
    return state


def agent_status_set(
    *, agent: StaffUser, status: AgentStatus | str, call: Call | None = None
) -> AgentState:
    """What the agent is doing now; `since` moves only when the status changes."""
    if status not in AgentStatus.values:
        raise ValidationFailed(fields={"status": BAD_STATUS})
    with transaction.atomic():
        AgentState.objects.select_for_update().filter(agent=agent).first()
        keep_call = call if status in (AgentStatus.ON_CALL, AgentStatus.WRAP_UP) else None
        return _agent_state_write(agent_id=agent.pk, status=status, call=keep_call, at=clock.now())


# --- batches of events (API, CDR import) ------------------------------------------------------


@dataclass(frozen=True)
class TelephonyEvent:
    """One event as an integration names things: the agent by username, the discom by code."""

    call_id: str
    kind: str
    at: datetime
    source: str = CallSource.API
    calling_number: str = ""
    agent: str = ""
    queue: str = ""
    discom: str = ""
    detail: Mapping[str, Any] | None = None


UNKNOWN_AGENT = _("No staff user has this username.")
UNKNOWN_DISCOM = _("No discom in your area has this code.")


def _names_resolve(
    events: Sequence[TelephonyEvent], *, actor: StaffUser | None
) -> tuple[dict[str, StaffUser], dict[str, OrgUnit]]:
    usernames = {e.agent for e in events if e.agent}
    codes = {e.discom for e in events if e.discom}
    agents = {u.username: u for u in StaffUser.objects.filter(username__in=usernames)}
    discoms = {
        d.code: d
        for d in OrgUnit.objects.filter(code__in=codes, level=OrgLevel.DISCOM)
        if actor is None or staff_scope(actor).covers(d.path)
    }
    return agents, discoms


def call_events_record(
    *, events: Sequence[TelephonyEvent], actor: StaffUser | None = None, prefix: str = ""
) -> list[Call]:
    """Record several events in one transaction, all or nothing: a bad one refuses the lot and
    its problems are named `<prefix>.<index>.<field>` (just `<field>` without a prefix)."""
    agents, discoms = _names_resolve(events, actor=actor)
    calls: dict[str, Call] = {}
    with transaction.atomic():
        for index, event in enumerate(events):
            where = f"{prefix}.{index}." if prefix else ""
            problems: dict[str, Any] = {}
            if event.agent and event.agent not in agents:
                problems[f"{where}agent"] = UNKNOWN_AGENT
            if event.discom and event.discom not in discoms:
                problems[f"{where}discom"] = UNKNOWN_DISCOM
            if problems:
                raise ValidationFailed(fields=problems)
            try:
                call = call_event_record(
                    call_id=event.call_id,
                    kind=event.kind,
                    at=event.at,
                    source=event.source,
                    calling_number=event.calling_number,
                    agent=agents.get(event.agent) if event.agent else None,
                    queue=event.queue,
                    discom=discoms.get(event.discom) if event.discom else None,
                    detail=dict(event.detail) if event.detail else None,
                )
            except ValidationFailed as error:
                raise ValidationFailed(
                    error.message, fields={f"{where}{k}": v for k, v in error.fields.items()}
                ) from None
            calls[call.call_id] = call
    return list(calls.values())


# --- whole calls at once (CDR import) ----------------------------------------------------------


@dataclass(frozen=True)
class RecordedEvent:
    kind: str
    at: datetime
    agent: StaffUser | None = None
    queue: str = ""


@dataclass(frozen=True)
class CallRecord:
    """A whole call as a telephony platform's record (a CDR row) describes it."""

    call_id: str
    source: str
    calling_number: str
    discom: OrgUnit | None
    events: Sequence[RecordedEvent]
    ivr_contained_at: datetime | None = None  # when the IVR served the caller, if it did
    detail: Mapping[str, Any] | None = None  # kept on each of its events


def calls_known(*, call_ids: Iterable[str]) -> set[str]:
    """Which of these call ids are already stored."""
    return set(Call.objects.filter(call_id__in=list(call_ids)).values_list("call_id", flat=True))


def calls_create(*, records: Sequence[CallRecord]) -> list[Call]:
    """Store calls never seen before, with their events, in a few statements: the same rows
    call_event_record would make of their events one by one (callbacks owed are opened after
    commit, a caller answered now has their earlier pending callback cancelled), at bulk-insert
    speed. Raises Conflict, storing nothing, if one of the call ids is already stored: check
    with calls_known first."""
    if not records:
        return []
    consumers = _consumers_by_mobile(
        {m for r in records if (m := calling_number_clean(r.calling_number)[1])}
    )
    discoms: dict[int, OrgUnit | None] = {}
    calls: list[Call] = []
    events: list[CallEvent] = []
    for record in records:
        call, own = _call_build(record, consumers=consumers, discoms=discoms)
        calls.append(call)
        events.extend(own)
    try:
        with transaction.atomic():
            Call.objects.bulk_create(calls, batch_size=500)  # sets their primary keys
            CallEvent.objects.bulk_create(events, batch_size=1000)  # which the events read
    except IntegrityError:
        raise Conflict(_("One of these calls is already stored.")) from None
    _callbacks_settle(calls)
    return calls


def _consumers_by_mobile(mobiles: set[str]) -> dict[str, Consumer]:
    """The first registered consumer (lowest id) of each mobile, as _consumer_by_mobile."""
    found: dict[str, Consumer] = {}
    rows = Consumer.objects.filter(mobile__in=mobiles).select_related("subdivision").order_by("id")
    for consumer in rows:
        if consumer.mobile:
            found.setdefault(consumer.mobile, consumer)
    return found


def _call_build(
    record: CallRecord,
    *,
    consumers: Mapping[str, Consumer],
    discoms: dict[int, OrgUnit | None],
) -> tuple[Call, list[CallEvent]]:
    stored, mobile = calling_number_clean(record.calling_number)
    consumer = consumers.get(mobile) if mobile else None
    discom = record.discom
    if discom is None and consumer is not None:
        if consumer.subdivision_id not in discoms:
            discoms[consumer.subdivision_id] = _discom_of(consumer.subdivision)
        discom = discoms[consumer.subdivision_id]
    call = _call_new(
        call_id=record.call_id,
        source=record.source,
        at=min(e.at for e in record.events),
        number=stored,
        consumer=consumer,
        discom=discom,
    )
    call.ivr_contained = record.ivr_contained_at is not None
    detail = dict(record.detail or {})
    events = [
        CallEvent(call=call, kind=e.kind, at=e.at, agent=e.agent, queue=e.queue, detail=detail)
        for e in record.events
    ]
    if record.ivr_contained_at is not None:
        events.append(
            CallEvent(
                call=call,
                kind=CallEventKind.IVR,
                at=record.ivr_contained_at,
                detail={"step": "contained"},
            )
        )
    _facts_derive(call, events)
    return call, events


def _callbacks_settle(calls: list[Call]) -> None:
    """What call_event_record does after each call, for a batch: a recent unserved call is owed
    a callback (unless the same caller was answered later in the batch), and a caller answered
    now needs no pending callback for an earlier missed call."""
    answered: dict[str, list[tuple[datetime, Call]]] = {}
    for call in calls:
        mobile = calling_number_clean(call.calling_number)[1]
        if mobile and call.answered_at is not None:
            answered.setdefault(mobile, []).append((call.answered_at, call))
    for call in calls:
        if call.outcome not in UNSERVED or not _callback_still_useful(call):
            continue
        mobile = calling_number_clean(call.calling_number)[1] or ""
        if any(at >= call.offered_at for at, _ in answered.get(mobile, [])):
            continue  # served on a later call of the same batch
        transaction.on_commit(partial(_callback_open_quietly, call.pk), robust=True)
    pending = Callback.objects.filter(
        status=CallbackStatus.PENDING, mobile__in=list(answered)
    ).select_related("call")
    for callback in pending:
        later = [
            other
            for at, other in answered[callback.mobile]
            if at >= callback.call.offered_at and other.pk != callback.call_id
        ]
        if later:
            _callbacks_cancel(
                Callback.objects.filter(pk=callback.pk),
                reason=f"caller called again and was answered (call {later[0].call_id})",
            )
