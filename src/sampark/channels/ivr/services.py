"""The IVR's writes: one service per kind of provider webhook, whatever the provider.

The call's machine session and its last few answers live on the call row (`Call.ivr_state`,
`ivr_context`, `ivr_retries`), written under the row's lock. Every answer has a number (its
"turn"); the action URL of its Gather carries that number, so the webhook that answers it says
which prompt it answers. Only an answer to the current prompt moves the machine: a replayed or
late webhook (same call, same turn) gets the answer already given, and nothing is registered,
queued or called back twice. Providers that fetch prompts apart from inputs (Exotel: a Gather
applet, then a Passthru) mark the prompt as played when it is fetched, and the input answers it.

Call-centre records (sampark.callcentre.services): "offered" when the first webhook creates the
call, an "ivr" event per step, "queued" on transfer to agents, IVR containment when the IVR
served the caller and no agent was needed, and the end of the call from the status callbacks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from django.db import transaction

from sampark.callcentre.models import Call, CallEventKind
from sampark.callcentre.services import (
    call_event_record,
    call_mark_ivr_contained,
    calling_number_clean,
)
from sampark.consumers.models import Consumer
from sampark.core import clock

from . import machine, prompts
from .domain import CallDomain
from .machine import Action, Enqueue, Hangup, Say, Session

log = logging.getLogger(__name__)

KEEP_ANSWERS = 4  # answers kept per call for replays


@dataclass(frozen=True)
class Inbound:
    """One caller step as the provider reported it."""

    source: str  # CallSource value
    call_id: str
    calling_number: str = ""
    turn: int | None = None  # the answer whose prompt is answered; None: the call's first request
    digits: str | None = None  # None or "": nothing keyed before the timeout
    answers_last_prompt: bool = False  # the input answers the prompt fetched last (Exotel)


@dataclass(frozen=True)
class Answer:
    call_id: str
    turn: int
    actions: list[Action]
    prompt_played: bool = False  # (separately fetched prompts) fetched already

    @property
    def queue(self) -> str:
        return next((a.queue for a in self.actions if isinstance(a, Enqueue)), "")

    @property
    def asks(self) -> bool:
        return any(isinstance(a, machine.Gather) for a in self.actions)

    @property
    def says(self) -> bool:
        return any(isinstance(a, Say) for a in self.actions)


class QueueResult(Enum):
    BRIDGED = "bridged"  # an agent took the call
    HANGUP = "hangup"  # the caller hung up while waiting
    FAILED = "failed"  # no agent could be reached (queue full, nobody answered, error)
    OTHER = "other"  # left the queue some other way: nothing to record


class _Memory:
    """The IVR's part of `Call.ivr_context`: the machine's context, the current turn, the last
    answers by turn, and (separately fetched prompts) the turn whose prompt was played last."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self.ctx: dict[str, Any] = dict(stored.get("ctx") or {})
        self.turn: int = int(stored.get("turn") or 0)
        self.answers: dict[str, Any] = dict(stored.get("answers") or {})
        prompted = stored.get("prompted")
        self.prompted: int | None = int(prompted) if prompted is not None else None

    def dump(self) -> dict[str, Any]:
        return {
            "ctx": self.ctx,
            "turn": self.turn,
            "answers": self.answers,
            "prompted": self.prompted,
        }

    def keep(self, turn: int, actions: list[Action]) -> None:
        self.turn = turn
        self.answers[str(turn)] = machine.actions_dump(actions)
        for key in [k for k in self.answers if int(k) <= turn - KEEP_ANSWERS]:
            del self.answers[key]

    def answer(self, call: Call, turn: int | None = None) -> Answer:
        key = self.turn if turn is None or str(turn) not in self.answers else turn
        rows = self.answers.get(str(key))
        actions = machine.actions_load(rows) if rows else [Hangup()]
        return Answer(call.call_id, key, actions, prompt_played=self.prompted == key)

    def replay(self, call: Call, turn: int | None) -> Answer:
        """What was answered to `turn`'s input (None: to the call's first request); the latest
        answer when that one is no longer kept or the turn is not one we asked."""
        if turn is None:
            return self.answer(call, 0)
        return self.answer(call, turn + 1 if turn >= 0 else None)


def _lock(call_id: str) -> Call | None:
    return Call.objects.select_for_update().filter(call_id=call_id).first()


def _mobile(call: Call) -> str | None:
    return calling_number_clean(call.calling_number)[1]


def ivr_call_step(*, inbound: Inbound) -> Answer:
    """The next thing to say to the caller: the greeting on the first webhook of a call, else
    the machine's move on the caller's keys (or the answer already given, on a replay)."""
    now = clock.now()
    with transaction.atomic():
        call = _lock(inbound.call_id)
        if call is None:
            call_event_record(
                call_id=inbound.call_id,
                kind=CallEventKind.OFFERED,
                at=now,
                source=inbound.source,
                calling_number=inbound.calling_number,
            )
            call = _lock(inbound.call_id)
            assert call is not None
        memory = _Memory(call.ivr_context)
        if not call.ivr_state:  # a call recorded before the IVR saw it (status, API)
            session = Session()
            actions = machine.start(session, CallDomain(call=call, mobile=_mobile(call)))
            return _store(call, memory, session, actions, turn=0, now=now)
        turn = memory.prompted if inbound.answers_last_prompt else inbound.turn
        if call.ivr_state in machine.TERMINAL or turn is None or turn != memory.turn:
            return memory.replay(call, turn)
        session = Session(state=call.ivr_state, context=dict(memory.ctx), retries=call.ivr_retries)
        before = session.state
        actions = machine.step(session, CallDomain(call=call, mobile=_mobile(call)), inbound.digits)
        _record_step(call, session, actions, before=before, keys=inbound.digits or "", now=now)
        return _store(call, memory, session, actions, turn=memory.turn + 1, now=now)


