"""Reads of the review dashboards and the daily pack: frozen values with plain fields.

Every function takes the viewing user, an org unit and a period of local days [start, end]
(both included, settings.TIME_ZONE), checks the REVIEW_VIEW permission and that the unit lies in
the user's jurisdiction (NotFound otherwise, no leak), and returns one row per child of the unit
(zones of a discom, ..., JEs of a sub-division) and a total.

Flows (received, resolved, ...) come from the rollups (rollup.py); stocks (pending, overdue,
explanations owed) are read live from the open complaints, at `as_of`. Durations are seconds;
rates are fractions (None when their denominator is 0). Medians and 90th percentiles come from
the summed histograms (per unit and JE, not per category): within 4.9% of the exact value
(buckets.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, Model, Q, Sum

from sampark.accounts.models import StaffUser
from sampark.complaints.models import (
    OPEN_STATUSES,
    SLA_RUNNING_STATUSES,
    Complaint,
    Explanation,
)
from sampark.core import clock
from sampark.network.models import OrgLevel, OrgUnit

from . import buckets
from .calls import CallFigures, call_figures
from .models import MEASURES, ChannelDay, ComplaintDay, OfficerDay, ResolutionDay, Watermark
from .outage_figures import OutageFigures, outage_figures
from .rollup import WATERMARK
from .scope import View, review_view

UNASSIGNED = 0


# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One row of complaint figures: flows over the period, stocks now, derived rates."""

    received: int = 0
    resolved: int = 0
    resolved_within_sla: int = 0
    closed_confirmed: int = 0
    closed_unconfirmed: int = 0
    reopened: int = 0
    resolution_rejected: int = 0
    breached: int = 0
    escalations: int = 0
    ratings_count: int = 0
    ratings_sum: int = 0
    resolution_seconds: int = 0  # summed over `resolved`
    pending: int = 0  # open now
    overdue: int = 0  # open now, SLA clock running, past due
    sla_compliance: float | None = None  # resolved_within_sla / resolved
    reopen_rate: float | None = None  # reopened / resolved
    confirmed_share: float | None = None  # closed_confirmed / all closed
    csat: float | None = None  # mean rating, 1-5
    mean_seconds: float | None = None
    median_seconds: float | None = None
    p90_seconds: float | None = None

    @property
    def closed(self) -> int:
        return self.closed_confirmed + self.closed_unconfirmed


@dataclass(frozen=True)
class ComplaintRow:
    key: str  # the unit's code, or "je:<user id>" ("je:0": not assigned)
    name_en: str
    name_hi: str
    unit_id: int | None  # the child unit (drill-down target); None for a JE row
    je_id: int | None
    figures: Figures

    def name(self, language: str) -> str:
        return self.name_hi if language == "hi" and self.name_hi else self.name_en


@dataclass(frozen=True)
class ChannelShare:
    channel: str
    received: int
    share: float | None  # of all received


@dataclass(frozen=True)
class CategoryRow:
    category: str
    figures: Figures


@dataclass(frozen=True)
class ComplaintFigures:
    unit: OrgUnit
    start: date
    end: date
    child_level: str  # OrgLevel value of the rows, or "je"
    rows: tuple[ComplaintRow, ...]
    total: Figures
    channels: tuple[ChannelShare, ...]
    categories: tuple[CategoryRow, ...]
    as_of: datetime  # when the stocks were read
    rolled_to: datetime | None  # when the rollups last took in the audit trail


@dataclass(frozen=True)
class TrendDay:
    day: date
    received: int
    resolved: int
    resolved_within_sla: int
    breached: int
    sla_compliance: float | None


@dataclass(frozen=True)
class OfficerRow:
    user_id: int
    username: str
    name: str
    role: str
    unit_en: str
    unit_hi: str
    pending: int  # open complaints assigned now
    overdue: int
    breaches: int  # in the period (as the assignee when the time limit passed)
    resolution_rejected: int  # resolutions the consumer rejected, in the period
    resolved: int
    explanations_owed: int  # asked, not answered
    explanations_late: int  # of those, past their reply time


