"""Housekeeping tasks."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import task


@task()
def task_results_prune() -> None:
    """Drop finished task results older than a week so the queue table stays small."""
    call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "7", verbosity=0)
