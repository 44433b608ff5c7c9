"""Background jobs of the complaints app (enqueued by the scheduler through django.tasks)."""

from __future__ import annotations

from django_tasks import task

from .closure import closures_expire_unconfirmed
from .compensation import compensation_claims_raise
from .escalation import complaints_escalate
from .services import complaints_mark_breached, complaints_resolve_restored


@task()
def complaints_sla_sweep() -> int:
    breached = complaints_mark_breached()
    complaints_escalate()  # then up the ladder: rungs, explanations, one digest per officer
    return breached


@task()
def complaints_outage_sweep() -> int:
    """Linked no-supply complaints whose supply is back become resolved (awaiting confirmation)."""
    return complaints_resolve_restored()


@task()
def compensation_claims_sweep() -> int:
    """SoP claims for complaints closed late, raised without waiting for the consumer to ask."""
    return compensation_claims_raise()


@task()
def closures_expire_sweep() -> int:
    """Resolutions the consumer never answered are closed as unconfirmed once time is up."""
    return closures_expire_unconfirmed()
