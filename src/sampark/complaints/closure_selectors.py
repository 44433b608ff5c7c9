"""Reads on closure confirmations: how each engineer's resolutions fared with the consumers.

One confirmation request is one resolution (a resend reuses the row), so the figures count
resolutions: confirmed, closed unconfirmed (no answer in time; reported apart from confirmed),
rejected by the consumer, still waiting (pending or locked), and reopened by anyone. Resolutions
made by the system (supply restored after an outage) have no officer and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope

from .models import Closure, ClosureConfirmation, ComplaintEvent, ConfirmationStatus, Status

S = ConfirmationStatus


@dataclass(frozen=True)
class OfficerClosures:
    officer_id: int
    username: str
    name: str
    resolutions: int
    confirmed: int
    unconfirmed: int
    rejected: int
    pending: int  # still awaiting the consumer's word (pending or locked)
    reopened: int  # reopened after this resolution: by the consumer's "no" or by staff

    @property
    def reopen_rate(self) -> float | None:
        return round(self.reopened / self.resolutions, 4) if self.resolutions else None

    @property
    def rejected_rate(self) -> float | None:
        return round(self.rejected / self.resolutions, 4) if self.resolutions else None


def closure_figures_by_officer(
    *, user: StaffUser, since: datetime | None = None, until: datetime | None = None
) -> list[OfficerClosures]:
    """Per engineer who resolved complaints in the user's area (staff_scope), resolutions
    requested in [since, until): one grouped query, most resolutions first."""
    require(user, Action.CONSUMER_VIEW)
    rows = staff_scope(user).apply(
        ClosureConfirmation.objects.filter(resolved_by__isnull=False),
        org_path="complaint__org_unit__path",
    )
    if since is not None:
        rows = rows.filter(sent_at__gte=since)
    if until is not None:
        rows = rows.filter(sent_at__lt=until)
    # Closed is final, so a move out of resolved after this request reopened this resolution.
    reopen = ComplaintEvent.objects.filter(
        complaint_id=OuterRef("complaint_id"),
        from_status=Status.RESOLVED,
        to_status=Status.REOPENED,
        created_at__gte=OuterRef("sent_at"),
    )
    grouped = (
        rows.annotate(was_reopened=Exists(reopen))
        .values("resolved_by", "resolved_by__username", "resolved_by__first_name")
        .annotate(
            resolutions=Count("id"),
            confirmed=Count("id", filter=Q(status=S.CONFIRMED)),
            unconfirmed=Count(
                "id", filter=Q(status=S.EXPIRED, complaint__closure=Closure.UNCONFIRMED)
            ),
            rejected=Count("id", filter=Q(status=S.REJECTED)),
            pending=Count("id", filter=Q(status__in=(S.PENDING, S.LOCKED))),
            reopened=Count("id", filter=Q(was_reopened=True)),
        )
        .order_by("-resolutions", "resolved_by__username")
    )
    return [
        OfficerClosures(
            officer_id=row["resolved_by"],
            username=row["resolved_by__username"],
            name=row["resolved_by__first_name"] or row["resolved_by__username"],
            resolutions=row["resolutions"],
            confirmed=row["confirmed"],
            unconfirmed=row["unconfirmed"],
            rejected=row["rejected"],
            pending=row["pending"],
            reopened=row["reopened"],
        )
        for row in grouped
    ]
