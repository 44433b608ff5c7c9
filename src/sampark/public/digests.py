"""The daily digest: one summary of a zone's outages for members who chose it.

The scheduler runs `stakeholder_digests_send` every few minutes; from the local hour
`SAMPARK_STAKEHOLDER_DIGEST_HOUR` on, each group with digest members (or with bulletins held over
the hourly cap) gets one `DigestRun` per local day, claimed by its unique key, covering the events
since the previous digest. A scheduler that was down at the hour catches up when it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from sampark.core import clock
from sampark.core.models import Language
from sampark.outages.models import Outage, OutageEvent, OutageEventKind, OutageStatus

from . import texts
from .bulletins import outage_area
from .models import BulletinDelivery, Delivery, DigestRun, StakeholderGroup
from .outbox import Addressee, message_render, outbox_write
from .selectors import local_day_start


@dataclass(frozen=True)
class DaySummary:
    declared: int
    restored: int
    announced: int
    still_off: int
    longest: Outage | None
    longest_for: timedelta

    @property
    def empty(self) -> bool:
        return not (self.declared or self.restored or self.announced or self.still_off)


def zone_summary(*, group: StakeholderGroup, since: datetime, until: datetime) -> DaySummary:
    zone = group.zone
    counts = OutageEvent.objects.filter(
        outage__zone=zone, created_at__gte=since, created_at__lt=until
    ).aggregate(
        declared=Count("id", filter=Q(kind=OutageEventKind.DECLARED)),
        restored=Count("id", filter=Q(kind=OutageEventKind.RESTORED)),
        announced=Count("id", filter=Q(kind=OutageEventKind.ANNOUNCED)),
    )
    candidates = (
        Outage.objects.filter(zone=zone, starts_at__lt=until)
        .filter(
            Q(status=OutageStatus.ACTIVE) | Q(status=OutageStatus.RESTORED, restored_at__gte=since)
        )
        .select_related("org_unit")
    )
    longest, longest_for = None, timedelta(0)
    still_off = 0
    for outage in candidates:
        if outage.status == OutageStatus.ACTIVE:
            still_off += 1
        lasted = (outage.restored_at or until) - outage.starts_at
        if lasted > longest_for:
            longest, longest_for = outage, lasted
    return DaySummary(
        declared=counts["declared"],
        restored=counts["restored"],
        announced=counts["announced"],
        still_off=still_off,
        longest=longest,
        longest_for=longest_for,
    )


def summary_text(*, summary: DaySummary, language: str) -> str:
    text = texts.DIGEST_COUNTS.text(
        language,
        declared=summary.declared,
        restored=summary.restored,
        still_off=summary.still_off,
    )
    if summary.announced:
        text += texts.DIGEST_PLANNED.text(language, announced=summary.announced)
    if summary.longest is not None:
        minutes = int(summary.longest_for.total_seconds() // 60)
        duration = texts.DURATION.text(language, hours=minutes // 60, minutes=minutes % 60)
        area = outage_area(outage=summary.longest, language=language)
        text += texts.DIGEST_LONGEST.text(language, duration=duration, area=area)
    return text


def groups_with_digest_readers() -> list[StakeholderGroup]:
    held = BulletinDelivery.objects.filter(held=True, digested_at__isnull=True)
    return list(
        StakeholderGroup.objects.filter(
            Q(
                members__active=True,
                members__verified_at__isnull=False,
                members__delivery=Delivery.DIGEST,
            )
            | Q(bulletins__in=held.values("bulletin"))
        )
        .distinct()
        .select_related("zone")
        .order_by("id")
    )


def stakeholder_digests_send(*, at: datetime | None = None, force: bool = False) -> int:
    """Send today's digests not sent yet, once the digest hour has come (or `force`).
    Returns the messages queued."""
    now = at or clock.now()
    local = timezone.localtime(now)
    if local.hour < settings.SAMPARK_STAKEHOLDER_DIGEST_HOUR and not force:
        return 0
    queued = 0
    for group in groups_with_digest_readers():
        queued += _group_digest(group=group, day=local.date(), now=now)
    return queued


def _group_digest(*, group: StakeholderGroup, day: date, now: datetime) -> int:
    with transaction.atomic():
        if DigestRun.objects.filter(group=group, day=day).exists():
            return 0
        previous = DigestRun.objects.filter(group=group).order_by("-day").first()
        since = previous.window_end if previous else local_day_start(now)
        run, created = DigestRun.objects.get_or_create(
            group=group,
            day=day,
            defaults={"window_start": since, "window_end": now, "created_at": now},
        )
        if not created:
            return 0  # another worker has it
        held = list(
            BulletinDelivery.objects.select_for_update().filter(
                bulletin__group=group, held=True, digested_at__isnull=True
            )
        )
        addressees = {
            (m.mobile, m.channel): Addressee(m.mobile, m.channel, m.language)
            for m in group.members.filter(
                active=True, verified_at__isnull=False, delivery=Delivery.DIGEST
            )
        }
        for delivery in held:
            key = (delivery.recipient, delivery.channel)
            addressees.setdefault(
                key, Addressee(delivery.recipient, delivery.channel, delivery.language)
            )
        summary = zone_summary(group=group, since=since, until=now)
        summaries = {lang: summary_text(summary=summary, language=lang) for lang in Language.values}
        run.summary_hi, run.summary_en = summaries["hi"], summaries["en"]
        if summary.empty and not held:
            run.save(update_fields=["summary_hi", "summary_en"])
            return 0  # nothing happened in the zone: no message
        messages = {
            lang: message_render(
                key="bulletin_digest",
                language=lang,
                variables={"zone": group.zone.name_in(lang), "summary": summaries[lang]},
            )
            for lang in Language.values
        }
        queued = outbox_write(
            topic=f"zone:{group.zone.code}",
            event=f"digest:{day.isoformat()}",
            messages=messages,
            addressees=addressees.values(),
            at=now,
        )
        BulletinDelivery.objects.filter(pk__in=[d.pk for d in held]).update(digested_at=now)
        run.recipients = queued
        run.save(update_fields=["summary_hi", "summary_en", "recipients"])
    return queued
