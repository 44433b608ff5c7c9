"""Background jobs of the outage register: the fan-out of each event (enqueued on commit) and
the periodic sweeps (enqueued by the scheduler, see ops/schedule.py)."""

from __future__ import annotations

from django_tasks import task

from .fanout import outage_event_fan_out
from .sweeps import outages_mark_overdue, outages_remind_planned, outages_start_due


@task()
def outage_event_fanout(event_id: int) -> int:
    """Outbox rows for one outage event. Safe to retry: it never inserts a row twice."""
    return outage_event_fan_out(event_id=event_id)


@task()
def outages_start_sweep() -> int:
    return outages_start_due()


@task()
def outages_reminder_sweep() -> int:
    return outages_remind_planned()


@task()
def outages_overdue_sweep() -> int:
    return outages_mark_overdue()
