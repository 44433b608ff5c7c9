"""The scene of the public outage page tests, on the small network (`net`):

- Lucknow (MVVNL, Z-LKO): SS-AMN at Lucknow's coordinates; F-AMN-1 feeds consumer1 plus three
  more consumers with names, addresses and mobiles that must never show; an ACTIVE outage on
  F-AMN-1 (ETR in 2 h); planned work on F-BKT-1 in 3 days and more in 40 days;
- Meerut (PVVNL, Z-MRT): an outage on F-MRT-1 restored 2 hours ago and one restored 30 hours
  ago. SS-BKT and SS-MRT have no coordinates.
Outages are written straight into the outage models, as the other public tests do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.network.models import OrgUnit
from sampark.outages.models import Outage, OutageKind, OutageReason, OutageStatus
from sampark.testing.factories import ConsumerFactory

from .conftest import outage_make

LUCKNOW = (Decimal("26.846700"), Decimal("80.946200"))
SECRET_NAMES = ("Ramesh Chandra Secretname", "Sunita Devi Hiddenname", "Mohd Arif Privatename")
SECRET_ADDRESS = "House 17, Gali Number 4, Aminabad"
REASON_HI = "ट्रांसफार्मर फुंक गया"
REASON_EN = "Transformer burnt"
MAINTENANCE_HI = "अनुरक्षण कार्य"
MAINTENANCE_EN = "Maintenance work"


@dataclass
class Scene:
    active: Outage
    planned: Outage
    planned_far: Outage
    restored: Outage
    restored_old: Outage
    neighbours: list[Consumer]
    zone_meerut: OrgUnit


def maintenance() -> OutageReason:
    found, _ = OutageReason.objects.get_or_create(
        code="public-test-maintenance",
        defaults={"text_en": MAINTENANCE_EN, "text_hi": MAINTENANCE_HI},
    )
    return found


def scene_build(net) -> Scene:
    net.ss1.latitude, net.ss1.longitude = LUCKNOW
    net.ss1.name_en, net.ss1.name_hi = "Aminabad", "अमीनाबाद"
    net.ss1.save()
    net.feeder1.name_en, net.feeder1.name_hi = "Aminabad Town", "अमीनाबाद टाउन"
    net.feeder1.save()
    net.zone.name_hi = "लखनऊ मध्य"
    net.zone.save()
    net.mvvnl.name_hi = "मध्यांचल"
    net.mvvnl.save()
    neighbours = [
        ConsumerFactory(dt=net.dt1, name=name, address=SECRET_ADDRESS) for name in SECRET_NAMES
    ]
    zone_meerut = OrgUnit.objects.get(code="Z-MRT")
    active = outage_make(subdivision=net.sd1, zone=net.zone, feeders=[net.feeder1])
    planned = outage_make(
        subdivision=net.sd2,
        zone=net.zone,
        feeders=[net.feeder2_rural],
        kind=OutageKind.PLANNED,
        status=OutageStatus.SCHEDULED,
        started=-timedelta(days=3),
        etr_in=timedelta(days=3, hours=4),
    )
    planned_far = outage_make(
        subdivision=net.sd2,
        zone=net.zone,
        feeders=[net.feeder2_rural],
        kind=OutageKind.PLANNED,
        status=OutageStatus.SCHEDULED,
        started=-timedelta(days=40),
        etr_in=timedelta(days=40, hours=4),
    )
    Outage.objects.filter(pk__in=[planned.pk, planned_far.pk]).update(reason=maintenance())
    restored = _restored(net, zone_meerut, hours_ago=2)
    restored_old = _restored(net, zone_meerut, hours_ago=30)
    for outage in (planned, planned_far, restored, restored_old):
        outage.refresh_from_db()
    return Scene(active, planned, planned_far, restored, restored_old, neighbours, zone_meerut)


def _restored(net, zone: OrgUnit, *, hours_ago: int) -> Outage:
    outage = outage_make(
        subdivision=net.sd_p,
        zone=zone,
        feeders=[net.feeder_p],
        started=timedelta(hours=hours_ago + 3),
        etr_in=-timedelta(hours=hours_ago),
    )
    restored_at = clock.now() - timedelta(hours=hours_ago)
    Outage.objects.filter(pk=outage.pk).update(
        status=OutageStatus.RESTORED, restored_at=restored_at
    )
    outage.scope.update(restored_at=restored_at)
    return outage
