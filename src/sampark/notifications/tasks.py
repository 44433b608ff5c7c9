"""Background jobs of the notifications app (enqueued by the scheduler through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .dispatcher import notifications_dispatch_run


@task()
def notifications_dispatch() -> dict[str, int]:
    """Send what is due (for up to SAMPARK_DISPATCH_BUDGET seconds); the scheduler enqueues
    this every 2 seconds and any number of workers may run it at once."""
    return notifications_dispatch_run().as_dict()
