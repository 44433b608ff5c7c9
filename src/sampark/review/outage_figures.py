"""Outage figures of a review page: outages that began in the period, per child unit and total.

SAIFI = consumers interrupted / consumers served; SAIDI = consumer-minutes without supply /
consumers served (both for the period and the unit). ETR accuracy: |restored_at - first ETR| and
|restored_at - last ETR| over restored outages (mean and median, seconds) and the share restored
within +-30 minutes of the last ETR.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sampark.outages.models import OutageKind

from .models import OutageRecord, ServedConsumers
from .scope import View, local_bounds

ETR_TOLERANCE_SECONDS = 30 * 60


@dataclass(frozen=True)
class OutageRow:
    key: str
    name_en: str
    name_hi: str
    unit_id: int | None
    outages: int
    planned: int
    unplanned: int  # faults and trips
    load_shedding: int
    consumers: int  # interrupted (summed over outages)
    consumer_hours: float
    served: int  # consumers connected in the unit
    saifi: float | None
    saidi_minutes: float | None
    notices_sent: int
    notices_delivered: int
    delivery_rate: float | None
    restored: int
    etr_first_mean_seconds: float | None
    etr_first_median_seconds: float | None
    etr_last_mean_seconds: float | None
    etr_last_median_seconds: float | None
    within_30_min: float | None  # share of restored outages within +-30 min of the last ETR

    def name(self, language: str) -> str:
        return self.name_hi if language == "hi" and self.name_hi else self.name_en


@dataclass(frozen=True)
class OutageFigures:
    start: object
    end: object
    rows: tuple[OutageRow, ...]
    total: OutageRow


Stamp = datetime | None
Rec = tuple[int, str, datetime, Stamp, Stamp, Stamp, int, int, int, int]


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _row(
    key: str, name_en: str, name_hi: str, unit_id: int | None, recs: Iterable[Rec], served: int
) -> OutageRow:
    recs = list(recs)
    kinds: dict[str, int] = defaultdict(int)
    consumers = seconds = sent = delivered = 0
    first: list[float] = []
    last: list[float] = []
    for _u, kind, _s, restored, first_etr, last_etr, n, cs, ns, nd in recs:
        kinds[kind] += 1
        consumers += n
        seconds += cs
        sent += ns
        delivered += nd
        if restored is not None:
            if first_etr is not None:
                first.append(abs((restored - first_etr).total_seconds()))
            if last_etr is not None:
                last.append(abs((restored - last_etr).total_seconds()))
    within = sum(1 for s in last if s <= ETR_TOLERANCE_SECONDS)
    return OutageRow(
        key=key,
        name_en=name_en,
        name_hi=name_hi,
        unit_id=unit_id,
        outages=len(recs),
        planned=kinds[OutageKind.PLANNED],
        unplanned=kinds[OutageKind.UNPLANNED],
        load_shedding=kinds[OutageKind.LOAD_SHEDDING],
        consumers=consumers,
        consumer_hours=round(seconds / 3600, 1),
        served=served,
        saifi=round(consumers / served, 4) if served else None,
        saidi_minutes=round(seconds / 60 / served, 2) if served else None,
        notices_sent=sent,
        notices_delivered=delivered,
        delivery_rate=round(delivered / sent, 4) if sent else None,
        restored=len(last),
        etr_first_mean_seconds=_mean(first),
        etr_first_median_seconds=_median(first),
        etr_last_mean_seconds=_mean(last),
        etr_last_median_seconds=_median(last),
        within_30_min=round(within / len(last), 4) if last else None,
    )


def outage_figures(view: View) -> OutageFigures:
    lo, hi = local_bounds(view.start, view.end)
    records = OutageRecord.objects.filter(starts_at__gte=lo, starts_at__lt=hi)
    served_rows = ServedConsumers.objects.all()
    if view.unit.depth > 1:
        records = records.filter(unit__in=view.leaf_ids)
        served_rows = served_rows.filter(unit__in=view.leaf_ids)
    fields = (
        "unit", "kind", "starts_at", "restored_at", "first_etr", "last_etr", "consumers",
        "consumer_seconds", "notices_sent", "notices_delivered",
    )  # fmt: skip
    recs: list[Rec] = list(records.values_list(*fields))
    served: dict[int, int] = defaultdict(int)
    for unit, n in served_rows.values_list("unit", "consumers"):
        served[view.leaf_child.get(unit, view.unit.id)] += n
    by_child: dict[int, list[Rec]] = defaultdict(list)
    for rec in recs:
        by_child[view.leaf_child.get(rec[0], view.unit.id)].append(rec)
    rows = tuple(
        _row(c.code, c.name_en, c.name_hi, c.id, by_child.get(c.id, []), served.get(c.id, 0))
        for c in view.children
    )
    unit = view.unit
    total = _row(unit.code, unit.name_en, unit.name_hi, unit.id, recs, sum(served.values()))
    return OutageFigures(start=view.start, end=view.end, rows=rows, total=total)
