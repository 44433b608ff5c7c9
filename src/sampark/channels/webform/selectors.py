"""Reads of the website's pages: a complaint tracked by its number and the complainant's mobile,
with nothing of anyone else's (no names, no staff, no notes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sampark.complaints.models import Complaint, ComplaintEvent, Status
from sampark.complaints.numbering import complaint_number_normalize
from sampark.core.errors import NotFound
from sampark.core.phones import mobile_to_e164

NO_MATCH = _("No complaint matches this number and mobile. Check both and try again.")


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    at: datetime


@dataclass(frozen=True)
class Tracked:
    complaint: Complaint
    steps: list[Step]


def _steps(complaint: Complaint) -> list[Step]:
    events = ComplaintEvent.objects.filter(complaint=complaint).order_by("created_at", "id")
    return [
        Step(status=e.to_status, label=str(Status(e.to_status).label), at=e.created_at)
        for e in events.only("to_status", "from_status", "created_at")
        if e.to_status and e.to_status != e.from_status  # status changes only
    ]


def complaint_tracked(*, number: str, mobile: str) -> Tracked:
    """The complaint with this number whose complainant or consumer has this mobile. Any other
    pair, an unknown number included, is the same NotFound: the page cannot be used to learn
    which numbers exist or whose they are."""
    e164 = mobile_to_e164(mobile)
    found = (
        Complaint.objects.select_related("outage__reason")
        .filter(number=complaint_number_normalize(number))
        .filter(Q(contact_mobile=e164) | Q(consumer__mobile=e164))
        .first()
    )
    if found is None:
        raise NotFound(NO_MATCH)
    return Tracked(complaint=found, steps=_steps(found))


def complaint_receipt(*, number: str) -> Complaint:
    """The complaint just registered by this browser (its number kept in the session)."""
    found = Complaint.objects.select_related("outage__reason").filter(number=number).first()
    if found is None:
        raise NotFound()
    return found
