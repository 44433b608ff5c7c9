"""Scene setting for the stakeholder-group tests: outages written straight into the outage
models (their services are not needed to test the feed), staff with phones, members."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache

from sampark.accounts.models import Role
from sampark.core import clock
from sampark.network.models import Feeder, OrgUnit
from sampark.outages.models import (
    Outage,
    OutageEvent,
    OutageEventKind,
    OutageKind,
    OutageReason,
    OutageScope,
    OutageSource,
    OutageStatus,
)
from sampark.public.members import stakeholder_group_ensure, stakeholder_member_join
from sampark.public.models import JoinedVia, StakeholderMember
from sampark.testing.factories import StaffFactory


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    cache.clear()


def reason() -> OutageReason:
    found, _ = OutageReason.objects.get_or_create(
        code="public-test-dt",
        defaults={"text_en": "Transformer burnt", "text_hi": "ट्रांसफार्मर फुंक गया"},
    )
    return found


def outage_make(
    *,
    subdivision: OrgUnit,
    zone: OrgUnit,
    feeders: list[Feeder],
    kind: str = OutageKind.UNPLANNED,
    status: str = OutageStatus.ACTIVE,
    started: timedelta = timedelta(minutes=30),
    etr_in: timedelta = timedelta(hours=2),
) -> Outage:
    now = clock.now()
    outage = Outage.objects.create(
        kind=kind,
        status=status,
        reason=reason(),
        source=OutageSource.FIELD,
        org_unit=subdivision,
        zone=zone,
        starts_at=now - started,
        etr=now + etr_in,
        created_at=now,
    )
    OutageScope.objects.bulk_create([OutageScope(outage=outage, feeder=f) for f in feeders])
    return outage


def event_add(
    outage: Outage,
    kind: str = OutageEventKind.DECLARED,
    *,
    etr: datetime | None = None,
    scope_ids: list[int] | None = None,
    at: datetime | None = None,
) -> OutageEvent:
    return OutageEvent.objects.create(
        outage=outage,
        kind=kind,
        etr=etr or outage.etr,
        scope_ids=scope_ids or [],
        created_at=at or clock.now(),
    )


def member_add(zone: OrgUnit, mobile: str, **details) -> StakeholderMember:
    group = stakeholder_group_ensure(zone=zone)
    via = details.pop("via", JoinedVia.ADMIN)
    return stakeholder_member_join(group=group, mobile=mobile, via=via, **details).member


@pytest.fixture
def lko_staff(net, staff):
    """Z-LKO's automatic members: je1 and sdo1 with phones, an XEN of the division; je2 has no
    phone (so is not sent anything); je_p (Meerut) has one but is in another zone."""
    staff["je"].phone = "9839100001"
    staff["je"].save(update_fields=["phone"])
    staff["sdo"].phone = "+91 98391 00002"
    staff["sdo"].save(update_fields=["phone"])
    staff["je_p"].phone = "9839100009"
    staff["je_p"].save(update_fields=["phone"])
    xen = StaffFactory(
        username="xen1", role=Role.XEN, jurisdiction=net.division, phone="9839100003"
    )
    StaffFactory(username="agent2", role=Role.AGENT, jurisdiction=net.zone, phone="9839100004")
    return {**staff, "xen": xen}


LKO_STAFF_MOBILES = {"+919839100001", "+919839100002", "+919839100003"}


@pytest.fixture
def lko_outage(net):
    return outage_make(subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1])
