"""Reads on the outage register. Staff reads go through `staff_scope`.

"Out" means: covered by an unrestored scope element (its substation, feeder or DT) of an
ACTIVE outage. A consumer is out while any such element covers them (overlapping outages).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.errors import NotFound
from sampark.network.models import DistributionTransformer, Feeder, OrgUnit, Substation

from .models import Outage, OutageEvent, OutageScope, OutageStatus

LIVE_STATUSES = (OutageStatus.SCHEDULED, OutageStatus.ACTIVE)


# --- coverage --------------------------------------------------------------------------------


def _live_scope() -> QuerySet[OutageScope]:
    return OutageScope.objects.filter(outage__status=OutageStatus.ACTIVE, restored_at__isnull=True)


def consumer_out_exists(*, prefix: str = "") -> Exists:
    """`Exists(...)` for querysets of rows that reach a consumer through `prefix`
    (`""` on Consumer, `"consumer__"` on Complaint): true while the consumer is out."""
    covers = (
        Q(feeder_id=OuterRef(f"{prefix}feeder_id"))
        | Q(dt_id=OuterRef(f"{prefix}dt_id"))
        | Q(substation_id=OuterRef(f"{prefix}feeder__substation_id"))
    )
    return Exists(_live_scope().filter(covers))


def outages_active_for_consumers(*, consumers: Sequence[Consumer]) -> dict[int, list[Outage]]:
    """Active outages over each consumer's supply (one query), latest ETR first."""
    if not consumers:
        return {}
    feeders = {c.feeder_id for c in consumers}
    if all(Consumer.feeder.is_cached(c) for c in consumers):
        substation_of = {c.feeder_id: c.feeder.substation_id for c in consumers}
    else:
        substation_of = dict(
            Feeder.objects.filter(id__in=feeders).values_list("id", "substation_id")
        )
    rows = (
        _live_scope()
        .filter(
            Q(feeder_id__in=feeders)
            | Q(dt_id__in={c.dt_id for c in consumers})
            | Q(substation_id__in=set(substation_of.values()))
        )
        .select_related("outage__reason")
        .order_by("-outage__etr", "outage_id")
    )
    found: dict[int, list[Outage]] = {}
    for element in rows:
        for c in consumers:
            if (
                element.feeder_id == c.feeder_id
                or element.dt_id == c.dt_id
                or element.substation_id == substation_of.get(c.feeder_id)
            ):
                outages = found.setdefault(c.pk, [])
                if all(o.pk != element.outage_id for o in outages):
                    outages.append(element.outage)
    return found


def outages_active_for_consumer(*, consumer: Consumer) -> list[Outage]:
    return outages_active_for_consumers(consumers=[consumer]).get(consumer.pk, [])


@dataclass(frozen=True)
class Reach:
    """Where a set of scope elements reaches consumers: `c.feeder_id IN .. OR c.dt_id IN ..`."""

    feeder_ids: tuple[int, ...]
    dt_ids: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return not self.feeder_ids and not self.dt_ids

    def where(self, alias: str = "c") -> tuple[str, list[Any]]:
        terms: list[str] = []
        params: list[Any] = []
        for column, ids in (("feeder_id", self.feeder_ids), ("dt_id", self.dt_ids)):
            if ids:
                terms.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(ids))})")
                params.extend(ids)
        return "(" + " OR ".join(terms or ["1 = 0"]) + ")", params


def scope_reach(*, elements: Iterable[OutageScope]) -> Reach:
    """Substations are expanded to their feeders here (a handful of rows), so the consumer
    query uses the feeder and DT indexes only."""
    feeders: set[int] = set()
    dts: set[int] = set()
    substations: set[int] = set()
    for element in elements:
        if element.substation_id is not None:
            substations.add(element.substation_id)
        elif element.feeder_id is not None:
            feeders.add(element.feeder_id)
        elif element.dt_id is not None:
            dts.add(element.dt_id)
    if substations:
        feeders |= set(
            Feeder.objects.filter(substation_id__in=substations).values_list("id", flat=True)
        )
    return Reach(feeder_ids=tuple(sorted(feeders)), dt_ids=tuple(sorted(dts)))


def reach_consumers(*, reach: Reach) -> QuerySet[Consumer]:
    """The consumers a reach covers (for subqueries; never iterated over)."""
    return Consumer.objects.filter(Q(feeder_id__in=reach.feeder_ids) | Q(dt_id__in=reach.dt_ids))


