"""Writes on groups and memberships. Every change writes its audit event in the same transaction.

Whoever joins (keyword, web form after the OTP, administrator), the same service does it, so the
rules are one: one active membership per group and mobile, mobile in E.164, choices checked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core import clock
from sampark.core.errors import Conflict, ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import OrgLevel, OrgUnit

from .models import (
    Delivery,
    JoinedVia,
    MemberChannel,
    MemberEventKind,
    StakeholderGroup,
    StakeholderMember,
    StakeholderMemberEvent,
    StakeholderRole,
)

CHOICE_MESSAGES = {
    "role": (StakeholderRole.values, _("Choose one of the listed roles.")),
    "language": (Language.values, _("Choose hi (Hindi) or en (English).")),
    "channel": (MemberChannel.values, _("Choose WhatsApp or SMS.")),
    "delivery": (Delivery.values, _("Choose every bulletin or one daily digest.")),
    "via": (JoinedVia.values, _("Enter a valid value.")),
}
NOT_A_ZONE = _("Choose a zone.")
ALREADY_LEFT = _("This member has already left the group.")


@dataclass(frozen=True)
class Joined:
    member: StakeholderMember
    created: bool  # False: the mobile was already in the group; its details were updated


def choices_check(**values: str) -> None:
    problems = {
        name: CHOICE_MESSAGES[name][1]
        for name, value in values.items()
        if value not in CHOICE_MESSAGES[name][0]
    }
    if problems:
        raise ValidationFailed(fields=problems)


def _event(
    *,
    member: StakeholderMember,
    kind: str,
    via: str,
    at: datetime,
    actor: StaffUser | None = None,
    note: str = "",
) -> StakeholderMemberEvent:
    return StakeholderMemberEvent.objects.create(
        member=member, kind=kind, via=via, actor=actor, note=note[:300], created_at=at
    )


def stakeholder_group_ensure(*, zone: OrgUnit) -> StakeholderGroup:
    """The zone's group, created the first time anyone needs it."""
    if zone.level != OrgLevel.ZONE:
        raise ValidationFailed(fields={"zone": NOT_A_ZONE})
    group, _created = StakeholderGroup.objects.get_or_create(
        zone=zone, defaults={"created_at": clock.now()}
    )
    return group


def stakeholder_member_join(
    *,
    group: StakeholderGroup,
    mobile: str,
    via: str,
    name: str = "",
    role: str = StakeholderRole.CITIZEN,
    language: str = Language.HINDI,
    channel: str = MemberChannel.SMS,
    delivery: str = Delivery.IMMEDIATE,
    actor: StaffUser | None = None,
) -> Joined:
    """Add a verified member, or update the details of the mobile's active membership."""
    mobile = mobile_to_e164(mobile)
    choices_check(role=role, language=language, channel=channel, delivery=delivery, via=via)
    name = name.strip()[:120]
    now = clock.now()
    with transaction.atomic():
        existing = _active(group=group, mobile=mobile)
        if existing is None:
            try:
                with transaction.atomic():  # a concurrent join of the same mobile loses here
                    member = StakeholderMember.objects.create(
                        group=group,
                        mobile=mobile,
                        name=name,
                        role=role,
                        language=language,
                        channel=channel,
                        delivery=delivery,
                        verified_at=now,
                        joined_via=via,
                        joined_at=now,
                        updated_at=now,
                        leave_token=secrets.token_urlsafe(24),
                    )
            except IntegrityError:
                existing = _active(group=group, mobile=mobile)
                if existing is None:
                    raise
            else:
                _event(member=member, kind=MemberEventKind.JOINED, via=via, at=now, actor=actor)
                return Joined(member=member, created=True)
        changes = {"role": role, "language": language, "channel": channel, "delivery": delivery}
        if name:
            changes["name"] = name
        _update(member=existing, changes=changes, via=via, actor=actor, at=now)
        return Joined(member=existing, created=False)


def _active(*, group: StakeholderGroup, mobile: str) -> StakeholderMember | None:
    return (
        StakeholderMember.objects.select_for_update()
        .filter(group=group, mobile=mobile, active=True)
        .first()
    )


def _update(
    *,
    member: StakeholderMember,
    changes: dict[str, str],
    via: str,
    actor: StaffUser | None,
    at: datetime,
) -> list[str]:
    changed = [field for field, value in changes.items() if getattr(member, field) != value]
    if not changed:
        return []
    note = ", ".join(f"{field}: {getattr(member, field)} > {changes[field]}" for field in changed)
    for field in changed:
        setattr(member, field, changes[field])
    member.updated_at = at
    member.save(update_fields=[*changed, "updated_at"])
    _event(member=member, kind=MemberEventKind.UPDATED, via=via, at=at, actor=actor, note=note)
    return changed


def stakeholder_member_update(
    *,
    member: StakeholderMember,
    via: str,
    actor: StaffUser | None = None,
    name: str | None = None,
    role: str | None = None,
    language: str | None = None,
    channel: str | None = None,
    delivery: str | None = None,
) -> list[str]:
    """Change a membership's details; returns the fields that changed."""
    given = {"role": role, "language": language, "channel": channel, "delivery": delivery}
    changes = {field: value for field, value in given.items() if value is not None}
    choices_check(via=via, **changes)
    if name is not None:
        changes["name"] = name.strip()[:120]
    with transaction.atomic():
        locked = StakeholderMember.objects.select_for_update().get(pk=member.pk)
        if not locked.active:
            raise Conflict(ALREADY_LEFT)
        changed = _update(member=locked, changes=changes, via=via, actor=actor, at=clock.now())
    for field in [*changed, "updated_at"]:
        setattr(member, field, getattr(locked, field))
    return changed


def stakeholder_member_leave(
    *, member: StakeholderMember, via: str, actor: StaffUser | None = None, note: str = ""
) -> bool:
    """End a membership (the row stays, as history). False when it had already ended."""
    choices_check(via=via)
    now = clock.now()
    with transaction.atomic():
        locked = StakeholderMember.objects.select_for_update().get(pk=member.pk)
        if not locked.active:
            return False
        locked.active, locked.left_at, locked.updated_at = False, now, now
        locked.save(update_fields=["active", "left_at", "updated_at"])
        _event(member=locked, kind=MemberEventKind.LEFT, via=via, at=now, actor=actor, note=note)
    member.active, member.left_at, member.updated_at = False, now, now
    return True
