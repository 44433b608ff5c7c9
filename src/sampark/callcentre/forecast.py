"""Calls a discom's 1912 queue should expect in each of the next hours, and how long they last.

Expected calls in an hour = history of the same hour of the week + an outage surge.

- History: calls that needed an agent (all but those the IVR served alone), counted per local
  hour over the last `SAMPARK_STAFFING_HISTORY_WEEKS` weeks in one GROUP BY query. The same
  hour k weeks back weighs W - k + 1 (the last week most). Weeks before the discom's first
  recorded call are left out rather than counted as silent. With no such week at all (a new
  line) the same hour on the days recorded so far is averaged; with no history, zero.
- Surge: each consumer newly cut off makes `SAMPARK_CALLS_PER_AFFECTED_CONSUMER` calls on
  average, spread over the hours from the outage's start by `SAMPARK_OUTAGE_CALL_PROFILE`
  (default 60% in the hour it starts, 30% the next, 10% the one after). Counted for scheduled
  outages starting in the window and for outages still off that started in the last hours;
  consumers are those under the scope elements not yet restored.
- Handle time: mean answered-to-ended time over the same weeks plus the configured wrap-up,
  or the configured AHT when fewer than MIN_ANSWERED calls were answered.
- Patience (Erlang A): exponential patience fitted to the queue: abandons / total time callers
  spent waiting (answered callers' waits count as time not yet given up, the maximum-likelihood
  estimate with censoring), or the configured patience with fewer than MIN_ABANDONED abandons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.network.models import Feeder, OrgUnit
from sampark.outages.models import Outage, OutageScope, OutageStatus

from .models import Call, CallOutcome

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)
MIN_ANSWERED = 30
MIN_ABANDONED = 10
# Calls the IVR served on its own never reach an agent.
NEEDED_AN_AGENT = ~(Q(ivr_contained=True, answered_at__isnull=True)) & ~Q(
    outcome=CallOutcome.IVR_CONTAINED
)


class Basis(StrEnum):
    WEEKS = "weeks"  # the same hour of the week in past weeks
    DAYS = "days"  # the same hour on the days recorded so far (less than a week of history)
    NONE = "none"  # no history: the surge alone


@dataclass(frozen=True)
class HourForecast:
    starts_at: datetime  # local start of the hour
    baseline: float  # from history
    surge: float  # from outages
    basis: Basis

    @property
    def calls(self) -> float:
        return self.baseline + self.surge


@dataclass(frozen=True)
class Forecast:
    discom: OrgUnit
    hours: list[HourForecast]
    aht_seconds: float
    aht_measured: bool  # from history (else the setting)
    answered_sample: int
    patience_seconds: float
    patience_measured: bool
    abandoned_sample: int
    history_since: datetime | None  # the discom's first recorded call


def hour_floor(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(minute=0, second=0, microsecond=0)


def _seconds(value: timedelta | float | None) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # a backend that sums durations in microseconds


def _duration(expression: Any) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=DurationField())


def _hourly_counts(*, discom: OrgUnit, start: datetime, end: datetime) -> dict[datetime, int]:
    """Calls that needed an agent per local hour in [start, end): one GROUP BY."""
    rows = (
        Call.objects.filter(discom=discom, offered_at__gte=start, offered_at__lt=end)
        .filter(NEEDED_AN_AGENT)
        .annotate(hour=TruncHour("offered_at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["hour"]: row["n"] for row in rows}


@dataclass(frozen=True)
class _Handling:
    first_call: datetime | None
    answered: int
    talk_seconds: float
    abandoned: int
    waited_seconds: float


def _handling(*, discom: OrgUnit, start: datetime, end: datetime) -> _Handling:
    """First call ever, talk time and queue waits over [start, end): one aggregate query."""
    window = Q(offered_at__gte=start, offered_at__lt=end) & NEEDED_AN_AGENT
    talked = window & Q(answered_at__isnull=False, ended_at__isnull=False)
    answered_wait = window & Q(queued_at__isnull=False, answered_at__isnull=False)
    gave_up = window & Q(
        outcome=CallOutcome.ABANDONED,
        queued_at__isnull=False,
        ended_at__isnull=False,
        answered_at__isnull=True,
    )
    row = Call.objects.filter(discom=discom).aggregate(
        first_call=Min("offered_at"),
        answered=Count("id", filter=talked),
        talk=Sum(_duration(F("ended_at") - F("answered_at")), filter=talked),
        abandoned=Count("id", filter=gave_up),
        waited_answered=Sum(_duration(F("answered_at") - F("queued_at")), filter=answered_wait),
        waited_abandoned=Sum(_duration(F("ended_at") - F("queued_at")), filter=gave_up),
    )
    return _Handling(
        first_call=row["first_call"],
        answered=row["answered"],
        talk_seconds=_seconds(row["talk"]),
        abandoned=row["abandoned"],
        waited_seconds=_seconds(row["waited_answered"]) + _seconds(row["waited_abandoned"]),
    )


def _baseline(
    slot: datetime, *, counts: dict[datetime, int], covered_from: datetime | None, weeks: int
) -> tuple[float, Basis]:
    if covered_from is None:
        return 0.0, Basis.NONE
    weighted = weights = 0.0
    for k in range(1, weeks + 1):
        sample = slot - k * WEEK
        if sample >= covered_from:
            weight = weeks - k + 1
            weighted += weight * counts.get(sample, 0)
            weights += weight
    if weights:
        return weighted / weights, Basis.WEEKS
    days = [slot - d * DAY for d in range(1, 7)]
    seen = [counts.get(day, 0) for day in days if day >= covered_from]
    if seen:
        return sum(seen) / len(seen), Basis.DAYS
    return 0.0, Basis.NONE


def consumers_cut_off(*, outage_ids: Sequence[int]) -> dict[int, int]:
    """Consumers under each outage's unrestored scope elements, one query for all outages.

    A consumer under two elements of one outage (its feeder and its DT) counts once: the three
    joins are UNIONed (distinct) before counting, and each join uses the consumer's feeder or DT
    index rather than an OR across them."""
    if not outage_ids:
        return {}
    q = connection.ops.quote_name
    scope, consumer, feeder = (
        q(OutageScope._meta.db_table),
        q(Consumer._meta.db_table),
        q(Feeder._meta.db_table),
    )
    marks = ", ".join(["%s"] * len(outage_ids))
    where = f"s.outage_id IN ({marks}) AND s.restored_at IS NULL"
    sql = (
        f"SELECT u.outage_id, COUNT(*) FROM ("
        f" SELECT s.outage_id, c.id FROM {scope} s JOIN {consumer} c ON c.feeder_id = s.feeder_id"
        f" WHERE {where}"
        f" UNION SELECT s.outage_id, c.id FROM {scope} s JOIN {consumer} c ON c.dt_id = s.dt_id"
        f" WHERE {where}"
        f" UNION SELECT s.outage_id, c.id FROM {scope} s"
        f" JOIN {feeder} f ON f.substation_id = s.substation_id"
        f" JOIN {consumer} c ON c.feeder_id = f.id WHERE {where}"
        f") u GROUP BY u.outage_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*outage_ids, *outage_ids, *outage_ids])
        return {int(outage_id): int(n) for outage_id, n in cursor.fetchall()}


def _surge(*, discom: OrgUnit, start: datetime, hours: int) -> list[float]:
    """Expected outage calls per hour slot: two queries whatever the number of outages."""
    profile = [float(share) for share in settings.SAMPARK_OUTAGE_CALL_PROFILE]
    per_consumer = float(settings.SAMPARK_CALLS_PER_AFFECTED_CONSUMER)
    surge = [0.0] * hours
    if not profile or per_consumer <= 0:
        return surge
    outages = list(
        Outage.objects.filter(
            org_unit__path__startswith=discom.path,
            status__in=(OutageStatus.SCHEDULED, OutageStatus.ACTIVE),
            starts_at__gte=start - (len(profile) - 1) * HOUR,
            starts_at__lt=start + hours * HOUR,
        ).values_list("id", "starts_at")
    )
    cut_off = consumers_cut_off(outage_ids=[outage_id for outage_id, _ in outages])
    for outage_id, starts_at in outages:
        calls = per_consumer * cut_off.get(outage_id, 0)
        first = int((hour_floor(starts_at) - start) / HOUR)  # negative: started before now
        for offset, share in enumerate(profile):
            slot = first + offset
            if 0 <= slot < hours:
                surge[slot] += calls * share
    return surge


def calls_forecast(*, discom: OrgUnit, now: datetime | None = None, hours: int = 24) -> Forecast:
    """Expected calls for `discom` in each of the `hours` hours from the current hour on."""
    start = hour_floor(now or clock.now())
    weeks = max(1, int(settings.SAMPARK_STAFFING_HISTORY_WEEKS))
    history_from = start - weeks * WEEK
    counts = _hourly_counts(discom=discom, start=history_from, end=start)
    handling = _handling(discom=discom, start=history_from, end=start)
    covered_from = hour_floor(handling.first_call) if handling.first_call else None
    surge = _surge(discom=discom, start=start, hours=hours)

    slots = []
    for i in range(hours):
        slot = start + i * HOUR
        baseline, basis = _baseline(slot, counts=counts, covered_from=covered_from, weeks=weeks)
        slots.append(HourForecast(starts_at=slot, baseline=baseline, surge=surge[i], basis=basis))

    aht_measured = handling.answered >= MIN_ANSWERED
    if aht_measured:
        aht = handling.talk_seconds / handling.answered + settings.SAMPARK_STAFFING_WRAP_UP_SECONDS
    else:
        aht = float(settings.SAMPARK_STAFFING_AHT_SECONDS)
    patience_measured = handling.abandoned >= MIN_ABANDONED and handling.waited_seconds > 0
    if patience_measured:
        patience = handling.waited_seconds / handling.abandoned
    else:
        patience = float(settings.SAMPARK_STAFFING_PATIENCE_SECONDS)
    return Forecast(
        discom=discom,
        hours=slots,
        aht_seconds=aht,
        aht_measured=aht_measured,
        answered_sample=handling.answered,
        patience_seconds=patience,
        patience_measured=patience_measured,
        abandoned_sample=handling.abandoned,
        history_since=handling.first_call,
    )
