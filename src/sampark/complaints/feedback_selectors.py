"""Consumers' ratings rolled up per 1912 agent, per JE and per division, within the viewer's
jurisdiction: who gets thanked and who gets complaints about how complaints were handled."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Left
from django.utils.translation import get_language

from sampark.accounts.models import StaffUser
from sampark.accounts.scoping import staff_scope
from sampark.network.models import LEVEL_DEPTH, OrgLevel, OrgUnit

from .models import Channel, ComplaintEvent, ComplaintFeedback, EventKind


class RollupBy(StrEnum):
    AGENT = "agent"  # the 1912 agent who registered the complaint
    JE = "je"  # the engineer it was assigned to
    DIVISION = "division"


@dataclass(frozen=True)
class RatingRow:
    key: str  # user id or division path
    label: str
    ratings: int
    average: float
    low: int  # ratings of 1 or 2


def _scoped(user: StaffUser) -> QuerySet[ComplaintFeedback]:
    rows = ComplaintFeedback.objects.all()
    return staff_scope(user).apply(rows, org_path="complaint__org_unit__path")


def ratings_rollup(*, user: StaffUser, by: RollupBy) -> list[RatingRow]:
    """Average rating, count and low ratings per agent, JE or division; best covered first."""
    rows = _scoped(user)
    if by is RollupBy.AGENT:
        registrar = ComplaintEvent.objects.filter(
            complaint=OuterRef("complaint"), kind=EventKind.REGISTERED, actor__isnull=False
        ).values("actor")[:1]
        rows = rows.filter(complaint__channel=Channel.AGENT).annotate(key=Subquery(registrar))
    elif by is RollupBy.JE:
        rows = rows.annotate(key=F("complaint__assigned_to"))
    else:
        width = OrgUnit.steplen * LEVEL_DEPTH[OrgLevel.DIVISION]
        rows = rows.filter(complaint__subdivision__isnull=False).annotate(
            key=Left("complaint__org_unit__path", width)
        )
    grouped = (
        rows.exclude(key__isnull=True)
        .values("key")
        .annotate(
            ratings=Count("id"), average=Avg("rating"), low=Count("id", filter=Q(rating__lte=2))
        )
        .order_by("-ratings", "key")
    )
    found = list(grouped)
    labels = _labels(by, [row["key"] for row in found])
    return [
        RatingRow(
            key=str(row["key"]),
            label=labels.get(str(row["key"]), str(row["key"])),
            ratings=row["ratings"],
            average=round(float(row["average"]), 2),
            low=row["low"],
        )
        for row in found
    ]


def _labels(by: RollupBy, keys: list[object]) -> dict[str, str]:
    if by is RollupBy.DIVISION:
        units = OrgUnit.objects.filter(path__in=[str(k) for k in keys])
        language = get_language() or "hi"
        return {unit.path: unit.name_in(language) for unit in units}
    users = StaffUser.objects.filter(pk__in=[k for k in keys if k is not None])
    return {str(u.pk): u.get_full_name() or u.username for u in users}
