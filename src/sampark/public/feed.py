"""Reading the outage event feed (`OutageEvent`, ascending id) exactly once per reader.

A reader claims its watermark row with a row lock inside the transaction that does its work and
moves the watermark in that same transaction: a second worker waits for the lock and then sees the
moved watermark, a crashed run rolls back and is redone. Ids are handed out before commit, so on
PostgreSQL a lower id can become visible after a higher one; ids skipped that way are remembered as
gaps for `GAP_SECONDS` and picked up when their transaction commits.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from sampark.outages.models import OutageEvent

from .models import FeedWatermark

GAP_SECONDS = 300  # longer than any transaction that writes outage events
GAP_WINDOW = 1000  # ids below the newest one read that are watched as gaps


def watermark_claim(*, reader: str) -> FeedWatermark:
    """Lock the reader's watermark for the current transaction (created at 0 the first time)."""
    assert transaction.get_connection().in_atomic_block, "claim inside transaction.atomic()"
    FeedWatermark.objects.get_or_create(reader=reader)
    return FeedWatermark.objects.select_for_update().get(reader=reader)


def feed_pending(*, reader: str) -> bool:
    """Cheap unlocked look: is there anything for the reader to do?"""
    watermark = FeedWatermark.objects.filter(reader=reader).first()
    if watermark is None:
        return OutageEvent.objects.exists()
    return (
        bool(watermark.gaps) or OutageEvent.objects.filter(id__gt=watermark.last_event_id).exists()
    )


def feed_read(*, watermark: FeedWatermark, limit: int) -> list[OutageEvent]:
    """The next events after the watermark (and late arrivals in its gaps), oldest first."""
    after = Q(id__gt=watermark.last_event_id)
    gap_ids = [int(key) for key in watermark.gaps]
    if gap_ids:
        after |= Q(id__in=gap_ids)
    events = (
        OutageEvent.objects.filter(after)
        .select_related("outage__zone", "outage__reason", "outage__org_unit")
        .order_by("id")[:limit]
    )
    return list(events)


def feed_advance(*, watermark: FeedWatermark, events: list[OutageEvent], now: datetime) -> None:
    """Move the watermark past `events` and record the ids skipped below them."""
    seen = {event.pk for event in events}
    gaps = {}
    for key, first_missed in watermark.gaps.items():
        missed_at = parse_datetime(first_missed)
        fresh = missed_at is not None and (now - missed_at).total_seconds() < GAP_SECONDS
        if int(key) not in seen and fresh:
            gaps[key] = first_missed
    new = [pk for pk in seen if pk > watermark.last_event_id]
    if new:
        top = max(new)
        for pk in range(max(watermark.last_event_id + 1, top - GAP_WINDOW), top):
            if pk not in seen:
                gaps.setdefault(str(pk), now.isoformat())
        watermark.last_event_id = top
    if not new and gaps == watermark.gaps:
        return
    watermark.gaps = gaps
    watermark.updated_at = now
    watermark.save(update_fields=["last_event_id", "gaps", "updated_at"])
