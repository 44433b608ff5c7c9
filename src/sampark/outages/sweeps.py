"""Periodic sweeps over the register (run from the scheduler through django.tasks):

- `outages_start_due`: scheduled outages whose start has come become ACTIVE ("declared").
- `outages_remind_planned`: planned work is recalled to consumers shortly before it starts.
- `outages_mark_overdue`: an ETR passed without restoration flags the outage overdue, tells
  consumers the time is under review and alerts the SDO(s).

Each outage is handled in its own short transaction under its row lock, so a sweep never
stalls the staff pages and a change made meanwhile is seen, not overwritten.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from sampark.core import clock

from .events import outage_event_write
from .models import Outage, OutageEventKind, OutageKind, OutageStatus
from .services import outage_lock

SWEEP_BATCH = 500


def outages_start_due(*, now: datetime | None = None) -> int:
    now = now or clock.now()
    due = Outage.objects.filter(status=OutageStatus.SCHEDULED, starts_at__lte=now)
    started = 0
    for pk in list(due.order_by("starts_at").values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            outage = outage_lock(outage_id=pk)
            if outage.status != OutageStatus.SCHEDULED or outage.starts_at > now:
                continue
            outage.status = OutageStatus.ACTIVE
            outage.save(update_fields=["status", "updated_at"])
            outage_event_write(
                outage=outage,
                kind=OutageEventKind.DECLARED,
                at=now,
                actor=None,
                etr=outage.etr,
                scope_ids=outage.scope.values_list("id", flat=True),
                note="scheduled start",
            )
            started += 1
    return started


def outages_remind_planned(*, now: datetime | None = None) -> int:
    """Remind once, `SAMPARK_PLANNED_REMINDER_MINUTES` before the start; work announced
    within that window already told consumers enough."""
    now = now or clock.now()
    window = timedelta(minutes=settings.SAMPARK_PLANNED_REMINDER_MINUTES)
    due = Outage.objects.filter(
        status=OutageStatus.SCHEDULED,
        kind=OutageKind.PLANNED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + window,
        created_at__lt=F("starts_at") - window,
    )
    reminded = 0
    for pk in list(due.order_by("starts_at").values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            outage = outage_lock(outage_id=pk)
            if outage.status != OutageStatus.SCHEDULED or outage.reminded_at is not None:
                continue
            outage.reminded_at = now
            outage.save(update_fields=["reminded_at", "updated_at"])
            outage_event_write(
                outage=outage, kind=OutageEventKind.REMINDED, at=now, actor=None, etr=outage.etr
            )
            reminded += 1
    return reminded


def outages_mark_overdue(*, now: datetime | None = None) -> int:
    now = now or clock.now()
    due = Outage.objects.filter(status=OutageStatus.ACTIVE, etr__lt=now, overdue_since__isnull=True)
    marked = 0
    for pk in list(due.order_by("etr").values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            outage = outage_lock(outage_id=pk)
            if (
                outage.status != OutageStatus.ACTIVE
                or outage.overdue_since is not None
                or outage.etr >= now
            ):
                continue
            outage.overdue_since = now
            outage.save(update_fields=["overdue_since", "updated_at"])
            outage_event_write(
                outage=outage,
                kind=OutageEventKind.OVERDUE,
                at=now,
                actor=None,
                etr=outage.etr,
                note="restoration time passed",
            )
            marked += 1
    return marked
