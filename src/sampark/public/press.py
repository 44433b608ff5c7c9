"""The daily press bulletin of each discom, in Hindi and English.

Issued each morning (from the local hour `SAMPARK_PRESS_BULLETIN_HOUR`, by the scheduler's task,
once per discom and day: the unique key decides) or on demand (`sampark press_bulletin`). It
covers the previous local day: outages by kind and the consumers they reached, restorations and
how long they took (against the first ETR given), complaints registered and resolved within
their time limit, zone by zone; and the position at issue time: outages still on, complaints
pending, planned work of the day. Figures are stored as issued, with the text in both languages
(fixed phrase pairs, like messages: what the press gets must not depend on a catalog).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from sampark.complaints.models import OPEN_STATUSES, SLA_RUNNING_STATUSES, Complaint, Status
from sampark.core import clock
from sampark.network.models import LEVEL_DEPTH, OrgLevel, OrgUnit
from sampark.outages.models import (
    Outage,
    OutageEvent,
    OutageEventKind,
    OutageKind,
    OutageScope,
    OutageStatus,
)

from . import texts
from .models import PressBulletin
from .outage_feeds import places_text
from .outage_selectors import load_outages
from .texts import Phrase

PLANNED_LISTED = 10


class Via:
    SCHEDULER = "scheduler"
    COMMAND = "command"


HEADLINE = Phrase(
    "{discom}: दैनिक बिजली आपूर्ति बुलेटिन, {day}", "{discom}: daily power supply bulletin, {day}"
)
PERIOD = Phrase("अवधि: {start} से {end} तक।", "Period: {start} to {end}.")
OUTAGES = Phrase(
    "बिजली कटौती: {unplanned} खराबी/ट्रिपिंग, {planned} नियोजित, {load_shedding} रोस्टरिंग; "
    "लगभग {consumers} उपभोक्ता प्रभावित।",
    "Outages: {unplanned} faults/trips, {planned} planned, {load_shedding} load-shedding; "
    "about {consumers} consumers affected.",
)
RESTORED = Phrase(
    "बहाली: {restored} कटौती बहाल, औसत {average} (माध्यिका {median}); {within_etr} पहले बताए "
    "गए समय के भीतर।",
    "Restoration: {restored} outages restored, average {average} (median {median}); "
    "{within_etr} by the first time given.",
)
NONE_RESTORED = Phrase("बहाली: कोई कटौती बहाल नहीं हुई।", "Restoration: no outage was restored.")
LONGEST = Phrase(
    "सबसे लंबी कटौती: {duration}, {zone} ({reason})।",
    "Longest outage: {duration}, {zone} ({reason}).",
)
NOW = Phrase(
    "{time} पर: {outages} कटौती जारी, {consumers} उपभोक्ता प्रभावित।",
    "At {time}: {outages} outages on, {consumers} consumers affected.",
)
COMPLAINTS = Phrase(
    "शिकायतें: {registered} दर्ज, {resolved} निस्तारित ({within_sla} समय-सीमा में); "
    "{pending} लंबित, जिनमें {overdue} समय-सीमा पार।",
    "Complaints: {registered} registered, {resolved} resolved ({within_sla} within the time "
    "limit); {pending} pending, {overdue} of them past the time limit.",
)
PLANNED_TODAY = Phrase("आज की नियोजित कटौती:", "Planned work today:")
PLANNED_NONE = Phrase("आज कोई नियोजित कटौती नहीं।", "No planned work today.")
PLANNED_ITEM = Phrase(
    "- {zone}: {start} से {end}, {places} ({reason})",
    "- {zone}: {start} to {end}, {places} ({reason})",
)
ZONES = Phrase("ज़ोनवार:", "By zone:")
ZONE_ITEM = Phrase(
    "- {zone}: {outages} कटौती, {restored} बहाल, {complaints} शिकायतें",
    "- {zone}: {outages} outages, {restored} restored, {complaints} complaints",
)
FOOTER = Phrase(
    "बिजली संबंधी शिकायत व जानकारी: 1912। {sender}",
    "Power complaints and information: 1912. {sender}",
)
NOT_AVAILABLE = Phrase("-", "-")


# --- figures -----------------------------------------------------------------------------------


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _named(unit: OrgUnit) -> dict[str, str]:
    return {"code": unit.code, "en": unit.name_en, "hi": unit.name_hi or unit.name_en}


def _outage_figures(*, discom: OrgUnit, start: datetime, end: datetime) -> dict[str, Any]:
    under = Q(zone__path__startswith=discom.path)
    started = Outage.objects.filter(under, starts_at__gte=start, starts_at__lt=end).exclude(
        status=OutageStatus.CANCELLED
    )
    by_kind = dict(started.values_list("kind").annotate(n=Count("id")).order_by())
    started_ids = list(started.values_list("id", flat=True))
    consumers = sum(o.consumers for o in load_outages(outage_ids=started_ids))
    first_etr = (
        OutageEvent.objects.filter(
            outage=OuterRef("pk"), kind__in=[OutageEventKind.DECLARED, OutageEventKind.ANNOUNCED]
        )
        .order_by("id")
        .values("etr")[:1]
    )
    restored = list(
        Outage.objects.filter(
            under, status=OutageStatus.RESTORED, restored_at__gte=start, restored_at__lt=end
        )
        .annotate(first_etr=Subquery(first_etr))
        .select_related("zone", "reason")
    )
    durations = [_minutes(o.restored_at - o.starts_at) for o in restored if o.restored_at]
    longest = max(restored, key=lambda o: (o.restored_at or end) - o.starts_at, default=None)
    return {
        "unplanned": by_kind.get(OutageKind.UNPLANNED, 0),
        "planned": by_kind.get(OutageKind.PLANNED, 0),
        "load_shedding": by_kind.get(OutageKind.LOAD_SHEDDING, 0),
        "consumers": consumers,
        "restored": len(restored),
        "within_etr": sum(
            1 for o in restored if o.first_etr is not None and o.restored_at <= o.first_etr
        ),
        "average_minutes": round(statistics.fmean(durations)) if durations else None,
        "median_minutes": round(statistics.median(durations)) if durations else None,
        "longest": None
        if longest is None or longest.restored_at is None
        else {
            "outage": longest.pk,
            "minutes": _minutes(longest.restored_at - longest.starts_at),
            "zone": _named(longest.zone),
            "reason": {"en": longest.reason.text_en, "hi": longest.reason.text_hi},
        },
    }


def _position_now(*, discom: OrgUnit, now: datetime, day: date) -> dict[str, Any]:
    live = OutageScope.objects.filter(
        outage__status=OutageStatus.ACTIVE,
        outage__zone__path__startswith=discom.path,
        restored_at__isnull=True,
    )
    ids = list(live.values_list("outage_id", flat=True).distinct())
    still = load_outages(outage_ids=ids, unrestored_only=True)
    planned_ids = list(
        Outage.objects.filter(
            zone__path__startswith=discom.path,
            kind=OutageKind.PLANNED,
            status__in=[OutageStatus.SCHEDULED, OutageStatus.ACTIVE],
            starts_at__gte=local_midnight(day),
            starts_at__lt=local_midnight(day + timedelta(days=1)),
        )
        .order_by("starts_at", "id")
        .values_list("id", flat=True)[:PLANNED_LISTED]
    )
    planned = sorted(load_outages(outage_ids=planned_ids), key=lambda o: (o.starts_at, o.id))
    return {
        "outages": len(still),
        "consumers": sum(o.consumers for o in still),
        "planned_today": [
            {
                "outage": o.id,
                "zone": {"code": o.zone.code, "en": o.zone.name_en, "hi": o.zone.name_in("hi")},
                "places": {"en": places_text(o.places, "en"), "hi": places_text(o.places, "hi")},
                "reason": {"en": o.reason.name_en, "hi": o.reason.name_hi},
                "starts_at": o.starts_at.isoformat(),
                "etr": o.etr.isoformat(),
            }
            for o in planned
        ],
    }


def _complaint_figures(*, discom: OrgUnit, start: datetime, end: datetime, now: datetime):
    mine = Complaint.objects.filter(org_unit__path__startswith=discom.path)
    in_window = mine.aggregate(
        registered=Count("id", filter=Q(registered_at__gte=start, registered_at__lt=end)),
        resolved=Count("id", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
        within_sla=Count(
            "id",
            filter=Q(resolved_at__gte=start, resolved_at__lt=end, resolved_at__lte=F("due_at")),
        ),
    )
    pending = [s for s in OPEN_STATUSES if s != Status.RESOLVED]
    position = mine.aggregate(
        pending=Count("id", filter=Q(status__in=pending)),
        overdue=Count("id", filter=Q(status__in=SLA_RUNNING_STATUSES, due_at__lt=now)),
    )
    return in_window | position


def _zone_rows(*, discom: OrgUnit, start: datetime, end: datetime) -> list[dict[str, Any]]:
    zones = list(OrgUnit.objects.filter(level=OrgLevel.ZONE, path__startswith=discom.path))
    outages = Outage.objects.filter(zone__in=zones).exclude(status=OutageStatus.CANCELLED)
    started = dict(
        outages.filter(starts_at__gte=start, starts_at__lt=end)
        .values_list("zone_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    restored = dict(
        outages.filter(restored_at__gte=start, restored_at__lt=end)
        .values_list("zone_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    zone_length = discom.steplen * LEVEL_DEPTH[OrgLevel.ZONE]
    complaints = dict(
        Complaint.objects.filter(
            org_unit__path__startswith=discom.path, registered_at__gte=start, registered_at__lt=end
        )
        .annotate(zone_path=Substr("org_unit__path", 1, zone_length))
        .values_list("zone_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {
            "zone": _named(zone),
            "outages": started.get(zone.pk, 0),
            "restored": restored.get(zone.pk, 0),
            "complaints": complaints.get(zone.path, 0),
        }
        for zone in sorted(zones, key=lambda z: z.path)
    ]


def press_figures(*, discom: OrgUnit, day: date, now: datetime) -> dict[str, Any]:
    """Everything the bulletin of `day` says, as plain JSON-able values."""
    start, end = local_midnight(day - timedelta(days=1)), local_midnight(day)
    return {
        "discom": _named(discom),
        "day": day.isoformat(),
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "issued_at": now.isoformat(),
        "outages": _outage_figures(discom=discom, start=start, end=end),
        "now": _position_now(discom=discom, now=now, day=day),
        "complaints": _complaint_figures(discom=discom, start=start, end=end, now=now),
        "zones": _zone_rows(discom=discom, start=start, end=end),
    }


# --- text --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    language: str

    def name(self, named: dict[str, str]) -> str:
        return named.get(self.language) or named["en"]

    def when(self, iso: str, fmt: str = "%d/%m %H:%M") -> str:
        return timezone.localtime(datetime.fromisoformat(iso)).strftime(fmt)

    def duration(self, minutes: int | None) -> str:
        if minutes is None:
            return NOT_AVAILABLE.text(self.language)
        return texts.DURATION.text(self.language, hours=minutes // 60, minutes=minutes % 60)


def press_text(*, figures: dict[str, Any], language: str) -> str:
    w = _Words(language)
    o, now, c = figures["outages"], figures["now"], figures["complaints"]
    day = date.fromisoformat(figures["day"])
    lines = [
        HEADLINE.text(language, discom=w.name(figures["discom"]), day=day.strftime("%d/%m/%Y")),
        PERIOD.text(
            language,
            start=w.when(figures["window"]["start"], "%d/%m/%Y %H:%M"),
            end=w.when(figures["window"]["end"], "%d/%m/%Y %H:%M"),
        ),
        "",
        OUTAGES.text(
            language,
            unplanned=o["unplanned"],
            planned=o["planned"],
            load_shedding=o["load_shedding"],
            consumers=o["consumers"],
        ),
    ]
    if o["restored"]:
        lines.append(
            RESTORED.text(
                language,
                restored=o["restored"],
                average=w.duration(o["average_minutes"]),
                median=w.duration(o["median_minutes"]),
                within_etr=o["within_etr"],
            )
        )
    else:
        lines.append(NONE_RESTORED.text(language))
    if o["longest"]:
        longest = o["longest"]
        lines.append(
            LONGEST.text(
                language,
                duration=w.duration(longest["minutes"]),
                zone=w.name(longest["zone"]),
                reason=w.name(longest["reason"]),
            )
        )
    lines.append(
        NOW.text(
            language,
            time=w.when(figures["issued_at"]),
            outages=now["outages"],
            consumers=now["consumers"],
        )
    )
    lines.append(COMPLAINTS.text(language, **c))
    lines.append("")
    if now["planned_today"]:
        lines.append(PLANNED_TODAY.text(language))
        for item in now["planned_today"]:
            lines.append(
                PLANNED_ITEM.text(
                    language,
                    zone=w.name(item["zone"]),
                    start=w.when(item["starts_at"], "%H:%M"),
                    end=w.when(item["etr"], "%H:%M"),
                    places=w.name(item["places"]),
                    reason=w.name(item["reason"]),
                )
            )
    else:
        lines.append(PLANNED_NONE.text(language))
    lines += ["", ZONES.text(language)]
    for row in figures["zones"]:
        lines.append(
            ZONE_ITEM.text(
                language,
                zone=w.name(row["zone"]),
                outages=row["outages"],
                restored=row["restored"],
                complaints=row["complaints"],
            )
        )
    lines += ["", FOOTER.text(language)]
    return "\n".join(lines)


# --- issuing -----------------------------------------------------------------------------------


def press_bulletin_issue(
    *, discom: OrgUnit, day: date, via: str, replace: bool = False, at: datetime | None = None
) -> PressBulletin | None:
    """Issue the discom's bulletin of `day`; None when it exists and `replace` is not asked
    (or another worker issued it meanwhile)."""
    now = at or clock.now()
    figures = press_figures(discom=discom, day=day, now=now)
    values = {
        "window_start": datetime.fromisoformat(figures["window"]["start"]),
        "window_end": datetime.fromisoformat(figures["window"]["end"]),
        "figures": figures,
        "text_hi": press_text(figures=figures, language="hi"),
        "text_en": press_text(figures=figures, language="en"),
        "issued_at": now,
        "issued_via": via,
    }
    try:
        with transaction.atomic():
            if replace:
                bulletin, _ = PressBulletin.objects.update_or_create(
                    discom=discom, day=day, defaults=values
                )
                return bulletin
            if PressBulletin.objects.filter(discom=discom, day=day).exists():
                return None
            return PressBulletin.objects.create(discom=discom, day=day, **values)
    except IntegrityError:
        return None  # issued by another worker between the look and the insert


def discoms_all() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(level=OrgLevel.DISCOM).order_by("path"))


def press_bulletins_issue_due(*, at: datetime | None = None) -> int:
    """The scheduler's run: from the press hour on, today's bulletin of every discom that has
    none yet. Returns how many were issued."""
    now = at or clock.now()
    local = timezone.localtime(now)
    if local.hour < settings.SAMPARK_PRESS_BULLETIN_HOUR:
        return 0
    issued = 0
    for discom in discoms_all():
        if PressBulletin.objects.filter(discom=discom, day=local.date()).exists():
            continue
        if press_bulletin_issue(discom=discom, day=local.date(), via=Via.SCHEDULER, at=now):
            issued += 1
    return issued
