"""A demo week of 1912 call history, today's roster and a live queue, for `sampark demo`.

Calls follow a daily curve (quiet at night, peaks late morning and evening, busier in the
afternoon heat), are shared among the discoms by their consumers, and come from registered
consumers' mobiles about two times in three. A quarter are served by the IVR's outage message;
the rest queue for an agent, wait, and either are answered (talk time around 3-4 minutes) or
hang up when their patience runs out. Unserved calls are owed callbacks: older ones are closed
(reached, complaint, no answer), the last hour's are still pending. Written in bulk, so the
facts are consistent with what `call_event_record` would have derived from the same events.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from sampark.accounts.demo import DEMO_PASSWORD, demo_phone, demo_staff_ensure
from sampark.accounts.models import Role, StaffUser
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.network.models import OrgLevel, OrgUnit

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
    RosterShift,
)

DAYS = 7
# Calls an hour at the busiest hour, statewide; the demo is a scaled-down 1912.
PEAK_PER_HOUR = 90
# Share of the peak by local hour (0-23).
CURVE = [
    0.08, 0.05, 0.04, 0.04, 0.05, 0.12, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0,
    0.95, 0.9, 0.9, 0.85, 0.8, 0.8, 0.85, 0.9, 0.8, 0.6, 0.35, 0.15,
]  # fmt: skip
EXTRA_AGENTS = [
    "Anjali Gupta", "Mohd. Arif", "Ritu Yadav", "Sanjay Maurya", "Farhana Khan",
    "Deepak Tiwari", "Nisha Pandey", "Vikas Chauhan", "Shalini Mishra", "Arvind Singh",
    "Komal Verma",
]  # fmt: skip
SHIFTS = [(6, 14), (14, 22), (22, 30)]  # local hours; the night shift ends at 06:00 next day
UNKNOWN_SERIES = ("+9194155", "+9170070", "+9180040")


@dataclass(frozen=True)
class DemoCalls:
    calls: int
    callbacks: int
    shifts: int
    agents: list[str]


def _agents_ensure() -> list[StaffUser]:
    """The demo desk: the `agent` login, 11 more agents and a `supervisor`, statewide."""
    demo_staff_ensure()
    state = OrgUnit.objects.filter(level=OrgLevel.STATE).order_by("path").first()
    hashed = make_password(DEMO_PASSWORD)
    wanted = [(f"agent{n}", Role.AGENT, name) for n, name in enumerate(EXTRA_AGENTS, start=2)]
    wanted.append(("supervisor", Role.SUPERVISOR, "Meena Srivastava"))
    for n, (username, role, full_name) in enumerate(wanted):
        first, _, last = full_name.partition(" ")
        StaffUser.objects.get_or_create(
            username=username,
            defaults=dict(
                role=role,
                jurisdiction=state,
                password=hashed,
                first_name=first,
                last_name=last,
                phone=demo_phone(50 + n),
            ),
        )
    return list(StaffUser.objects.filter(role=Role.AGENT, jurisdiction=state).order_by("pk"))


def _discom_weights() -> list[tuple[OrgUnit, float]]:
    discoms = list(OrgUnit.objects.filter(level=OrgLevel.DISCOM).order_by("code"))
    counts = dict(
        Consumer.objects.values("subdivision__path")
        .annotate(n=Count("id"))
        .values_list("subdivision__path", "n")
    )
    weights = []
    for discom in discoms:
        n = sum(v for path, v in counts.items() if path and path.startswith(discom.path))
        weights.append((discom, float(max(n, 1))))
    return weights


def _mobiles_by_discom(discoms: list[OrgUnit], rng: random.Random) -> dict[int, list[tuple]]:
    """Up to 400 registered consumers with a mobile per discom: (mobile, id, language)."""
    found: dict[int, list[tuple]] = {}
    for discom in discoms:
        rows = list(
            Consumer.objects.filter(subdivision__path__startswith=discom.path, mobile__isnull=False)
            .order_by("id")
            .values_list("mobile", "id", "language")[:400]
        )
        found[discom.pk] = rows
    return found


def _hour_calls(rng: random.Random, hour_start: datetime) -> int:
    local = timezone.localtime(hour_start)
    heat = 1.15 if local.weekday() in (5, 6) else 1.0  # weekends: people are home
    mean = PEAK_PER_HOUR * CURVE[local.hour] * heat
    return max(0, int(rng.gauss(mean, math.sqrt(mean) + 0.5)))


def callcentre_demo_load(*, seed: int = 1912, now: datetime | None = None) -> DemoCalls:
    """The demo week, today's roster and a live queue; does nothing when calls exist."""
    if Call.objects.exists():
        return DemoCalls(0, 0, 0, [])
    now = now or clock.now()
    rng = random.Random(seed)
    agents = _agents_ensure()
    weights = _discom_weights()
    if not weights or not agents:
        return DemoCalls(0, 0, 0, [])
    discoms = [d for d, _ in weights]
    mobiles = _mobiles_by_discom(discoms, rng)
    builder = _Builder(rng=rng, now=now, agents=agents, mobiles=mobiles)
    local_now = timezone.localtime(now)
    start = (local_now - timedelta(days=DAYS)).replace(minute=0, second=0, microsecond=0)
    hour = start
    while hour < now:
        for _ in range(_hour_calls(rng, hour)):
            discom = rng.choices(discoms, weights=[w for _, w in weights])[0]
            at = hour + timedelta(seconds=rng.uniform(0, 3600))
            if at < now - timedelta(minutes=10):
                builder.finished_call(discom=discom, at=at)
        hour += timedelta(hours=1)
    builder.live_queue(discoms=discoms)
    written = builder.write()
    shifts = _roster_today(agents=agents, discoms=discoms, now=now)
    return DemoCalls(written.calls, written.callbacks, shifts, [a.username for a in agents])


