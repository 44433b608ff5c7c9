"""Reads on complaints. Staff reads always go through `staff_scope`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.core.errors import NotFound
from sampark.network.models import OrgUnit

from .models import OPEN_STATUSES, SLA_RUNNING_STATUSES, Complaint, ComplaintEvent
from .numbering import complaint_number_normalize


@dataclass(frozen=True)
class ComplaintFilters:
    status: str | None = None
    category: str | None = None
    channel: str | None = None
    org_code: str | None = None  # any org unit: everything under it
    assigned_to_me: bool = False
    assignee_id: int | None = None
    open_only: bool = False
    overdue_only: bool = False
    registered_from: datetime | None = None
    registered_to: datetime | None = None


def complaints_for_staff(
    *, user: StaffUser, filters: ComplaintFilters | None = None
) -> QuerySet[Complaint]:
    f = filters or ComplaintFilters()
    require(user, Action.CONSUMER_VIEW)
    qs = staff_scope(user).apply(Complaint.objects.all(), org_path="org_unit__path")
    if f.org_code:
        unit = OrgUnit.objects.filter(code=f.org_code).only("path").first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.assigned_to_me:
        qs = qs.filter(assigned_to=user)
    if f.assignee_id is not None:
        qs = qs.filter(assigned_to_id=f.assignee_id or None)  # 0: not assigned
    if f.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if f.overdue_only:
        qs = qs.filter(status__in=SLA_RUNNING_STATUSES, due_at__lt=clock.now())
    if f.registered_from:
        qs = qs.filter(registered_at__gte=f.registered_from)
    if f.registered_to:
        qs = qs.filter(registered_at__lt=f.registered_to)
    return qs.select_related("consumer", "assigned_to", "subdivision", "org_unit").order_by(
        "due_at", "id"
    )


def complaint_get_for_staff(*, user: StaffUser, number: str) -> Complaint:
    """The complaint if it lies in the user's jurisdiction; NotFound otherwise (no leak)."""
    found = (
        complaints_for_staff(user=user)
        .filter(number=complaint_number_normalize(number))
        .select_related("feeder", "dt")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def complaint_get_public(*, number: str) -> Complaint:
    found = (
        Complaint.objects.select_related("assigned_to", "org_unit", "outage__reason")
        .filter(number=complaint_number_normalize(number))
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def complaint_events(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.select_related("actor", "assignee").order_by("created_at", "id")
