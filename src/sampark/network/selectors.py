"""Reads on the network."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from django.db.models import Q

from sampark.core.models import AreaType

from .models import Feeder, OrgLevel, OrgUnit


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


def a_class_subdivision_ids() -> set[int]:
    """Sub-divisions that are, or lie under, an org unit marked as an A-class city."""
    paths = list(OrgUnit.objects.filter(a_class_city=True).values_list("path", flat=True))
    if not paths:
        return set()
    under = functools.reduce(operator.or_, (Q(path__startswith=path) for path in paths))
    qs = OrgUnit.objects.filter(under, level=OrgLevel.SUBDIVISION)
    return set(qs.values_list("id", flat=True))