def _contained(ctx: dict[str, Any]) -> bool:
    """The IVR served the caller (an outage's reason and ETR, a complaint number, a status) and
    they needed no agent."""
    served = bool(ctx.get("served") or ctx.get("outage_heard"))
    return served and not ctx.get("queued") and not ctx.get("callback")


def _record_step(
    call: Call, session: Session, actions: list[Action], *, before: str, keys: str, now: datetime
) -> None:
    call_event_record(
        call_id=call.call_id,
        kind=CallEventKind.IVR,
        at=now,
        source=call.source,
        detail={"from": before, "keys": keys[:20], "to": session.state},
    )
    queue = next((a.queue for a in actions if isinstance(a, Enqueue)), "")
    if queue:
        call_event_record(
            call_id=call.call_id, kind=CallEventKind.QUEUED, at=now, source=call.source, queue=queue
        )
    if any(isinstance(a, Hangup) for a in actions) and _contained(session.context):
        call_mark_ivr_contained(call=call, at=now)


def _store(
    call: Call,
    memory: _Memory,
    session: Session,
    actions: list[Action],
    *,
    turn: int,
    now: datetime,
) -> Answer:
    """Write the session and this answer on the call (only the IVR's columns: the call-centre
    services above wrote the rest of the row in this transaction)."""
    memory.ctx = session.context
    memory.keep(turn, actions)
    fields: dict[str, Any] = {
        "ivr_state": session.state,
        "ivr_context": memory.dump(),
        "ivr_retries": session.retries,
        "language": session.language,
        "updated_at": now,
    }
    consumer_id = session.caller.consumer
    if consumer_id is not None and consumer_id != call.consumer_id:
        fields["consumer_id"] = consumer_id
        if call.discom_id is None:
            consumer = Consumer.objects.select_related("subdivision").get(pk=consumer_id)
            fields["discom_id"] = consumer.subdivision.discom().pk
    Call.objects.filter(pk=call.pk).update(**fields)
    return Answer(call.call_id, turn, actions)


def ivr_call_prompt(*, call_id: str) -> Answer | None:
    """The current prompt, fetched apart from the input that answers it (Exotel's Gather applet):
    marked as played, so that the next input answers it. None for a call the IVR never saw."""
    with transaction.atomic():
        call = _lock(call_id)
        if call is None or not call.ivr_state:
            return None
        memory = _Memory(call.ivr_context)
        memory.prompted = memory.turn
        Call.objects.filter(pk=call.pk).update(ivr_context=memory.dump(), updated_at=clock.now())
        return memory.answer(call)


def ivr_call_current(*, call_id: str) -> Answer | None:
    """The latest answer, unchanged (Exotel's routing Passthru and Connect applet read it)."""
    call = Call.objects.filter(call_id=call_id).first()
    if call is None or not call.ivr_state:
        return None
    return _Memory(call.ivr_context).answer(call)


def ivr_queue_result(*, source: str, call_id: str, result: QueueResult) -> Answer | None:
    """How the caller left the agents' queue (Twilio <Enqueue> action, Plivo <Dial> action):
    answered, abandoned, or no agent reachable (then told they will be called back; the call is
    recorded as dropped, which opens the callback). Replays record nothing twice."""
    now = clock.now()
    with transaction.atomic():
        call = _lock(call_id)
        if call is None or result == QueueResult.OTHER:
            return None
        memory = _Memory(call.ivr_context)
        if result == QueueResult.BRIDGED:
            if call.answered_at is None:
                call_event_record(
                    call_id=call_id,
                    kind=CallEventKind.ANSWERED,
                    at=now,
                    source=source,
                    queue=call.queue,
                )
            return None
        if call.ended_at is None:
            kind = CallEventKind.ABANDONED
            if result == QueueResult.FAILED:
                kind = CallEventKind.DROPPED
            call_event_record(
                call_id=call_id,
                kind=kind,
                at=now,
                source=source,
                detail={"queue_result": result.value},
            )
        if result == QueueResult.HANGUP:
            return None
        language = prompts.language_of(str(memory.ctx.get("lang", prompts.HINDI)))
        sorry = Say(prompts.prompt("agents_unavailable", language), language)
        return Answer(call_id, memory.turn, [sorry, Hangup()])


def ivr_call_ended(
    *, source: str, call_id: str, calling_number: str = "", failed: bool = False
) -> Call:
    """The provider's end-of-call report: completed (abandoned when the caller was still
    waiting for an agent), or dropped when the network failed the call. An IVR that served the
    caller (outage heard, complaint number given...) without an agent contains the call. A
    second report of the same end changes nothing."""
    now = clock.now()
    with transaction.atomic():
        call = _lock(call_id)
        if call is not None and call.ended_at is not None:
            return call
        served = call is not None and _contained(_Memory(call.ivr_context).ctx)
        if call is not None and served and not call.ivr_contained:
            call_mark_ivr_contained(call=call, at=now)
        kind = CallEventKind.COMPLETED
        if failed:
            kind = CallEventKind.DROPPED
        elif call is not None and call.queued_at is not None and call.answered_at is None:
            kind = CallEventKind.ABANDONED
        return call_event_record(
            call_id=call_id, kind=kind, at=now, source=source, calling_number=calling_number
        )