# --- complaints ------------------------------------------------------------------------------


def _ratio(part: float, whole: float, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


COLUMNS = MEASURES
Vec = list[int]


def _zero() -> Vec:
    return [0] * len(COLUMNS)


def _add(into: Vec, values: Iterable[int | None]) -> None:
    for i, v in enumerate(values):
        if v:
            into[i] += v


def _summed(
    model: type[Model], *, keys: list[str], where: str, params: list[Any]
) -> list[tuple[tuple[Any, ...], Vec]]:
    """Rollup rows summed per `keys`, as (key values, measures and buckets in COLUMNS order):
    plain SQL, as the ORM's per-value conversion of 127 columns costs more than the query."""
    sums = ", ".join(f"SUM({c})" for c in COLUMNS)
    group = ", ".join(keys)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"SELECT {group}, {sums} FROM {table} WHERE {where} GROUP BY {group}"
        cursor.execute(sql, params)
        n = len(keys)
        return [(row[:n], [int(v or 0) for v in row[n:]]) for row in cursor.fetchall()]


def _in(ids: Iterable[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def _as_map(vec: Vec) -> dict[str, int]:
    return dict(zip(COLUMNS, vec, strict=True))


def _histograms(*, key: str, where: str, params: list[Any]) -> dict[int, list[int]]:
    """Resolution-time bucket counts summed per `key` (unit or je) over ResolutionDay rows."""
    table = connection.ops.quote_name(ResolutionDay._meta.db_table)
    out: dict[int, list[int]] = defaultdict(lambda: [0] * buckets.COUNT)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, bucket, SUM(count) FROM {table} WHERE {where} GROUP BY {key}, bucket",
            params,
        )
        for k, bucket, n in cursor.fetchall():
            out[k][bucket] += int(n)
    return out


def figures_of(
    sums: Mapping[str, int],
    *,
    hist: Sequence[int] | None = None,
    pending: int = 0,
    overdue: int = 0,
) -> Figures:
    """Figures from summed rollup measures, resolution-time bucket counts (None: taken from
    `sums` as h0..h114, or no quantiles) and stocks."""
    m = {name: int(sums.get(name) or 0) for name in MEASURES}
    if hist is None:
        hist = [int(sums.get(name) or 0) for name in buckets.NAMES]
    closed = m["closed_confirmed"] + m["closed_unconfirmed"]
    return Figures(
        **m,
        pending=pending,
        overdue=overdue,
        sla_compliance=_ratio(m["resolved_within_sla"], m["resolved"]),
        reopen_rate=_ratio(m["reopened"], m["resolved"]),
        confirmed_share=_ratio(m["closed_confirmed"], closed),
        csat=_ratio(m["ratings_sum"], m["ratings_count"], 2),
        mean_seconds=_ratio(m["resolution_seconds"], m["resolved"], 1),
        median_seconds=buckets.quantile(hist, 0.5),
        p90_seconds=buckets.quantile(hist, 0.9),
    )


@dataclass
class Stocks:
    """Open complaints now, per answerable unit, assignee and category."""

    as_of: datetime
    rows: list[tuple[int, int, str, int, int]] = field(default_factory=list)

    def total(self) -> tuple[int, int]:
        return sum(r[3] for r in self.rows), sum(r[4] for r in self.rows)

    def by(self, key: Callable[[int, int, str], Any]) -> dict[Any, tuple[int, int]]:
        """(pending, overdue) per key(unit, assignee, category), in one pass."""
        out: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
        for unit, je, category, p, o in self.rows:
            pair = out[key(unit, je, category)]
            pair[0] += p
            pair[1] += o
        return {k: (p, o) for k, (p, o) in out.items()}


def stocks_read(view: View) -> Stocks:
    """One indexed query over open complaints only (a small share of all)."""
    now = clock.now()
    # Grouped on "unit + 0" and "assignee + 0": the status index finds the open rows; SQLite
    # would otherwise walk the unit or assignee index through every complaint to group them.
    found = Complaint.objects.filter(status__in=OPEN_STATUSES).annotate(
        unit_plain=F("org_unit_id") + 0, je_plain=F("assigned_to_id") + 0
    )
    if view.unit.depth > 1:
        found = found.filter(unit_plain__in=view.leaf_ids)
    grouped = found.values_list("unit_plain", "je_plain", "category").annotate(
        pending=Count("id"),
        overdue=Count("id", filter=Q(status__in=SLA_RUNNING_STATUSES, due_at__lt=now)),
    )
    return Stocks(now, [(u, je or UNASSIGNED, c, p, o) for u, je, c, p, o in grouped])


def _rolled_to() -> datetime | None:
    mark = Watermark.objects.filter(name=WATERMARK).only("updated_at").first()
    return mark.updated_at if mark else None


def complaint_figures(view: View, stocks: Stocks) -> ComplaintFigures:
    """Children side by side, the total, its channels and categories (two rollup queries)."""
    unit = view.unit
    by_category: dict[str, Vec] = {}
    per_child: dict[int, Vec] = defaultdict(_zero)
    ids = [unit.id, *(c.id for c in view.children)]
    grouped = _summed(
        ComplaintDay,
        keys=["unit", "category"],
        where=f"unit IN ({_in(ids)}) AND day >= %s AND day <= %s",
        params=[view.start, view.end],
    )
    for (row_unit, category), vec in grouped:
        if row_unit == unit.id:
            by_category[category] = vec
        else:
            _add(per_child[row_unit], vec)
    total = _zero()
    for vec in by_category.values():
        _add(total, vec)
    hists = _histograms(
        key="unit",
        where=f"unit IN ({_in(ids)}) AND day >= %s AND day <= %s",
        params=[view.start, view.end],
    )
    received = COLUMNS.index("received")
    by_channel = dict(
        ChannelDay.objects.filter(unit=unit.id, day__gte=view.start, day__lte=view.end)
        .values_list("channel")
        .annotate(n=Sum("received"))
        .order_by()
    )
    leaf = view.is_leaf
    rows = _je_rows(view, stocks) if leaf else _child_rows(view, stocks, per_child, hists)
    pending, overdue = stocks.total()
    channels = tuple(
        ChannelShare(ch, n, _ratio(n, total[received]))
        for ch, n in sorted(by_channel.items(), key=lambda kv: (-kv[1], kv[0]))
        if n
    )
    categories = []
    open_by = stocks.by(lambda _unit, _je, category: category)
    for category in sorted(by_category.keys() | open_by.keys()):
        p, o = open_by.get(category, (0, 0))
        # No quantiles per category: the histogram is kept per unit only.
        sums = _as_map(by_category.get(category) or _zero())
        row = figures_of(sums, hist=[], pending=p, overdue=o)
        categories.append(CategoryRow(category, row))
    return ComplaintFigures(
        unit=unit,
        start=view.start,
        end=view.end,
        child_level=view.child_level,
        rows=tuple(rows),
        total=figures_of(_as_map(total), hist=hists[unit.id], pending=pending, overdue=overdue),
        channels=channels,
        categories=tuple(categories),
        as_of=stocks.as_of,
        rolled_to=_rolled_to(),
    )


def _child_rows(
    view: View, stocks: Stocks, per_child: Mapping[int, Vec], hists: Mapping[int, list[int]]
) -> list[ComplaintRow]:
    open_by = stocks.by(lambda unit, _je, _category: view.leaf_child.get(unit))
    rows = []
    for child in view.children:
        p, o = open_by.get(child.id, (0, 0))
        sums = _as_map(per_child.get(child.id) or _zero())
        rows.append(
            ComplaintRow(
                key=child.code,
                name_en=child.name_en,
                name_hi=child.name_hi,
                unit_id=child.id,
                je_id=None,
                figures=figures_of(sums, hist=hists.get(child.id, []), pending=p, overdue=o),
            )
        )
    if view.unit.level == OrgLevel.STATE:  # complaints of unknown place stay on the state
        p, o = open_by.get(view.unit.id, (0, 0))
        here = _summed(
            OfficerDay,
            keys=["unit"],
            where="unit = %s AND day >= %s AND day <= %s",
            params=[view.unit.id, view.start, view.end],
        )
        vec = here[0][1] if here else _zero()
        here_hist = _histograms(
            key="unit",
            where="unit = %s AND je >= 0 AND day >= %s AND day <= %s",
            params=[view.unit.id, view.start, view.end],
        ).get(view.unit.id, [])
        if p or any(vec):
            rows.append(
                ComplaintRow(
                    key=view.unit.code,
                    name_en="Place not known",
                    name_hi="स्थान अज्ञात",
                    unit_id=None,
                    je_id=None,
                    figures=figures_of(_as_map(vec), hist=here_hist, pending=p, overdue=o),
                )
            )
    return rows


def _je_rows(view: View, stocks: Stocks) -> list[ComplaintRow]:
    grouped = _summed(
        OfficerDay,
        keys=["je"],
        where="unit = %s AND day >= %s AND day <= %s",
        params=[view.unit.id, view.start, view.end],
    )
    sums = {key[0]: vec for key, vec in grouped}
    hists = _histograms(
        key="je",
        where="unit = %s AND je >= 0 AND day >= %s AND day <= %s",
        params=[view.unit.id, view.start, view.end],
    )
    open_by = stocks.by(lambda _unit, je, _category: je)
    ids = set(sums) | set(open_by)
    people = StaffUser.objects.in_bulk(ids - {UNASSIGNED})
    rows = []
    for je in sorted(ids, key=lambda i: (i == UNASSIGNED, _person(people.get(i)))):
        p, o = open_by.get(je, (0, 0))
        person = people.get(je)
        name = _person(person) if person else "Not assigned"
        rows.append(
            ComplaintRow(
                key=f"je:{je}",
                name_en=name,
                name_hi=name if person else "असाइन नहीं",
                unit_id=None,
                je_id=je,
                figures=figures_of(
                    _as_map(sums.get(je) or _zero()), hist=hists.get(je, []), pending=p, overdue=o
                ),
            )
        )
    return rows


def _person(user: StaffUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def dashboard_complaints(
    *, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date
) -> ComplaintFigures:
    view = review_view(user=user, org_unit=org_unit, start=start, end=end)
    return complaint_figures(view, stocks_read(view))


# --- trend -----------------------------------------------------------------------------------


def trend_days(view: View) -> tuple[TrendDay, ...]:
    """Per local day of the period (days without complaints included, as zeros)."""
    grouped = (
        ComplaintDay.objects.filter(unit=view.unit.id, day__gte=view.start, day__lte=view.end)
        .values("day")
        .annotate(
            received=Sum("received"),
            resolved=Sum("resolved"),
            within=Sum("resolved_within_sla"),
            breached=Sum("breached"),
        )
        .order_by()
    )
    by_day = {_as_date(row["day"]): row for row in grouped}
    days = []
    day = view.start
    while day <= view.end:
        row = by_day.get(day, {})
        resolved = int(row.get("resolved") or 0)
        within = int(row.get("within") or 0)
        days.append(
            TrendDay(
                day=day,
                received=int(row.get("received") or 0),
                resolved=resolved,
                resolved_within_sla=within,
                breached=int(row.get("breached") or 0),
                sla_compliance=_ratio(within, resolved),
            )
        )
        day += timedelta(days=1)
    return tuple(days)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def trend(
    *, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date
) -> tuple[TrendDay, ...]:
    return trend_days(review_view(user=user, org_unit=org_unit, start=start, end=end))


# --- accountability --------------------------------------------------------------------------


def officer_rows(view: View, stocks: Stocks, *, limit: int | None = 25) -> tuple[OfficerRow, ...]:
    """Officers ranked by overdue complaints now, then breaches in the period, then
    explanations owed. JEs through their complaints; officers above through the explanations
    they were asked for."""
    pending: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _u, je, _c, p, o in stocks.rows:
        if je != UNASSIGNED:
            pending[je][0] += p
            pending[je][1] += o
    flows: dict[int, Mapping[str, Any]] = {}
    if view.leaf_ids:
        grouped = (
            OfficerDay.objects.filter(
                unit__in=view.leaf_ids, day__gte=view.start, day__lte=view.end
            )
            .exclude(je=UNASSIGNED)
            .values("je")
            .annotate(
                breached=Sum("breached"),
                rejected=Sum("resolution_rejected"),
                resolved=Sum("resolved"),
            )
            .order_by()
        )
        flows = {row["je"]: row for row in grouped}
    owed_rows = (
        Explanation.objects.filter(
            replied_at__isnull=True, officer__jurisdiction__path__startswith=view.unit.path
        )
        .values("officer_id")
        .annotate(owed=Count("id"), late=Count("id", filter=Q(due_at__lt=stocks.as_of)))
        .order_by()
    )
    owed = {row["officer_id"]: (row["owed"], row["late"]) for row in owed_rows}
    ids = set(pending) | set(flows) | set(owed)
    people = StaffUser.objects.filter(id__in=ids).values_list(
        "id", "username", "first_name", "last_name", "role",
        "jurisdiction__name_en", "jurisdiction__name_hi",
    )  # fmt: skip
    rows = []
    for uid, username, first, last, role, unit_en, unit_hi in people:
        p, o = pending.get(uid, (0, 0))
        f = flows.get(uid, {})
        w, late = owed.get(uid, (0, 0))
        rows.append(
            OfficerRow(
                user_id=uid,
                username=username,
                name=f"{first} {last}".strip() or username,
                role=role,
                unit_en=unit_en or "",
                unit_hi=unit_hi or "",
                pending=p,
                overdue=o,
                breaches=int(f.get("breached") or 0),
                resolution_rejected=int(f.get("rejected") or 0),
                resolved=int(f.get("resolved") or 0),
                explanations_owed=w,
                explanations_late=late,
            )
        )
    rows.sort(key=lambda r: (-r.overdue, -r.breaches, -r.explanations_owed, r.username))
    return tuple(rows[:limit] if limit else rows)


def accountability(
    *, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date, limit: int | None = 25
) -> tuple[OfficerRow, ...]:
    view = review_view(user=user, org_unit=org_unit, start=start, end=end)
    return officer_rows(view, stocks_read(view), limit=limit)


# --- outages, calls, the whole page ----------------------------------------------------------


def dashboard_outages(
    *, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date
) -> OutageFigures:
    return outage_figures(review_view(user=user, org_unit=org_unit, start=start, end=end))


def dashboard_calls(
    *, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date
) -> CallFigures:
    return call_figures(review_view(user=user, org_unit=org_unit, start=start, end=end))


@dataclass(frozen=True)
class Dashboard:
    view: View
    complaints: ComplaintFigures
    trend: tuple[TrendDay, ...]
    outages: OutageFigures
    calls: CallFigures
    officers: tuple[OfficerRow, ...]


def dashboard(
    *, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date, officers: int = 25
) -> Dashboard:
    """Everything one review page shows (the open complaints are read once)."""
    view = review_view(user=user, org_unit=org_unit, start=start, end=end)
    stocks = stocks_read(view)
    return Dashboard(
        view=view,
        complaints=complaint_figures(view, stocks),
        trend=trend_days(view),
        outages=outage_figures(view),
        calls=call_figures(view),
        officers=officer_rows(view, stocks, limit=officers),
    )
