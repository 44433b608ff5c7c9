"""Background jobs of the complaints app (enqueued by the scheduler through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .services import complaints_mark_breached, complaints_resolve_restored


@task()
def complaints_sla_sweep() -> int:
    return complaints_mark_breached()


@task()
def complaints_outage_sweep() -> int:
    """Linked no-supply complaints whose supply is back become resolved (awaiting confirmation)."""
    return complaints_resolve_restored()
