"""The unit and period a review page or pack looks at: permission, jurisdiction, children."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core.errors import NotFound, ValidationFailed
from sampark.network.models import OrgLevel, OrgUnit

MAX_DAYS = 366
JE_LEVEL = "je"


@dataclass(frozen=True)
class View:
    """The unit being looked at, its children and the answerable units (leaves) below each."""

    unit: OrgUnit
    children: tuple[OrgUnit, ...]
    leaf_child: Mapping[int, int]  # answerable unit id -> child id (for the unit itself: itself)
    start: date
    end: date

    @property
    def is_leaf(self) -> bool:
        return self.unit.level == OrgLevel.SUBDIVISION

    @property
    def leaf_ids(self) -> list[int]:
        return list(self.leaf_child)

    @property
    def child_level(self) -> str:
        return self.children[0].level if self.children else JE_LEVEL


def review_view(*, user: StaffUser, org_unit: OrgUnit | None, start: date, end: date) -> View:
    """Permission, jurisdiction and period checks; the unit defaults to the user's own."""
    require(user, Action.REVIEW_VIEW)
    scope = staff_scope(user)
    if org_unit is None:
        org_unit = user.jurisdiction or OrgUnit.get_first_root_node()
        if org_unit is None:
            raise NotFound()
    if not scope.covers(org_unit.path):
        raise NotFound()
    if end < start:
        raise ValidationFailed(fields={"to": _("The end of the period is before its start.")})
    if (end - start).days >= MAX_DAYS:
        raise ValidationFailed(fields={"from": _("Choose a period of at most a year.")})
    below = OrgUnit.objects.filter(path__startswith=org_unit.path, depth__gt=org_unit.depth)
    children = sorted((u for u in below if u.depth == org_unit.depth + 1), key=lambda u: u.name_en)
    by_path = {c.path: c.id for c in children}
    step = OrgUnit.steplen
    leaf_child: dict[int, int] = {org_unit.id: org_unit.id}  # complaints answerable right here
    for u in below:
        if u.level == OrgLevel.SUBDIVISION:
            leaf_child[u.id] = by_path[u.path[: len(org_unit.path) + step]]
    return View(org_unit, tuple(children), leaf_child, start, end)


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) local, as aware datetimes."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=zone),
    )
