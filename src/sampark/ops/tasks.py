"""Housekeeping tasks."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import task

from .health import heartbeat_record


@task()
def task_results_prune() -> None:
    """Drop finished task results so the queue table stays small: the dispatcher alone finishes
    a run every 2 s (~43,000 a day). Failed runs are kept a week for diagnosis."""
    call_command(
        "prune_db_task_results",
        "--queue-name",
        "*",
        "--min-age-days",
        "1",
        "--failed-min-age-days",
        "7",
        verbosity=0,
    )


@task()
def worker_heartbeat() -> None:
    """Proves a worker is taking tasks (and that the scheduler enqueues them); /healthz reads it."""
    heartbeat_record(name="worker")
