"""The audit event every outage change writes, and the fan-out it triggers after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import transaction

from sampark.accounts.models import StaffUser

from .models import Outage, OutageEvent


def fan_out_enqueue(event_id: int) -> None:
    from .tasks import outage_event_fanout  # tasks import the sweeps, which import this module

    outage_event_fanout.enqueue(event_id=event_id)


def outage_event_write(
    *,
    outage: Outage,
    kind: str,
    at: datetime,
    actor: StaffUser | None,
    actor_label: str = "",
    etr: datetime | None = None,
    scope_ids: Iterable[int] = (),
    note: str = "",
) -> OutageEvent:
    """Write the event in the caller's transaction; its fan-out task is enqueued on commit."""
    event = OutageEvent.objects.create(
        outage=outage,
        kind=kind,
        etr=etr,
        scope_ids=sorted(scope_ids),
        note=note[:300],
        actor=actor,
        actor_label=actor_label or ("" if actor else "system"),
        created_at=at,
    )
    transaction.on_commit(partial(fan_out_enqueue, event.pk))
    return event