class _Builder:
    """Accumulates calls, events and callbacks in memory, then writes them in bulk."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        agents: list[StaffUser],
        mobiles: dict[int, list[tuple]],
    ) -> None:
        self.rng, self.now, self.agents, self.mobiles = rng, now, agents, mobiles
        self.calls: list[Call] = []
        self.events: list[list[CallEvent]] = []
        self.callbacks: dict[int, tuple[Callback, list[CallbackAttempt]]] = {}  # call index
        self.pending_mobiles: set[str] = set()
        self.n = 0

    def _caller(self, discom: OrgUnit) -> tuple[str, int | None, str]:
        known = self.mobiles.get(discom.pk) or []
        if known and self.rng.random() < 0.65:
            mobile, consumer_id, language = self.rng.choice(known)
            return mobile, consumer_id, language
        if self.rng.random() < 0.03:
            return "anonymous", None, "hi"  # withheld: counted, never called back
        series = self.rng.choice(UNKNOWN_SERIES)
        return f"{series}{self.rng.randrange(100_000):05d}", None, "hi"

    def _new_call(self, *, discom: OrgUnit, at: datetime) -> tuple[Call, list[CallEvent]]:
        self.n += 1
        mobile, consumer_id, language = self._caller(discom)
        call = Call(
            call_id=f"DEMO-{at:%Y%m%d}-{self.n:06d}",
            source=CallSource.EXOTEL,
            calling_number=mobile,
            consumer_id=consumer_id,
            discom=discom,
            language=language,
            offered_at=at,
        )
        return call, [CallEvent(kind=CallEventKind.OFFERED, at=at)]

    def finished_call(self, *, discom: OrgUnit, at: datetime) -> None:
        rng = self.rng
        call, events = self._new_call(discom=discom, at=at)
        ivr_seconds = rng.uniform(15, 70)
        if rng.random() < 0.25:  # the outage message answered the question
            end = at + timedelta(seconds=ivr_seconds)
            call.ivr_contained, call.ended_at, call.outcome = True, end, CallOutcome.IVR_CONTAINED
            events += [
                CallEvent(kind=CallEventKind.IVR, at=end, detail={"step": "contained"}),
                CallEvent(kind=CallEventKind.COMPLETED, at=end),
            ]
            self._keep(call, events)
            return
        queue = (
            CallQueue.EMERGENCY
            if rng.random() < 0.04
            else (CallQueue.ENGLISH if call.language == "en" else CallQueue.GENERAL)
        )
        queued = at + timedelta(seconds=ivr_seconds)
        call.queue, call.queued_at = queue, queued
        events.append(CallEvent(kind=CallEventKind.QUEUED, at=queued, queue=queue))
        load = CURVE[timezone.localtime(at).hour]
        wait = rng.expovariate(1 / (4 + 30 * load**3))  # busy hours queue longer
        patience = rng.expovariate(1 / 120)
        if rng.random() < 0.02:
            end = queued + timedelta(seconds=min(wait, patience) / 2)
            call.ended_at, call.outcome = end, CallOutcome.DROPPED
            events.append(CallEvent(kind=CallEventKind.DROPPED, at=end))
        elif patience < wait:
            end = queued + timedelta(seconds=patience)
            call.ended_at, call.outcome = end, CallOutcome.ABANDONED
            events.append(CallEvent(kind=CallEventKind.ABANDONED, at=end))
        else:
            agent = self.agents[self.n % len(self.agents)]
            answered = queued + timedelta(seconds=wait)
            end = answered + timedelta(seconds=rng.lognormvariate(5.25, 0.45))
            call.answered_at, call.agent, call.ended_at = answered, agent, end
            call.outcome = CallOutcome.ANSWERED
            events += [
                CallEvent(kind=CallEventKind.ANSWERED, at=answered, agent=agent),
                CallEvent(kind=CallEventKind.COMPLETED, at=end),
            ]
        self._keep(call, events)
        if call.outcome in (CallOutcome.ABANDONED, CallOutcome.DROPPED):
            self._callback(call)

    def _keep(self, call: Call, events: list[CallEvent]) -> None:
        self.calls.append(call)
        self.events.append(events)

    def _callback(self, call: Call) -> None:
        mobile = call.calling_number
        if not mobile.startswith("+91") or mobile in self.pending_mobiles:
            return
        assert call.ended_at is not None
        due = call.ended_at + timedelta(minutes=15)
        row = Callback(
            mobile=mobile,
            consumer_id=call.consumer_id,
            discom=call.discom,
            language=call.language,
            reason=str(call.outcome),
            due_at=due,
        )
        tries: list[CallbackAttempt] = []
        if due > self.now - timedelta(minutes=45):  # the last hour's are still to do
            self.pending_mobiles.add(mobile)
        else:
            results = self._results()
            for n, result in enumerate(results):
                at = due - timedelta(minutes=self.rng.uniform(0, 12)) + timedelta(minutes=30 * n)
                tries.append(
                    CallbackAttempt(
                        agent=self.agents[(self.n + n) % len(self.agents)], at=at, result=result
                    )
                )
            row.attempts, row.last_attempt_at = len(tries), tries[-1].at
            row.agent = tries[-1].agent
            row.closed_at = tries[-1].at
            row.status = {
                CallbackAttempt.Result.REACHED: CallbackStatus.REACHED,
                CallbackAttempt.Result.COMPLAINT: CallbackStatus.COMPLAINT_REGISTERED,
            }.get(CallbackAttempt.Result(results[-1]), CallbackStatus.NO_ANSWER)
        self.callbacks[len(self.calls) - 1] = (row, tries)

    def _results(self) -> list[str]:
        tries: list[str] = []
        for _ in range(3):
            roll = self.rng.random()
            if roll < 0.55:
                return [*tries, CallbackAttempt.Result.REACHED]
            if roll < 0.7:
                return [*tries, CallbackAttempt.Result.COMPLAINT]
            tries.append(
                CallbackAttempt.Result.NO_ANSWER if roll < 0.9 else CallbackAttempt.Result.BUSY
            )
        return tries

    def live_queue(self, *, discoms: list[OrgUnit]) -> None:
        """Callers waiting now, and agents on calls, so the live views are not empty."""
        for n in range(5):
            discom = discoms[n % len(discoms)]
            at = self.now - timedelta(seconds=40 + 25 * n)
            call, events = self._new_call(discom=discom, at=at)
            call.queue, call.queued_at = CallQueue.GENERAL, at + timedelta(seconds=20)
            events.append(CallEvent(kind=CallEventKind.QUEUED, at=call.queued_at, queue=call.queue))
            self._keep(call, events)
        self.on_call = []
        for n, agent in enumerate(self.agents[: len(self.agents) // 2]):
            at = self.now - timedelta(seconds=90 + 30 * n)
            call, events = self._new_call(discom=discoms[n % len(discoms)], at=at)
            call.queue, call.queued_at = CallQueue.GENERAL, at + timedelta(seconds=25)
            call.answered_at, call.agent = at + timedelta(seconds=40), agent
            events += [
                CallEvent(kind=CallEventKind.QUEUED, at=call.queued_at, queue=call.queue),
                CallEvent(kind=CallEventKind.ANSWERED, at=call.answered_at, agent=agent),
            ]
            self._keep(call, events)
            self.on_call.append((agent, call))

    def write(self) -> DemoCalls:
        Call.objects.bulk_create(self.calls, batch_size=2000)
        events = []
        for call, rows in zip(self.calls, self.events, strict=True):
            for event in rows:
                event.call = call
                events.append(event)
        CallEvent.objects.bulk_create(events, batch_size=5000)
        callbacks = []
        for index, (row, _tries) in self.callbacks.items():
            row.call = self.calls[index]
            callbacks.append(row)
        Callback.objects.bulk_create(callbacks, batch_size=2000)
        attempts = []
        for row, tries in self.callbacks.values():
            for attempt in tries:
                attempt.callback = row
                attempts.append(attempt)
        CallbackAttempt.objects.bulk_create(attempts, batch_size=5000)
        self._agent_states()
        return DemoCalls(len(self.calls), len(callbacks), 0, [])

    def _agent_states(self) -> None:
        busy = {agent.pk: call for agent, call in getattr(self, "on_call", [])}
        states = []
        for n, agent in enumerate(self.agents):
            call = busy.get(agent.pk)
            if call is not None:
                status, since = AgentStatus.ON_CALL, call.answered_at
            else:
                status = [AgentStatus.AVAILABLE, AgentStatus.WRAP_UP, AgentStatus.BREAK][n % 3]
                since = self.now - timedelta(minutes=1 + n)
            states.append(AgentState(agent=agent, status=status, since=since, call=call))
        AgentState.objects.bulk_create(states)


def _roster_today(*, agents: list[StaffUser], discoms: list[OrgUnit], now: datetime) -> int:
    """Every demo agent on one 8-hour shift today, the shifts and discoms taken in turn."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = []
    for n, agent in enumerate(agents):
        first, last = SHIFTS[n % len(SHIFTS)]
        rows.append(
            RosterShift(
                agent=agent,
                discom=discoms[(n // len(SHIFTS)) % len(discoms)],
                starts_at=midnight + timedelta(hours=first),
                ends_at=midnight + timedelta(hours=last),
            )
        )
    RosterShift.objects.bulk_create(rows)
    return len(rows)
