"""Service-standard time limits: read from `SlaPolicy` rows, applied at registration."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import SlaPolicy

log = logging.getLogger(__name__)

# Used only if an administrator deleted the policy rows for a cell; logged loudly.
FALLBACK_HOURS = 72


@dataclass(frozen=True)
class SlaTerms:
    hours: int
    due_at: datetime


def sla_policy_for(*, category: str, area_type: str, a_class: bool) -> SlaPolicy | None:
    """The most specific policy wins: the A-class row if the city is A-class, else the plain one."""
    rows = SlaPolicy.objects.filter(
        category=category, area_type=area_type, a_class_city__in=[a_class, False]
    ).order_by("-a_class_city")
    return rows.first()


def sla_terms(*, category: str, area_type: str, a_class: bool, start: datetime) -> SlaTerms:
    policy = sla_policy_for(category=category, area_type=area_type, a_class=a_class)
    if policy is None:
        log.error("no SLA policy for %s/%s; using %s h", category, area_type, FALLBACK_HOURS)
        hours = FALLBACK_HOURS
    else:
        hours = policy.hours
    return SlaTerms(hours=hours, due_at=start + timedelta(hours=hours))
