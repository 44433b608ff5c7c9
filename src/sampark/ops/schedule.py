"""Periodic jobs: the one scheduler process enqueues django.tasks tasks on these intervals.

The scheduler only enqueues; workers do the work, so several workers can share the load and
a slow job never delays the others' timing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_tasks.base import Task

from sampark.complaints.tasks import complaints_sla_sweep

from .tasks import task_results_prune


@dataclass(frozen=True)
class PeriodicJob:
    task: Task
    seconds: int


JOBS: list[PeriodicJob] = [
    PeriodicJob(task=complaints_sla_sweep, seconds=60),
    PeriodicJob(task=task_results_prune, seconds=6 * 3600),
]
