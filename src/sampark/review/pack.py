"""The daily review pack's content: what the PDF and the XLSX show, as plain frozen values.

`pack_content` reads the review selectors (the same figures the dashboards show) for one discom
and one local day: headline figures for the day and the month to date, the position now, a table
of zones with their circles, the accountability list and a 30-day trend. The renderers
(pack_pdf, pack_xlsx) only lay this out.

Labels are fixed Hindi/English pairs, not catalog strings: the pack carries both languages on
every page (the configured one first), and what officers receive must not depend on a catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sampark.accounts.models import Role, StaffUser
from sampark.callcentre.kpis import KpiRow
from sampark.core import clock
from sampark.network.models import OrgLevel, OrgUnit

from .calls import CallFigures
from .outage_figures import OutageFigures, OutageRow
from .selectors import (
    ComplaintFigures,
    Figures,
    OfficerRow,
    accountability,
    dashboard_calls,
    dashboard_complaints,
    dashboard_outages,
    trend,
)


@dataclass(frozen=True)
class Text:
    hi: str
    en: str

    def first(self, language: str) -> str:
        return self.hi if language == "hi" else self.en

    def second(self, language: str) -> str:
        return self.en if language == "hi" else self.hi


class Kind(StrEnum):
    """How a value is shown: COUNT an integer, PERCENT a fraction (0.975 -> 97.5%), HOURS a
    duration in hours (one decimal), ROUNDED a whole number of the unit its label names
    (seconds, minutes), INDEX a small decimal (SAIFI, CSAT)."""

    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"
    HOURS = "hours"
    ROUNDED = "rounded"
    INDEX = "index"


Value = int | float | str | date | Text | None


@dataclass(frozen=True)
class Figure:
    label: Text
    kind: Kind
    day: int | float | None  # the pack's day
    month: int | float | None  # the month to date, the pack's day included


@dataclass(frozen=True)
class FigureGroup:
    title: Text
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Column:
    label: Text
    kind: Kind
    width: float = 1.0  # relative width in the PDF


@dataclass(frozen=True)
class Row:
    cells: tuple[Value, ...]
    level: int = 0  # 0 a top row (zone), 1 a row under it (circle): indented, lighter


@dataclass(frozen=True)
class Table:
    key: str  # the XLSX sheet's name (ASCII, <= 31 characters)
    title: Text
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: Text = Text("कोई पंक्ति नहीं।", "No rows.")


@dataclass(frozen=True)
class TrendPoint:
    day: date
    received: int
    resolved: int
    sla_compliance: float | None  # fraction of the day's resolutions within their time limit


@dataclass(frozen=True)
class PackContent:
    discom_code: str
    discom: Text
    day: date
    month_start: date
    generated_at: datetime
    language: str  # which language comes first on every page
    figures: tuple[FigureGroup, ...]  # the day and the month to date
    position: tuple[Figure, ...]  # stocks at generation time (only `day` is set)
    tables: tuple[Table, ...]
    trend: tuple[TrendPoint, ...]

    @property
    def title(self) -> Text:
        return Text(
            f"{self.discom.hi}: दैनिक समीक्षा रिपोर्ट, {self.day:%d/%m/%Y}",
            f"{self.discom.en}: daily review pack, {self.day:%d/%m/%Y}",
        )


TITLE_PERIOD = Text("अवधि", "Period")
DAY = Text("दिन", "Day")
MONTH = Text("माह में अब तक", "Month to date")
POSITION = Text("वर्तमान स्थिति", "Position now")
FIGURE = Text("आँकड़ा", "Figure")
TREND = Text("पिछले 30 दिन", "Last 30 days")
RECEIVED = Text("प्राप्त शिकायतें", "Complaints received")
RESOLVED = Text("निस्तारित", "Resolved")
SLA = Text("समय-सीमा में निस्तारण", "Resolved within time limit")
GENERATED = Text("तैयार", "Generated")


# --- building it from the review selectors -----------------------------------------------------

TREND_DAYS = 30
ACCOUNTABLE = 25  # officers listed
ROLES = {
    "je": Text("अवर अभियंता", "Junior Engineer"),
    "sdo": Text("उपखंड अधिकारी", "Sub-divisional Officer"),
    "xen": Text("अधिशासी अभियंता", "Executive Engineer"),
    "se": Text("अधीक्षण अभियंता", "Superintending Engineer"),
    "ce": Text("मुख्य अभियंता", "Chief Engineer"),
    "md": Text("प्रबंध निदेशक", "Managing Director"),
}
NOW = Text("(अभी)", "(now)")


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _named(hi: str, en: str) -> Text:
    return Text(hi or en, en)


def reader() -> StaffUser:
    """Whom the selectors read for: the scheduler, seeing the whole state like an administrator.
    Never saved. Who may fetch a pack is checked when it is fetched (pack_views)."""
    return StaffUser(username="review-pack", role=Role.ADMIN, is_superuser=True, is_active=True)


@dataclass(frozen=True)
class _Period:
    complaints: ComplaintFigures
    outages: OutageFigures
    calls: CallFigures | None  # the discom's only: calls are not placed below it


def _period(user: StaffUser, unit: OrgUnit, start: date, end: date) -> _Period:
    return _Period(
        complaints=dashboard_complaints(user=user, org_unit=unit, start=start, end=end),
        outages=dashboard_outages(user=user, org_unit=unit, start=start, end=end),
        calls=dashboard_calls(user=user, org_unit=unit, start=start, end=end)
        if unit.level == OrgLevel.DISCOM
        else None,
    )


def _complaint_group(day: Figures, month: Figures) -> FigureGroup:
    def f(hi: str, en: str, kind: Kind, get: Callable[[Figures], float | None]) -> Figure:
        return Figure(Text(hi, en), kind, get(day), get(month))

    return FigureGroup(
        Text("शिकायतें", "Complaints"),
        (
            f("प्राप्त", "Received", Kind.COUNT, lambda x: x.received),
            f("निस्तारित", "Resolved", Kind.COUNT, lambda x: x.resolved),
            f("समय-सीमा में निस्तारण", "Resolved within time limit", Kind.PERCENT,
              lambda x: x.sla_compliance),
            f("माध्यिका निस्तारण समय (घंटे)", "Median resolution (hours)", Kind.HOURS,
              lambda x: _hours(x.median_seconds)),
            f("90वाँ प्रतिशतक (घंटे)", "90th percentile (hours)", Kind.HOURS,
              lambda x: _hours(x.p90_seconds)),
            f("उपभोक्ता-पुष्ट बंद", "Closures confirmed by consumer", Kind.PERCENT,
              lambda x: x.confirmed_share),
            f("पुनः खुली", "Reopen rate", Kind.PERCENT, lambda x: x.reopen_rate),
            f("अस्वीकृत निस्तारण", "Resolutions rejected", Kind.COUNT,
              lambda x: x.resolution_rejected),
            f("समय-सीमा उल्लंघन", "Time-limit breaches", Kind.COUNT, lambda x: x.breached),
            f("संतुष्टि (1-5)", "CSAT (1-5)", Kind.INDEX, lambda x: x.csat),
        ),
    )  # fmt: skip


def _outage_group(day: OutageRow, month: OutageRow) -> FigureGroup:
    def f(hi: str, en: str, kind: Kind, get: Callable[[OutageRow], float | None]) -> Figure:
        return Figure(Text(hi, en), kind, get(day), get(month))

    return FigureGroup(
        Text("बिजली कटौती", "Outages"),
        (
            f("कटौतियाँ", "Outages", Kind.COUNT, lambda x: x.outages),
            f("अनियोजित (खराबी, ट्रिपिंग)", "Unplanned (faults, trips)", Kind.COUNT,
              lambda x: x.unplanned),
            f("प्रभावित उपभोक्ता", "Consumers affected", Kind.COUNT, lambda x: x.consumers),
            f("उपभोक्ता-घंटे बिना बिजली", "Consumer-hours without supply", Kind.COUNT,
              lambda x: round(x.consumer_hours)),
            f("SAIFI", "SAIFI", Kind.INDEX, lambda x: x.saifi),
            f("SAIDI (मिनट)", "SAIDI (minutes)", Kind.INDEX, lambda x: x.saidi_minutes),
            f("बहाल", "Restored", Kind.COUNT, lambda x: x.restored),
            f("अंतिम ETR से औसत अंतर (मिनट)", "Mean gap to last ETR (minutes)", Kind.ROUNDED,
              lambda x: _minutes(x.etr_last_mean_seconds)),
            f("अंतिम ETR के ±30 मिनट में", "Within ±30 min of last ETR", Kind.PERCENT,
              lambda x: x.within_30_min),
            f("सूचनाएँ पहुँचीं", "Notices delivered", Kind.PERCENT, lambda x: x.delivery_rate),
        ),
    )  # fmt: skip


def _call_group(day: KpiRow, month: KpiRow) -> FigureGroup:
    def f(hi: str, en: str, kind: Kind, get: Callable[[KpiRow], float | None]) -> Figure:
        return Figure(Text(hi, en), kind, get(day), get(month))

    return FigureGroup(
        Text("1912 कॉल", "1912 calls"),
        (
            f("प्राप्त कॉल", "Calls offered", Kind.COUNT, lambda x: x.offered),
            f("उत्तरित", "Answered", Kind.COUNT, lambda x: x.answered),
            f("परित्याग दर", "Abandonment rate", Kind.PERCENT, lambda x: x.abandonment_rate),
            f("सेवा स्तर", "Service level", Kind.PERCENT, lambda x: x.service_level),
            f("औसत उत्तर समय (सेकंड)", "Average speed of answer (s)", Kind.ROUNDED,
              lambda x: x.asa_seconds),
            f("औसत कॉल अवधि (सेकंड)", "Average handle time (s)", Kind.ROUNDED,
              lambda x: x.aht_seconds),
            f("IVR से समाधान", "Served by the IVR", Kind.PERCENT, lambda x: x.containment_rate),
            f("कॉल-बैक बाकी", "Callbacks not yet made", Kind.COUNT, lambda x: x.not_called_back),
        ),
    )  # fmt: skip


UNIT_COLUMNS = (
    Column(Text("इकाई", "Unit"), Kind.TEXT, 2.6),
    Column(Text("प्राप्त (दिन)", "Received (day)"), Kind.COUNT),
    Column(Text("निस्तारित (दिन)", "Resolved (day)"), Kind.COUNT),
    Column(Text("समय-सीमा में (दिन)", "In time (day)"), Kind.PERCENT),
    Column(Text("प्राप्त (माह)", "Received (month)"), Kind.COUNT),
    Column(Text("समय-सीमा में (माह)", "In time (month)"), Kind.PERCENT),
    Column(Text("माध्यिका घंटे (माह)", "Median h (month)"), Kind.HOURS),
    Column(Text("लंबित (अभी)", "Pending (now)"), Kind.COUNT),
    Column(Text("समय-सीमा पार (अभी)", "Overdue (now)"), Kind.COUNT),
    Column(Text("कटौतियाँ (दिन)", "Outages (day)"), Kind.COUNT),
    Column(Text("उपभोक्ता-घंटे (दिन)", "Consumer-hours (day)"), Kind.COUNT),
)


def _unit_rows(day: _Period, month: _Period, *, level: int) -> list[Row]:
    """One row per child unit: the day's and the month's complaint figures, its outages."""
    by_month = {r.key: r.figures for r in month.complaints.rows}
    outages = {r.key: r for r in day.outages.rows}
    rows = []
    for r in day.complaints.rows:
        m = by_month.get(r.key)
        o = outages.get(r.key)
        rows.append(
            Row(
                (
                    _named(r.name_hi, r.name_en),
                    r.figures.received,
                    r.figures.resolved,
                    r.figures.sla_compliance,
                    m.received if m else None,
                    m.sla_compliance if m else None,
                    _hours(m.median_seconds) if m else None,
                    r.figures.pending,
                    r.figures.overdue,
                    o.outages if o else None,
                    round(o.consumer_hours) if o else None,
                ),
                level=level,
            )
        )
    return rows


def _units_table(user: StaffUser, on_day: _Period, to_date: _Period) -> Table:
    """The discom's zones, each followed by its circles."""
    rows: list[Row] = []
    zones = OrgUnit.objects.in_bulk([r.unit_id for r in on_day.complaints.rows if r.unit_id])
    start, day = to_date.complaints.start, on_day.complaints.end
    for zone_row, row in zip(
        _unit_rows(on_day, to_date, level=0), on_day.complaints.rows, strict=True
    ):
        rows.append(zone_row)
        zone = zones.get(row.unit_id) if row.unit_id else None
        if zone is not None:
            rows += _unit_rows(
                _period(user, zone, day, day), _period(user, zone, start, day), level=1
            )
    return Table(
        key="units",
        title=Text("ज़ोन और सर्किल", "Zones and circles"),
        columns=UNIT_COLUMNS,
        rows=tuple(rows),
    )


