"""Reads the IVR needs: a caller's own complaints, and complaints by the digits keyed in."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from sampark.complaints.models import OPEN_STATUSES, Complaint, Status
from sampark.complaints.numbering import STATEWIDE_PREFIX
from sampark.core import clock
from sampark.network.models import OrgLevel, OrgUnit

RECENTLY_CLOSED_DAYS = 7  # closed complaints still offered (to rate, or to claim on)


def complaints_of_caller(
    *, consumer_id: int | None, verified: bool, mobile: str | None, limit: int = 5
) -> list[Complaint]:
    """The caller's open complaints and those closed in the last week, latest first: their
    verified connection's, or those registered from the number they call from."""
    mine = Q()
    if verified and consumer_id is not None:
        mine |= Q(consumer_id=consumer_id)
    if mobile:
        mine |= Q(contact_mobile=mobile)
    if not mine:
        return []
    since = clock.now() - timedelta(days=RECENTLY_CLOSED_DAYS)
    live = Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, closed_at__gte=since)
    rows = Complaint.objects.filter(mine).filter(live).order_by("-registered_at", "-id")
    return list(rows[:limit])


def complaint_prefixes() -> list[str]:
    """Every prefix a complaint number can have: each discom's, and the statewide one."""
    discoms = OrgUnit.objects.filter(level=OrgLevel.DISCOM).values_list("complaint_prefix", "code")
    found = {prefix or code[:2] for prefix, code in discoms}
    return sorted(found | {STATEWIDE_PREFIX})


def complaints_by_keyed_digits(*, digits: str) -> list[Complaint]:
    """Complaints whose number has these digits: the 6-digit date and the serial that a caller
    keys in without the letters ('26112842' -> MV-261128-00042, PV-261128-00042, ...). One
    indexed look-up of a handful of numbers, never a scan."""
    day, serial = digits[:6], digits[6:]
    if len(day) != 6 or not day.isdigit() or not serial.isdigit():
        return []
    numbers = [f"{prefix}-{day}-{int(serial):05d}" for prefix in complaint_prefixes()]
    return list(Complaint.objects.filter(number__in=numbers).order_by("number"))
