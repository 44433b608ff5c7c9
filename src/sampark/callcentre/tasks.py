"""Background jobs of the call centre (enqueued by the scheduler, see ops/schedule.py)."""

from __future__ import annotations

from django_tasks import task

from .services import calls_close_stale


@task()
def calls_stale_sweep() -> int:
    """Calls that never got their final event are closed as dropped (and so called back)."""
    return calls_close_stale()
