"""Per-outage figures for the dashboards, kept by the rollup task (the register does not store
how many consumers an outage cut off, and counting notices at read time would scan millions).

An outage is recomputed at every run until it has been over (restored or cancelled) for
NOTICE_SETTLE_HOURS, the time delivery reports keep arriving; then its record is final.
Consumers interrupted: the consumers on its scope (feeders and DTs; substations through their
feeders). Consumer-seconds: for each scope element, its consumers x (its own restoration, else
the outage's, else now) - the start. First ETR: the one announced first; last ETR: the one in
force when supply came back. Notices: the outbox rows of topic "outage:<id>".
Consumers served (SAIFI/SAIDI denominators) are counted per sub-division once a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q

from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.notifications.models import Notification, NotificationStatus
from sampark.outages.models import Outage, OutageEvent, OutageStatus
from sampark.outages.selectors import reach_consumers, scope_reach

from .models import OutageRecord, ServedConsumers

NOTICE_SETTLE_HOURS = 48
SERVED_RECOUNT_HOURS = 24
SENT = (NotificationStatus.SENT, NotificationStatus.DELIVERED)


def _etrs(outage: Outage) -> tuple[datetime | None, datetime | None]:
    events = OutageEvent.objects.filter(outage=outage, etr__isnull=False)
    if outage.restored_at is not None:
        events = events.filter(created_at__lte=outage.restored_at)
    etrs = list(events.order_by("id").values_list("etr", flat=True))
    return (etrs[0], etrs[-1]) if etrs else (outage.etr, outage.etr)


def outage_record_compute(*, outage: Outage, now: datetime) -> OutageRecord:
    elements = list(outage.scope.all())
    consumers = 0
    consumer_seconds = 0
    if elements:
        whole = scope_reach(elements=elements)
        consumers = 0 if whole.empty else reach_consumers(reach=whole).count()
        for element in elements:
            reach = scope_reach(elements=[element])
            if reach.empty:
                continue
            end = element.restored_at or outage.restored_at or now
            seconds = max(0, int((end - outage.starts_at).total_seconds()))
            consumer_seconds += reach_consumers(reach=reach).count() * seconds
    notices = Notification.objects.filter(topic=f"outage:{outage.pk}").aggregate(
        sent=Count("id", filter=Q(status__in=SENT)),
        delivered=Count("id", filter=Q(status=NotificationStatus.DELIVERED)),
    )
    first_etr, last_etr = _etrs(outage)
    over_at = outage.restored_at or outage.cancelled_at
    return OutageRecord(
        outage_id=outage.pk,
        unit=outage.org_unit_id,
        kind=outage.kind,
        status=outage.status,
        starts_at=outage.starts_at,
        restored_at=outage.restored_at,
        first_etr=first_etr,
        last_etr=last_etr,
        consumers=consumers,
        consumer_seconds=consumer_seconds,
        notices_sent=notices["sent"],
        notices_delivered=notices["delivered"],
        final=over_at is not None and over_at < now - timedelta(hours=NOTICE_SETTLE_HOURS),
        refreshed_at=now,
    )


def outage_records_refresh(*, now: datetime | None = None) -> int:
    """(Re)compute every outage that has begun and whose record is not final yet."""
    now = now or clock.now()
    final = OutageRecord.objects.filter(final=True).values("outage_id")
    due = (
        Outage.objects.exclude(pk__in=final)
        .filter(starts_at__lte=now)
        .exclude(status__in=(OutageStatus.SCHEDULED, OutageStatus.CANCELLED))  # never began
    )
    count = 0
    for outage in due.iterator(chunk_size=500):
        record = outage_record_compute(outage=outage, now=now)
        with transaction.atomic():
            OutageRecord.objects.filter(outage_id=outage.pk).delete()
            record.save(force_insert=True)
        count += 1
    return count


def served_consumers_refresh(*, now: datetime | None = None, force: bool = False) -> int:
    """Recount consumers per sub-division when the last count is a day old (one GROUP BY)."""
    now = now or clock.now()
    last = ServedConsumers.objects.order_by("-counted_at").values_list("counted_at", flat=True)
    newest = last.first()
    if not force and newest is not None and newest > now - timedelta(hours=SERVED_RECOUNT_HOURS):
        return 0
    counts = Consumer.objects.values_list("subdivision_id").annotate(n=Count("id")).order_by()
    with transaction.atomic():
        ServedConsumers.objects.all().delete()
        ServedConsumers.objects.bulk_create(
            ServedConsumers(unit=unit, consumers=n, counted_at=now) for unit, n in counts
        )
    return len(counts)