ACCOUNTABILITY_COLUMNS = (
    Column(Text("अधिकारी", "Officer"), Kind.TEXT, 2.2),
    Column(Text("पद", "Role"), Kind.TEXT, 1.6),
    Column(Text("इकाई", "Unit"), Kind.TEXT, 2.2),
    Column(Text("समय-सीमा पार (अभी)", "Overdue (now)"), Kind.COUNT),
    Column(Text("लंबित (अभी)", "Pending (now)"), Kind.COUNT),
    Column(Text("उल्लंघन (माह)", "Breaches (month)"), Kind.COUNT),
    Column(Text("अस्वीकृत (माह)", "Rejected (month)"), Kind.COUNT),
    Column(Text("स्पष्टीकरण बाकी", "Explanations owed"), Kind.COUNT),
    Column(Text("जिनमें देर", "Of them late"), Kind.COUNT),
)


def _accountability_table(officers: Sequence[OfficerRow]) -> Table:
    answerable = [o for o in officers if o.overdue or o.breaches or o.explanations_owed][
        :ACCOUNTABLE
    ]
    return Table(
        key="accountability",
        title=Text(
            "जवाबदेही: समय-सीमा पार शिकायतें और बाकी स्पष्टीकरण",
            "Accountability: overdue complaints and explanations owed",
        ),
        columns=ACCOUNTABILITY_COLUMNS,
        rows=tuple(
            Row(
                (
                    o.name,
                    ROLES.get(o.role, Text(o.role, o.role)),
                    _named(o.unit_hi, o.unit_en),
                    o.overdue,
                    o.pending,
                    o.breaches,
                    o.resolution_rejected,
                    o.explanations_owed,
                    o.explanations_late,
                )
            )
            for o in answerable
        ),
        empty=Text(
            "किसी अधिकारी की कोई शिकायत समय-सीमा पार नहीं।", "No officer has an overdue complaint."
        ),
    )


