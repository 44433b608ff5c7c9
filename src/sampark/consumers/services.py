"""Writes on consumers."""

from __future__ import annotations

from typing import TypedDict

from sampark.network.models import DistributionTransformer, Feeder, OrgUnit
from sampark.network.selectors import feeder_supply_area


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
