"""Periodic jobs: the one scheduler process enqueues django.tasks tasks on these intervals.

The scheduler only enqueues; workers do the work, so several workers can share the load and
a slow job never delays the others' timing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_tasks.base import Task

from sampark.callcentre.tasks import calls_stale_sweep
from sampark.channels.email.tasks import email_inbox_poll
from sampark.channels.tasks import handovers_reassure_sweep
from sampark.complaints.tasks import (
    closures_expire_sweep,
    compensation_claims_sweep,
    complaints_outage_sweep,
    complaints_sla_sweep,
)
from sampark.notifications.tasks import notifications_dispatch
from sampark.outages.tasks import (
    outages_overdue_sweep,
    outages_reminder_sweep,
    outages_start_sweep,
)
from sampark.public.tasks import (
    press_bulletins_dispatch,
    stakeholder_bulletins_dispatch,
    stakeholder_digests_dispatch,
)
from sampark.review.pack_tasks import review_packs_dispatch
from sampark.review.tasks import review_outages_refresh, review_rollup_refresh

from .tasks import task_results_prune, worker_heartbeat


@dataclass(frozen=True)
class PeriodicJob:
    task: Task
    seconds: int


JOBS: list[PeriodicJob] = [
    PeriodicJob(task=complaints_sla_sweep, seconds=60),
    PeriodicJob(task=complaints_outage_sweep, seconds=15),
    PeriodicJob(task=closures_expire_sweep, seconds=60),
    PeriodicJob(task=handovers_reassure_sweep, seconds=60),
    PeriodicJob(task=email_inbox_poll, seconds=60),  # no-op without SAMPARK_IMAP_HOST
    PeriodicJob(task=compensation_claims_sweep, seconds=600),
    PeriodicJob(task=outages_start_sweep, seconds=30),
    PeriodicJob(task=outages_reminder_sweep, seconds=60),
    PeriodicJob(task=outages_overdue_sweep, seconds=60),
    # Bulletins to zone stakeholder groups follow the outage event feed within seconds; the
    # digest task checks every 5 minutes whether the day's digest hour has come.
    PeriodicJob(task=stakeholder_bulletins_dispatch, seconds=5),
    PeriodicJob(task=stakeholder_digests_dispatch, seconds=300),
    # Each discom's press bulletin, once a day from SAMPARK_PRESS_BULLETIN_HOUR.
    PeriodicJob(task=press_bulletins_dispatch, seconds=300),
    # Each discom's review pack (PDF + XLSX, mailed), once a day from SAMPARK_REVIEW_PACK_HOUR.
    PeriodicJob(task=review_packs_dispatch, seconds=3600),
    # Review dashboards: audit events into the rollups every minute; outage figures every 5.
    PeriodicJob(task=review_rollup_refresh, seconds=60),
    PeriodicJob(task=review_outages_refresh, seconds=300),
    # The outbox: each run sends what is due (for up to SAMPARK_DISPATCH_BUDGET seconds).
    PeriodicJob(task=notifications_dispatch, seconds=2),
    PeriodicJob(task=task_results_prune, seconds=3600),
    # Calls that lost their final event: closed as dropped, so the caller is called back.
    PeriodicJob(task=calls_stale_sweep, seconds=600),
    PeriodicJob(task=worker_heartbeat, seconds=10),  # /healthz: a worker is taking tasks
]
