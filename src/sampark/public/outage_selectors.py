"""Reads for the public outage page and feeds: what is off, what is planned, what came back.

Nothing here names a consumer: places are substations, feeders and DTs, counts are counts. Each
list is a handful of queries whatever its length (scope rows with their network, then consumer
counts grouped by feeder and by DT), and the page caches what it renders (outage_cache.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.network.models import LEVEL_DEPTH, Feeder, OrgLevel, OrgUnit
from sampark.outages.models import Outage, OutageKind, OutageScope, OutageStatus

from .models import PressBulletin

PLANNED_DAYS = 30  # planned work published this far ahead
RESTORED_HOURS = 24  # "recently restored" looks back this far
RESTORED_SHOWN = 50  # ... and lists at most this many


@dataclass(frozen=True)
class Named:
    """Something with an English and a Hindi name (templates pick with `|in_language`)."""

    code: str
    name_en: str
    name_hi: str

    def name_in(self, language: str) -> str:
        return self.name_hi if language == "hi" and self.name_hi else self.name_en


@dataclass(frozen=True)
class Place:
    """One scope element of an outage: a row of the public list."""

    level: str  # substation | feeder | dt
    code: str
    name_en: str
    name_hi: str
    consumers: int
    latitude: float | None
    longitude: float | None

    def name_in(self, language: str) -> str:
        return self.name_hi if language == "hi" and self.name_hi else self.name_en


@dataclass
class PublicOutage:
    id: int
    kind: str
    status: str
    reason: Named
    zone: Named
    discom: Named
    starts_at: datetime
    etr: datetime
    restored_at: datetime | None
    updated_at: datetime
    places: list[Place] = field(default_factory=list)

    @property
    def consumers(self) -> int:
        return sum(place.consumers for place in self.places)

    @property
    def overdue(self) -> bool:
        """Supply still off past the ETR."""
        return self.status == OutageStatus.ACTIVE and self.etr < clock.now()

    @property
    def points(self) -> list[tuple[float, float]]:
        """Distinct (longitude, latitude) of its places, in GeoJSON order."""
        found: dict[tuple[float, float], None] = {}
        for place in self.places:
            if place.latitude is not None and place.longitude is not None:
                found[(place.longitude, place.latitude)] = None
        return list(found)

    @property
    def duration_minutes(self) -> int | None:
        if self.restored_at is None:
            return None
        return int((self.restored_at - self.starts_at).total_seconds() // 60)

    @property
    def kind_label(self) -> str:
        return str(OutageKind(self.kind).label)


@dataclass
class ZoneOutages:
    zone: Named
    outages: list[PublicOutage]

    @property
    def consumers(self) -> int:
        return sum(outage.consumers for outage in self.outages)


@dataclass
class DiscomOutages:
    discom: Named
    zones: list[ZoneOutages]

    @property
    def consumers(self) -> int:
        return sum(zone.consumers for zone in self.zones)

    @property
    def outages(self) -> int:
        return sum(len(zone.outages) for zone in self.zones)


# --- loading ---------------------------------------------------------------------------------


def _coordinate(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 5)


def _discoms_of(zones: Iterable[OrgUnit]) -> dict[str, Named]:
    """Zone path -> its discom (one query)."""
    depth = LEVEL_DEPTH[OrgLevel.DISCOM]
    prefix = {zone.path: zone.path[: zone.steplen * depth] for zone in zones}
    discoms = OrgUnit.objects.filter(path__in=set(prefix.values())).only(
        "path", "code", "name_en", "name_hi"
    )
    by_path = {d.path: Named(d.code, d.name_en, d.name_hi) for d in discoms}
    unknown = Named("", "", "")
    return {path: by_path.get(discom_path, unknown) for path, discom_path in prefix.items()}


def _consumer_counts(elements: list[OutageScope], substation_feeders: dict[int, list[int]]):
    """Consumers per feeder and per DT of the elements (two grouped queries)."""
    feeders: set[int] = set()
    dts: set[int] = set()
    for e in elements:
        if e.substation_id is not None:
            feeders.update(substation_feeders.get(e.substation_id, []))
        elif e.feeder_id is not None:
            feeders.add(e.feeder_id)
        elif e.dt_id is not None:
            dts.add(e.dt_id)
    per_feeder: dict[int, int] = {}
    per_dt: dict[int, int] = {}
    if feeders:
        rows = (
            Consumer.objects.filter(feeder_id__in=feeders)
            .values("feeder_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        per_feeder = {row["feeder_id"]: row["n"] for row in rows}
    if dts:
        rows = Consumer.objects.filter(dt_id__in=dts).values("dt_id").annotate(n=Count("id"))
        per_dt = {row["dt_id"]: row["n"] for row in rows.order_by()}
    return per_feeder, per_dt


def _place(
    e: OutageScope,
    substation_feeders: dict[int, list[int]],
    per_feeder: dict[int, int],
    per_dt: dict[int, int],
) -> Place:
    """The element as a place, at its substation (a DT at its own point when it has one)."""
    if e.substation is not None:
        s = e.substation
        count = sum(per_feeder.get(f, 0) for f in substation_feeders.get(s.pk, []))
        named = ("substation", s.code, s.name_en, s.name_hi, count)
        return Place(*named, *_point(s.latitude, s.longitude))
    if e.feeder is not None:
        f, s = e.feeder, e.feeder.substation
        named = ("feeder", f.code, f.name_en, f.name_hi, per_feeder.get(f.pk, 0))
        return Place(*named, *_point(s.latitude, s.longitude))
    assert e.dt is not None
    dt, s = e.dt, e.dt.feeder.substation
    lat, lon = (dt.latitude, dt.longitude) if dt.latitude is not None else (s.latitude, s.longitude)
    return Place("dt", dt.code, dt.name, "", per_dt.get(dt.pk, 0), *_point(lat, lon))


def _point(lat: Decimal | None, lon: Decimal | None) -> tuple[float | None, float | None]:
    if lat is None or lon is None:
        return None, None
    return _coordinate(lat), _coordinate(lon)


def _load(elements_qs: QuerySet[OutageScope]) -> list[PublicOutage]:
    """Outages with their places and consumer counts, in the order of `elements_qs`."""
    elements = list(
        elements_qs.select_related(
            "outage__reason",
            "outage__zone",
            "substation",
            "feeder__substation",
            "dt__feeder__substation",
        )
    )
    if not elements:
        return []
    substation_ids = {e.substation_id for e in elements if e.substation_id is not None}
    substation_feeders: dict[int, list[int]] = defaultdict(list)
    if substation_ids:
        rows = Feeder.objects.filter(substation_id__in=substation_ids).values_list(
            "id", "substation_id"
        )
        for feeder_id, substation_id in rows:
            substation_feeders[substation_id].append(feeder_id)
    per_feeder, per_dt = _consumer_counts(elements, substation_feeders)
    discoms = _discoms_of({e.outage.zone.path: e.outage.zone for e in elements}.values())
    outages: dict[int, PublicOutage] = {}
    for e in elements:
        o = e.outage
        found = outages.get(o.pk)
        if found is None:
            found = outages[o.pk] = PublicOutage(
                id=o.pk,
                kind=o.kind,
                status=o.status,
                reason=Named(o.reason.code, o.reason.text_en, o.reason.text_hi),
                zone=Named(o.zone.code, o.zone.name_en, o.zone.name_hi),
                discom=discoms[o.zone.path],
                starts_at=o.starts_at,
                etr=o.etr,
                restored_at=o.restored_at,
                updated_at=o.updated_at,
            )
        found.places.append(_place(e, substation_feeders, per_feeder, per_dt))
    return list(outages.values())


def outages_current() -> list[PublicOutage]:
    """Active outages with the places still off, zone by zone, latest ETR last."""
    elements = OutageScope.objects.filter(
        outage__status=OutageStatus.ACTIVE, restored_at__isnull=True
    ).order_by("outage__zone__path", "outage__etr", "outage_id", "id")
    return _load(elements)


def outages_planned(*, now: datetime, days: int = PLANNED_DAYS) -> list[PublicOutage]:
    """Scheduled work starting within `days`, soonest first."""
    elements = OutageScope.objects.filter(
        outage__status=OutageStatus.SCHEDULED,
        outage__starts_at__lt=now + timedelta(days=days),
    ).order_by("outage__starts_at", "outage_id", "id")
    return _load(elements)


def outages_planned_in_zone(
    *, zone: OrgUnit, now: datetime, days: int = PLANNED_DAYS
) -> list[PublicOutage]:
    """A zone's planned work for its calendar: scheduled, under way, done or called off, from
    a day back to `days` ahead (a calendar keeps what it was told, with the latest status)."""
    elements = OutageScope.objects.filter(
        outage__zone=zone,
        outage__kind=OutageKind.PLANNED,
        outage__starts_at__gte=now - timedelta(days=1),
        outage__starts_at__lt=now + timedelta(days=days),
    ).order_by("outage__starts_at", "outage_id", "id")
    return _load(elements)


def outages_restored(
    *, now: datetime, hours: int = RESTORED_HOURS, limit: int = RESTORED_SHOWN
) -> list[PublicOutage]:
    """Outages restored in the last `hours`, latest first, with everything they covered."""
    ids = list(
        Outage.objects.filter(
            status=OutageStatus.RESTORED, restored_at__gte=now - timedelta(hours=hours)
        )
        .order_by("-restored_at", "-id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return []
    found = {o.id: o for o in load_outages(outage_ids=ids)}
    return [found[i] for i in ids if i in found]


def load_outages(*, outage_ids: Iterable[int], unrestored_only: bool = False) -> list[PublicOutage]:
    """The given outages with their places (only those still off, if asked) and counts."""
    ids = list(outage_ids)
    if not ids:
        return []
    elements = OutageScope.objects.filter(outage_id__in=ids)
    if unrestored_only:
        elements = elements.filter(restored_at__isnull=True)
    return _load(elements.order_by("outage_id", "id"))


def outages_by_discom(outages: Iterable[PublicOutage]) -> list[DiscomOutages]:
    """Discom > zone > outages, keeping the given order inside each zone."""
    discoms: dict[str, DiscomOutages] = {}
    zones: dict[str, ZoneOutages] = {}
    for outage in sorted(outages, key=lambda o: (o.discom.code, o.zone.code)):
        discom = discoms.get(outage.discom.code)
        if discom is None:
            discom = discoms[outage.discom.code] = DiscomOutages(outage.discom, [])
        zone = zones.get(outage.zone.code)
        if zone is None:
            zone = zones[outage.zone.code] = ZoneOutages(outage.zone, [])
            discom.zones.append(zone)
        zone.outages.append(outage)
    return list(discoms.values())


# --- "is my supply off?" ---------------------------------------------------------------------


@dataclass(frozen=True)
class SupplyOutage:
    """What an account-number look-up may tell: the outage, never the place or the person."""

    id: int
    status: str
    kind: str
    reason: Named
    starts_at: datetime
    etr: datetime

    @property
    def overdue(self) -> bool:
        return self.status == OutageStatus.ACTIVE and self.etr < clock.now()


def supply_outages(*, account_number: str, now: datetime) -> list[SupplyOutage]:
    """Active outages over the account's supply and planned ones within `PLANNED_DAYS`.

    One query of the same shape whether or not the account exists: an unknown number gets the
    same (empty) answer as a known one with no outage, in about the same time.
    """
    consumer = Consumer.objects.filter(account_number=account_number)
    covers = Exists(
        consumer.filter(
            Q(feeder_id=OuterRef("feeder_id"))
            | Q(dt_id=OuterRef("dt_id"))
            | Q(feeder__substation_id=OuterRef("substation_id"))
        )
    )
    live = Q(outage__status=OutageStatus.ACTIVE) | Q(
        outage__status=OutageStatus.SCHEDULED,
        outage__starts_at__lt=now + timedelta(days=PLANNED_DAYS),
    )
    elements = (
        OutageScope.objects.filter(live, covers, restored_at__isnull=True)
        .select_related("outage__reason")
        .order_by("outage__starts_at", "outage_id")
    )
    found: dict[int, SupplyOutage] = {}
    for e in elements:
        o = e.outage
        found.setdefault(
            o.pk,
            SupplyOutage(
                id=o.pk,
                status=o.status,
                kind=o.kind,
                reason=Named(o.reason.code, o.reason.text_en, o.reason.text_hi),
                starts_at=o.starts_at,
                etr=o.etr,
            ),
        )
    return list(found.values())


# --- zones -----------------------------------------------------------------------------------


def zone_named(*, code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(level=OrgLevel.ZONE, code=code).first()


def discom_named(*, code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(level=OrgLevel.DISCOM, code=code).first()


# --- the page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutagePage:
    now: datetime
    current: list[DiscomOutages]
    planned: list[PublicOutage]
    restored: list[PublicOutage]
    zones: list[OrgUnit]  # every zone, for its planned-work calendar

    @property
    def current_outages(self) -> int:
        return sum(discom.outages for discom in self.current)

    @property
    def current_consumers(self) -> int:
        return sum(discom.consumers for discom in self.current)


def outage_page(*, now: datetime) -> OutagePage:
    return OutagePage(
        now=now,
        current=outages_by_discom(outages_current()),
        planned=outages_planned(now=now),
        restored=outages_restored(now=now),
        zones=list(OrgUnit.objects.filter(level=OrgLevel.ZONE).order_by("path")),
    )


# --- press bulletins ---------------------------------------------------------------------------

PRESS_DAYS_LISTED = 14


def press_bulletins_recent(*, days: int = PRESS_DAYS_LISTED) -> list[PressBulletin]:
    """The latest bulletins, newest day first, discom by discom."""
    since = timezone.localtime(clock.now()).date() - timedelta(days=days)
    return list(
        PressBulletin.objects.filter(day__gte=since)
        .select_related("discom")
        .defer("figures", "text_hi", "text_en")
        .order_by("-day", "discom__path")
    )


def press_bulletin_get(*, discom: OrgUnit, day: date) -> PressBulletin | None:
    return PressBulletin.objects.filter(discom=discom, day=day).select_related("discom").first()
