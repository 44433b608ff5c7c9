"""Reads on compensation claims: the register officers track to payment, scoped like complaints."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.network.models import OrgUnit

from .models import ClaimStatus, CompensationClaim

# Still owed: lodged (awaiting a decision) or approved (awaiting payment).
OWED_STATUSES = (ClaimStatus.LODGED, ClaimStatus.APPROVED)


@dataclass(frozen=True)
class RegisterFilters:
    status: str | None = None
    source: str | None = None
    org_code: str | None = None  # any org unit: everything under it
    overdue_only: bool = False  # pay-by date passed, not paid


def _payment_overdue() -> Q:
    return Q(status__in=OWED_STATUSES, pay_by__lt=clock.now())


def compensation_register(
    *, user: StaffUser, filters: RegisterFilters | None = None
) -> QuerySet[CompensationClaim]:
    """Claims on complaints in the user's jurisdiction, newest first, each annotated with
    `payment_overdue` (past the 60-day limit and not paid) so the page and CSV flag it."""
    f = filters or RegisterFilters()
    require(user, Action.CONSUMER_VIEW)
    qs = staff_scope(user).apply(
        CompensationClaim.objects.all(), org_path="complaint__org_unit__path"
    )
    if f.org_code:
        unit = OrgUnit.objects.filter(code=f.org_code).only("path").first()
        qs = qs.filter(complaint__org_unit__path__startswith=unit.path) if unit else qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.overdue_only:
        qs = qs.filter(_payment_overdue())
    return (
        qs.annotate(
            payment_overdue=Case(
                When(_payment_overdue(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("complaint__consumer", "complaint__subdivision", "complaint__org_unit")
        .order_by("-lodged_at", "-id")
    )