def pack_content(*, discom: OrgUnit, day: date, language: str) -> PackContent:
    """Everything the pack of `discom` for the local `day` shows (stocks read now)."""
    user = reader()
    start = day.replace(day=1)
    on_day = _period(user, discom, day, day)
    to_date = _period(user, discom, start, day)
    officers = accountability(user=user, org_unit=discom, start=start, end=day, limit=None)
    days = trend(user=user, org_unit=discom, start=day - timedelta(days=TREND_DAYS - 1), end=day)
    total = on_day.complaints.total
    return PackContent(
        discom_code=discom.code,
        discom=_named(discom.name_hi, discom.name_en),
        day=day,
        month_start=start,
        generated_at=clock.now(),
        language=language,
        figures=(
            _complaint_group(total, to_date.complaints.total),
            _outage_group(on_day.outages.total, to_date.outages.total),
            _call_group(on_day.calls.total, to_date.calls.total),  # type: ignore[union-attr]
        ),
        position=(
            Figure(Text("लंबित शिकायतें", "Complaints pending"), Kind.COUNT, total.pending, None),
            Figure(Text("समय-सीमा पार", "Past the time limit"), Kind.COUNT, total.overdue, None),
            Figure(
                Text("बाकी स्पष्टीकरण", "Explanations owed"),
                Kind.COUNT,
                sum(o.explanations_owed for o in officers),
                None,
            ),
            Figure(
                Text("जिनमें देर", "Of them late"),
                Kind.COUNT,
                sum(o.explanations_late for o in officers),
                None,
            ),
        ),
        tables=(_units_table(user, on_day, to_date), _accountability_table(officers)),
        trend=tuple(TrendPoint(d.day, d.received, d.resolved, d.sla_compliance) for d in days),
    )
