"""Reads on staff."""

from __future__ import annotations

from django.db.models import QuerySet

from sampark.network.models import OrgUnit

from .models import Role, StaffUser


def engineers_covering(*, org_unit: OrgUnit) -> QuerySet[StaffUser]:
    """Active JEs and SDOs whose jurisdiction contains `org_unit` (who may be assigned there)."""
    return (
        StaffUser.objects.filter(
            is_active=True,
            role__in=(Role.JE, Role.SDO),
            jurisdiction__path__in=org_unit.ancestor_paths(include_self=True),
        )
        .select_related("jurisdiction")
        .order_by("role", "first_name", "username")
    )
