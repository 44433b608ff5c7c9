"""Who should work a complaint: the JE of its substation, else a JE of its sub-division
(the least loaded), else the SDO."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from sampark.accounts.models import Role, StaffUser

from .models import OPEN_STATUSES, Complaint


def _least_loaded(candidates: QuerySet[StaffUser]) -> StaffUser | None:
    return (
        candidates.filter(is_active=True)
        .annotate(
            load=Count(
                "assigned_complaints", filter=Q(assigned_complaints__status__in=OPEN_STATUSES)
            )
        )
        .order_by("load", "id")
        .first()
    )


def complaint_route(*, complaint: Complaint) -> StaffUser | None:
    if complaint.subdivision_id is None:
        return None
    if complaint.feeder_id is not None:
        je = _least_loaded(
            StaffUser.objects.filter(role=Role.JE, substations__feeders=complaint.feeder_id)
        )
        if je:
            return je
    for role in (Role.JE, Role.SDO):
        officer = _least_loaded(
            StaffUser.objects.filter(role=role, jurisdiction_id=complaint.subdivision_id)
        )
        if officer:
            return officer
    return None
