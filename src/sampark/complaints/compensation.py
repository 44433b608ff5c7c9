"""Compensation claims under the UPERC Standards of Performance.

A claim can be lodged for a complaint that passed its time limit in a category the SLA policy
compensates (a per-day amount above zero). One claim per complaint: lodging again returns it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sampark.core import clock
from sampark.core.errors import Conflict

from .models import CompensationClaim, Complaint, EventKind, SlaPolicy
from .services import complaint_event_add, complaint_lock


@dataclass(frozen=True)
class Lodged:
    claim: CompensationClaim
    created: bool


def complaint_compensable(*, complaint: Complaint) -> bool:
    """Whether the complaint's category and area carry compensation per day of delay."""
    return SlaPolicy.objects.filter(
        category=complaint.category,
        area_type=complaint.area_type,
        a_class_city__in=[complaint.is_a_class, False],
        compensation_per_day__gt=0,
    ).exists()


def compensation_claim_lodge(*, complaint: Complaint, channel: str) -> Lodged:
    """Lodge the consumer's claim on a late complaint (or return the one already lodged)."""
    with transaction.atomic():
        locked = complaint_lock(complaint_id=complaint.pk)
        existing = CompensationClaim.objects.filter(complaint=locked).first()
        if existing is not None:
            return Lodged(claim=existing, created=False)
        if locked.sla_breached_at is None:
            raise Conflict(
                _("Complaint %(number)s has not passed its time limit, so no compensation is due.")
                % {"number": locked.number},
                code="not_breached",
            )
        if not complaint_compensable(complaint=locked):
            raise Conflict(
                _("Complaints of this kind do not carry compensation under the regulations."),
                code="not_compensable",
            )
        now = clock.now()
        try:
            with transaction.atomic():
                claim = CompensationClaim.objects.create(
                    number=f"CC-{locked.number}", complaint=locked, channel=channel, lodged_at=now
                )
        except IntegrityError:
            return Lodged(claim=CompensationClaim.objects.get(complaint=locked), created=False)
        complaint_event_add(
            complaint=locked,
            kind=EventKind.COMPENSATION_CLAIMED,
            at=now,
            actor=None,
            actor_label=f"consumer via {channel}",
            note=claim.number,
        )
    return Lodged(claim=claim, created=True)
