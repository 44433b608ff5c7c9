"""Background jobs of the complaints app (enqueued by the scheduler through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .services import complaints_mark_breached


@task()
def complaints_sla_sweep() -> int:
    return complaints_mark_breached()
