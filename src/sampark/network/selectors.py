"""Reads on the network."""

from __future__ import annotations

from dataclasses import dataclass

from sampark.core.models import AreaType

from .models import Feeder, OrgUnit


@dataclass(frozen=True)
class SupplyArea:
    subdivision: OrgUnit
    area_type: str
    a_class: bool  # urban supply inside an A-class city: the tighter service limits apply


def feeder_supply_area(*, feeder: Feeder) -> SupplyArea:
    """The one place that says which sub-division and service class a feeder's supply is in."""
    subdivision = feeder.substation.subdivision
    a_class = feeder.area_type == AreaType.URBAN and subdivision.is_a_class_city()
    return SupplyArea(subdivision=subdivision, area_type=feeder.area_type, a_class=a_class)
