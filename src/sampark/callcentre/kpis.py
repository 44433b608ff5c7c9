"""Call KPIs per hour or day, in total, per discom or per agent: one GROUP BY query.

What counts (docs/callcentre.md gives the same list):

- offered: calls that reached the line (offered_at in the period, local time Asia/Kolkata).
- ivr_contained: offered calls the IVR served without an agent (an outage's reason and ETR, a
  complaint registered or its status given by keypad). containment_rate = ivr_contained /
  offered. outage_contained: of those, the ones served by the outage message (the IVR heard of
  an outage on the caller's supply and said its reason and ETR); outage_containment_rate =
  outage_contained / offered: the calls known outages kept out of the agents' queue.
- answered: calls an agent answered. abandoned: the caller hung up unserved (in the queue or in
  the IVR menus). dropped: cut off by the network or the system before an agent answered.
  callback_requested: the caller kept their place in the IVR.
- abandonment_rate = abandoned / (offered - ivr_contained): of the calls that needed an agent.
- asa_seconds: average speed of answer, answered_at - queued_at (offered_at when the call was
  never queued, e.g. a CDR without queue times), over answered calls.
- service_level = answered within the threshold of joining the queue / (answered + abandoned
  after waiting longer than the threshold in the queue). Callers who gave up sooner than the
  threshold are left out, as the common 80/20 definition does.
- aht_seconds: average handle time, ended_at - answered_at over answered calls that ended
  (talk and hold; after-call work is not reported by telephony).
- callbacks_owed: callbacks opened for the period's calls (not cancelled; one per mobile, so a
  caller who hung up three times is owed one). not_called_back: of those, still pending with no
  attempt made.
Rates are None when their denominator is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Avg, CharField, Count, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDay, TruncHour
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core.errors import ValidationFailed
from sampark.network.models import OrgUnit

from .models import Call, CallbackStatus, CallOutcome

Bucket = Literal["hour", "day"]
By = Literal["total", "discom", "agent"]
BUCKETS: dict[str, Bucket] = {"hour": "hour", "day": "day"}
BYS: dict[str, By] = {"total": "total", "discom": "discom", "agent": "agent"}

BAD_BUCKET = _("Choose hour or day.")
BAD_BY = _("Choose total, discom or agent.")
BAD_RANGE = _("The end must come after the start.")


@dataclass(frozen=True)
class KpiRow:
    period: datetime  # start of the hour or day, Asia/Kolkata
    discom: OrgUnit | None
    agent: StaffUser | None
    offered: int
    answered: int
    abandoned: int
    dropped: int
    callback_requested: int
    abandonment_rate: float | None
    asa_seconds: float | None
    service_level: float | None
    aht_seconds: float | None
    ivr_contained: int
    containment_rate: float | None
    outage_contained: int
    outage_containment_rate: float | None
    callbacks_owed: int
    not_called_back: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.isoformat(),
            "discom": self.discom.code if self.discom is not None else None,
            "agent": self.agent.username if self.agent is not None else None,
            **{
                name: getattr(self, name)
                for name in self.__dataclass_fields__
                if name not in ("period", "discom", "agent")
            },
        }


def seconds_of(value: object) -> float | None:
    """An average in seconds, 3 decimals; None stays None."""
    if isinstance(value, timedelta):
        return round(value.total_seconds(), 3)
    if isinstance(value, int | float | Decimal):
        return round(float(value), 3)
    return None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class Seconds(Func):
    """`end - start` in seconds, with each database's own date arithmetic: on SQLite Django's
    datetime expressions call back into Python for every row, julianday() does not."""

    output_field = FloatField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra,
        )


def _period(bucket: Bucket, *, zone: ZoneInfo, start: datetime, end: datetime) -> Any:
    """The local hour or day of offered_at. On SQLite, for a zone whose offset does not change
    in the range (India's never does), strftime() shifted by the offset: native, as text."""
    offset = start.astimezone(zone).utcoffset()
    if connection.vendor != "sqlite" or offset != end.astimezone(zone).utcoffset():
        return (TruncHour if bucket == "hour" else TruncDay)("offered_at", tzinfo=zone)
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    pattern = "%Y-%m-%d %H:00:00" if bucket == "hour" else "%Y-%m-%d 00:00:00"
    return Func(
        Value(pattern),
        F("offered_at"),
        Value(f"{minutes:+d} minutes"),
        function="strftime",
        output_field=CharField(),
    )


def _aggregates(service_level_seconds: int) -> dict[str, Any]:
    # Compared to the millisecond: SQLite's julianday() arithmetic is exact to about 10 us.
    threshold = service_level_seconds + 0.001
    answered = Q(answered_at__isnull=False)
    unserved = Q(answered_at__isnull=True)
    owed = Q(callback__isnull=False) & ~Q(callback__status=CallbackStatus.CANCELLED)
    return {
        "offered": Count("id"),
        "answered": Count("id", filter=answered),
        "abandoned": Count("id", filter=Q(outcome=CallOutcome.ABANDONED)),
        "dropped": Count("id", filter=unserved & Q(outcome=CallOutcome.DROPPED)),
        "callback_requested": Count("id", filter=Q(outcome=CallOutcome.CALLBACK_REQUESTED)),
        # Before "ivr_contained": once that alias exists, the name means the count, not the
        # field. The outage flag is the IVR's own record (its dialogue context on the call).
        "outage_contained": Count(
            "id",
            filter=unserved & Q(ivr_contained=True, ivr_context__ctx__outage_heard=True),
        ),
        "ivr_contained": Count("id", filter=unserved & Q(ivr_contained=True)),
        "fast": Count("id", filter=answered & Q(asa_s__lte=threshold)),
        "slow_abandon": Count(
            "id",
            filter=Q(outcome=CallOutcome.ABANDONED, queued_at__isnull=False)
            & Q(queue_s__gt=threshold),
        ),
        "asa": Avg("asa_s", filter=answered),
        "aht": Avg("aht_s", filter=answered & Q(ended_at__isnull=False)),
        "owed": Count("id", filter=owed),
        "not_called": Count(
            "id", filter=Q(callback__status=CallbackStatus.PENDING, callback__attempts=0)
        ),
    }


def _timed(calls: QuerySet[Call]) -> QuerySet[Call]:
    """Seconds waited for an agent (from the queue, or the start when never queued), waited
    before giving up in the queue, and talked."""
    wait_from = Coalesce("queued_at", "offered_at")
    return calls.annotate(
        asa_s=Seconds(F("answered_at"), wait_from),
        queue_s=Seconds(F("ended_at"), F("queued_at")),
        aht_s=Seconds(F("ended_at"), F("answered_at")),
    )


def kpi_counts(
    *,
    calls: QuerySet[Call],
    bucket: Bucket,
    group: str | None,
    service_level_seconds: int,
    start: datetime,
    end: datetime,
) -> QuerySet[Call, dict[str, Any]]:
    """The aggregate query itself: one row per (period, group)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    keys = ["period", group] if group else ["period"]
    return (
        _timed(calls)
        .annotate(period=_period(bucket, zone=zone, start=start, end=end))
        .values(*keys)
        .annotate(**_aggregates(service_level_seconds))
        # NULL (no discom, no agent) first on every database.
        .order_by("period", *([F(group).asc(nulls_first=True)] if group else []))
    )


def _threshold(service_level_seconds: int | None) -> int:
    if service_level_seconds is None:
        return int(settings.SAMPARK_SERVICE_LEVEL_SECONDS)
    return service_level_seconds


def call_kpis_summary(
    *,
    start: datetime,
    end: datetime,
    discom: OrgUnit | None = None,
    service_level_seconds: int | None = None,
    calls: QuerySet[Call] | None = None,
) -> KpiRow:
    """The same figures for the whole of [start, end) in one row (the page's total line)."""
    if end <= start:
        raise ValidationFailed(fields={"end": BAD_RANGE})
    base = (Call.objects.all() if calls is None else calls).filter(
        offered_at__gte=start, offered_at__lt=end
    )
    if discom is not None:
        base = base.filter(discom=discom)
    totals = _timed(base).aggregate(**_aggregates(_threshold(service_level_seconds)))
    totals["period"] = start
    return _row(totals, zone=ZoneInfo(settings.TIME_ZONE), discom=discom, agent=None)


def call_kpis(
    *,
    start: datetime,
    end: datetime,
    bucket: Bucket,
    by: By = "total",
    discom: OrgUnit | None = None,
    service_level_seconds: int | None = None,
    calls: QuerySet[Call] | None = None,
) -> list[KpiRow]:
    """KPIs of the calls offered in [start, end) per hour or day; `calls` narrows the calls
    counted (a user's scope). Periods without calls have no row."""
    if bucket not in ("hour", "day"):
        raise ValidationFailed(fields={"bucket": BAD_BUCKET})
    if by not in ("total", "discom", "agent"):
        raise ValidationFailed(fields={"by": BAD_BY})
    if end <= start:
        raise ValidationFailed(fields={"end": BAD_RANGE})
    threshold = _threshold(service_level_seconds)
    base = Call.objects.all() if calls is None else calls
    base = base.filter(offered_at__gte=start, offered_at__lt=end)
    if discom is not None:
        base = base.filter(discom=discom)
    group = {"total": None, "discom": "discom_id", "agent": "agent_id"}[by]
    rows = list(
        kpi_counts(
            calls=base,
            bucket=bucket,
            group=group,
            service_level_seconds=threshold,
            start=start,
            end=end,
        )
    )
    discoms: dict[int, OrgUnit] = {}
    agents: dict[int, StaffUser] = {}
    if by == "discom":
        ids = {row["discom_id"] for row in rows} - {None}
        discoms = OrgUnit.objects.in_bulk(ids)
    elif by == "agent":
        ids = {row["agent_id"] for row in rows} - {None}
        agents = StaffUser.objects.in_bulk(ids)
    zone = ZoneInfo(settings.TIME_ZONE)
    return [
        _row(
            row,
            zone=zone,
            discom=discoms.get(row.get("discom_id") or 0) if by == "discom" else discom,
            agent=agents.get(row.get("agent_id") or 0),
        )
        for row in rows
    ]


def _row(
    row: dict[str, Any], *, zone: ZoneInfo, discom: OrgUnit | None, agent: StaffUser | None
) -> KpiRow:
    offered, contained = row["offered"], row["ivr_contained"]
    answered, abandoned = row["answered"], row["abandoned"]
    period = row["period"]
    if isinstance(period, str):  # SQLite's local time as text
        period = datetime.fromisoformat(period).replace(tzinfo=zone)
    elif period.tzinfo is not None:
        period = period.astimezone(zone)
    return KpiRow(
        period=period,
        discom=discom,
        agent=agent,
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        dropped=row["dropped"],
        callback_requested=row["callback_requested"],
        abandonment_rate=_rate(abandoned, offered - contained),
        asa_seconds=seconds_of(row["asa"]),
        service_level=_rate(row["fast"], answered + row["slow_abandon"]),
        aht_seconds=seconds_of(row["aht"]),
        ivr_contained=contained,
        containment_rate=_rate(contained, offered),
        outage_contained=row["outage_contained"],
        outage_containment_rate=_rate(row["outage_contained"], offered),
        callbacks_owed=row["owed"],
        not_called_back=row["not_called"],
    )