def scope_subdivision_ids(*, elements: Iterable[OutageScope]) -> set[int]:
    """Sub-divisions whose substations the elements lie on (one query)."""
    ids: dict[str, set[int]] = {"substation": set(), "feeder": set(), "dt": set()}
    for e in elements:
        for name in ids:
            value = getattr(e, f"{name}_id")
            if value is not None:
                ids[name].add(value)
    found = Substation.objects.filter(
        Q(id__in=ids["substation"])
        | Q(feeders__id__in=ids["feeder"])
        | Q(feeders__transformers__id__in=ids["dt"])
    )
    return set(found.values_list("subdivision_id", flat=True).distinct())


def outage_scope_current(*, outage: Outage) -> list[OutageScope]:
    """The elements still off (all of them once the outage is over: what it was about)."""
    elements = list(outage.scope.all())
    if outage.status in LIVE_STATUSES:
        return [e for e in elements if e.restored_at is None]
    return elements


def consumers_affected_count(*, outage: Outage) -> int:
    reach = scope_reach(elements=outage_scope_current(outage=outage))
    if reach.empty:
        return 0
    where, params = reach.where()
    table = connection.ops.quote_name(Consumer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} c WHERE {where}", params)
        return int(cursor.fetchone()[0])


# --- staff reads -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutageFilters:
    status: str | None = None
    kind: str | None = None
    org_code: str | None = None
    live_only: bool = False  # scheduled or active
    overdue_only: bool = False
    starts_from: datetime | None = None
    starts_to: datetime | None = None


def _scope_prefetch() -> Prefetch:
    return Prefetch(
        "scope",
        queryset=OutageScope.objects.select_related("substation", "feeder", "dt").order_by("id"),
    )


def outages_for_staff(*, user: StaffUser, filters: OutageFilters | None = None) -> QuerySet[Outage]:
    f = filters or OutageFilters()
    require(user, Action.OUTAGE_VIEW)
    qs = staff_scope(user).apply(Outage.objects.all(), org_path="org_unit__path")
    if f.org_code:
        unit = OrgUnit.objects.filter(code=f.org_code).only("path").first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.live_only:
        qs = qs.filter(status__in=LIVE_STATUSES)
    if f.overdue_only:
        qs = qs.filter(status=OutageStatus.ACTIVE, etr__lt=clock.now())
    if f.starts_from:
        qs = qs.filter(starts_at__gte=f.starts_from)
    if f.starts_to:
        qs = qs.filter(starts_at__lt=f.starts_to)
    return (
        qs.select_related("reason", "org_unit", "zone", "declared_by")
        .prefetch_related(_scope_prefetch())
        .order_by("status", "etr", "id")
    )


def outage_get_for_staff(*, user: StaffUser, outage_id: int) -> Outage:
    """The outage if it lies in the user's jurisdiction; NotFound otherwise (no leak)."""
    found = outages_for_staff(user=user).filter(pk=outage_id).first()
    if found is None:
        raise NotFound()
    return found


def outage_events(*, outage: Outage) -> QuerySet[OutageEvent]:
    return outage.events.select_related("actor").order_by("id")


def outage_is_overdue(outage: Outage) -> bool:
    return outage.is_overdue


# --- what a declarer may pick ----------------------------------------------------------------

OFFER_LIMIT = 40


def substations_offered(*, user: StaffUser) -> list[Substation]:
    """A JE's own substations, else those of the user's jurisdiction when few enough to list."""
    own = list(user.substations.select_related("subdivision").order_by("code"))
    if own:
        return own
    scoped = staff_scope(user).apply(
        Substation.objects.select_related("subdivision"), org_path="subdivision__path"
    )
    found = list(scoped.order_by("code")[: OFFER_LIMIT + 1])
    return found if len(found) <= OFFER_LIMIT else []


def feeders_offered(*, substations: Sequence[Substation]) -> list[Feeder]:
    return list(
        Feeder.objects.filter(substation__in=substations)
        .select_related("substation")
        .order_by("substation__code", "code")
    )


@dataclass(frozen=True)
class ClassifiedCodes:
    substation_codes: list[str]
    feeder_codes: list[str]
    dt_codes: list[str]
    unknown: list[str]


def network_codes_classify(*, codes: Iterable[str]) -> ClassifiedCodes:
    """Sort loosely typed codes into substations, feeders and DTs (three indexed look-ups)."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    substations = set(Substation.objects.filter(code__in=wanted).values_list("code", flat=True))
    feeders = set(Feeder.objects.filter(code__in=wanted).values_list("code", flat=True))
    dts = set(
        DistributionTransformer.objects.filter(code__in=wanted).values_list("code", flat=True)
    )
    return ClassifiedCodes(
        substation_codes=[c for c in wanted if c in substations],
        feeder_codes=[c for c in wanted if c in feeders and c not in substations],
        dt_codes=[c for c in wanted if c in dts and c not in substations | feeders],
        unknown=[c for c in wanted if c not in substations | feeders | dts],
    )
