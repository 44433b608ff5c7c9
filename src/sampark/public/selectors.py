"""Reads for stakeholder groups: zones, members, who receives a zone's bulletins, bulletins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from sampark.accounts.models import Role, StaffUser
from sampark.core import clock
from sampark.core.errors import NotFound, ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import LEVEL_DEPTH, OrgLevel, OrgUnit

from .models import (
    Bulletin,
    BulletinDelivery,
    Delivery,
    StakeholderGroup,
    StakeholderMember,
)
from .normalize import text_key

# Field staff who are members of their zone's group without subscribing.
AUTOMATIC_ROLES = (Role.JE, Role.SDO, Role.XEN)


def zones_all() -> QuerySet[OrgUnit]:
    """Every zone, discom by discom (tree order)."""
    return OrgUnit.objects.filter(level=OrgLevel.ZONE).order_by("path")


def zones_by_discom() -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """Discoms in tree order, each with its zones (two queries)."""
    zones = list(zones_all())
    discom_paths = {zone.path[: zone.steplen * LEVEL_DEPTH[OrgLevel.DISCOM]] for zone in zones}
    discoms = OrgUnit.objects.filter(path__in=discom_paths).order_by("path")
    return [(d, [z for z in zones if z.path.startswith(d.path)]) for d in discoms]


def zone_get(*, code: str) -> OrgUnit:
    try:
        return OrgUnit.objects.get(level=OrgLevel.ZONE, code=code)
    except OrgUnit.DoesNotExist:
        raise NotFound() from None


def zone_find(*, text: str) -> OrgUnit | None:
    """The zone a person means by `text`: its code ("Z-LKO", "lko"), English or Hindi name."""
    wanted = text_key(text)
    if not wanted:
        return None
    for zone in zones_all():
        code = zone.code.split("-", 1)[1] if zone.code.upper().startswith("Z-") else zone.code
        keys = {text_key(zone.code), text_key(code), text_key(zone.name_en)}
        if zone.name_hi:
            keys.add(text_key(zone.name_hi))
        if wanted in keys:
            return zone
    return None


def zone_example() -> str:
    """A real zone name to show in help texts."""
    zone = zones_all().first()
    return zone.name_en if zone else "LUCKNOW CENTRAL"


def group_for_zone(*, zone: OrgUnit) -> StakeholderGroup | None:
    return StakeholderGroup.objects.filter(zone=zone).first()


def memberships_active(*, mobile: str) -> QuerySet[StakeholderMember]:
    return (
        StakeholderMember.objects.filter(mobile=mobile, active=True)
        .select_related("group__zone")
        .order_by("id")
    )


def member_by_leave_token(*, token: str) -> StakeholderMember:
    member = (
        StakeholderMember.objects.filter(leave_token=token).select_related("group__zone").first()
    )
    if member is None or not token:
        raise NotFound()
    return member


def staff_automatic(*, zone: OrgUnit) -> QuerySet[StaffUser]:
    """Active JEs, SDOs and XENs whose jurisdiction lies inside the zone and who have a phone."""
    return (
        StaffUser.objects.filter(
            is_active=True,
            role__in=AUTOMATIC_ROLES,
            jurisdiction__path__startswith=zone.path,
        )
        .exclude(phone="")
        .order_by("id")
    )


@dataclass(frozen=True)
class Recipient:
    recipient: str  # E.164 mobile
    channel: str
    language: str
    delivery: str
    member_id: int | None = None
    staff_id: int | None = None


def group_recipients(*, group: StakeholderGroup) -> list[Recipient]:
    """Who receives the group's bulletins: its active verified members and, computed now, the
    zone's JE/SDO/XEN. One entry per mobile: a member's own choices (language, channel,
    delivery) win over the staff defaults (Hindi, SMS unless configured, immediate)."""
    found: dict[str, Recipient] = {}
    for staff in staff_automatic(zone=group.zone):
        try:
            mobile = mobile_to_e164(staff.phone)
        except ValidationFailed:
            continue  # a landline or typo on the staff record: nothing to send to
        found[mobile] = Recipient(
            recipient=mobile,
            channel=settings.SAMPARK_STAKEHOLDER_STAFF_CHANNEL,
            language=Language.HINDI,
            delivery=Delivery.IMMEDIATE,
            staff_id=staff.pk,
        )
    members = group.members.filter(active=True, verified_at__isnull=False).order_by("id")
    for member in members:
        found[member.mobile] = Recipient(
            recipient=member.mobile,
            channel=member.channel,
            language=member.language,
            delivery=member.delivery,
            member_id=member.pk,
            staff_id=found[member.mobile].staff_id if member.mobile in found else None,
        )
    return list(found.values())


def bulletins_sent_since(*, recipients: Iterable[str], since: datetime) -> dict[str, int]:
    """How many bulletins each recipient was sent (not held) since `since`."""
    rows = (
        BulletinDelivery.objects.filter(
            recipient__in=list(recipients), created_at__gte=since, held=False
        )
        .values("recipient")
        .annotate(n=Count("id"))
    )
    return {row["recipient"]: row["n"] for row in rows}


def local_day_start(at: datetime | None = None) -> datetime:
    local = timezone.localtime(at or clock.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def bulletins_today(*, zone: OrgUnit) -> QuerySet[Bulletin]:
    """The zone's bulletins since local midnight, newest first."""
    start = local_day_start()
    return Bulletin.objects.filter(
        group__zone=zone, created_at__gte=start, created_at__lt=start + timedelta(days=1)
    ).order_by("-created_at", "-id")
