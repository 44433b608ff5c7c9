"""Writes on consumers."""

from __future__ import annotations

from typing import TypedDict

from sampark.network.models import DistributionTransformer, Feeder, OrgUnit
from sampark.network.selectors import feeder_supply_area

from .models import Consumer


class ConsumerNetworkFields(TypedDict):
    dt: DistributionTransformer
    feeder: Feeder
    subdivision: OrgUnit
    area_type: str
    is_a_class: bool


def consumer_network_fields(*, dt: DistributionTransformer) -> ConsumerNetworkFields:
    """The consumer columns that follow from its DT: feeder, sub-division, area type, A-class.

    They are stored on the consumer row so that scoping and outage fan-out need one join; this
    is the one place that derives them (admin form, importers, demo generator).
    """
    area = feeder_supply_area(feeder=dt.feeder)
    return ConsumerNetworkFields(
        dt=dt,
        feeder=dt.feeder,
        subdivision=area.subdivision,
        area_type=area.area_type,
        is_a_class=area.a_class,
    )


def consumers_consent_set(*, mobile: str, channel: str, granted: bool) -> int:
    """STOP / START from a mobile: every consumer registered on it stops (or starts) getting
    broadcast messages on that channel ("sms" or "whatsapp"). Returns the consumers changed."""
    field = {"sms": "consent_sms", "whatsapp": "consent_whatsapp"}.get(channel)
    if field is None:
        return 0
    return (
        Consumer.objects.filter(mobile=mobile)
        .exclude(**{field: granted})
        .update(**{field: granted})
    )
