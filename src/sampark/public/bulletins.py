"""Outage bulletins to zone stakeholder groups.

`stakeholder_bulletins_send` reads the outage event feed after its watermark. For each event worth
a bulletin it writes one `Bulletin` (both languages), one `BulletinDelivery` per recipient and,
in one multi-row insert, one outbox message per recipient in their language over their channel,
all in the transaction that moves the watermark: each event is told once, however often the task
runs and however many workers run it.

Recipients are the group's members who want every bulletin plus the zone's JE/SDO/XEN. Someone
already sent `SAMPARK_STAKEHOLDER_HOURLY_CAP` bulletins in the last hour is not sent more: the
delivery is recorded as held and the next daily digest covers it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sampark.core import clock
from sampark.core.models import Language
from sampark.outages.models import Outage, OutageEvent, OutageEventKind, OutageScope

from . import texts
from .feed import feed_advance, feed_pending, feed_read, watermark_claim
from .members import stakeholder_group_ensure
from .models import Bulletin, BulletinDelivery, Delivery
from .outbox import Addressee, Message, message_render, outbox_write
from .selectors import Recipient, bulletins_sent_since, group_recipients

log = logging.getLogger(__name__)

READER = "stakeholder_bulletins"
BATCH_SIZE = 200
BULLETIN_KINDS = frozenset(
    {
        OutageEventKind.ANNOUNCED,
        OutageEventKind.DECLARED,
        OutageEventKind.ETR_REVISED,
        OutageEventKind.PARTLY_RESTORED,
        OutageEventKind.RESTORED,
        OutageEventKind.CANCELLED,
    }
)
PLACES_SHOWN = 3  # scope elements named in a bulletin; the rest are counted


def time_text(at: datetime) -> str:
    return timezone.localtime(at).strftime("%d/%m %H:%M")


def scope_names(*, elements: list[OutageScope], language: str) -> str:
    names = []
    for element in elements:
        if element.substation is not None:
            unit = element.substation
            name = unit.name_hi if language == "hi" and unit.name_hi else unit.name_en
            names.append(texts.SUBSTATION.text(language, name=name))
        elif element.feeder is not None:
            feeder = element.feeder
            name = feeder.name_hi if language == "hi" and feeder.name_hi else feeder.name_en
            names.append(texts.FEEDER.text(language, name=name))
        elif element.dt is not None:
            names.append(texts.TRANSFORMER.text(language, name=element.dt.name))
    shown = ", ".join(names[:PLACES_SHOWN])
    if len(names) > PLACES_SHOWN:
        shown += " " + texts.MORE_PLACES.text(language, count=len(names) - PLACES_SHOWN)
    return shown


def outage_area(*, outage: Outage, language: str, scope_ids: list[int] | None = None) -> str:
    """'Aminabad feeder, DT Mohalla 3 (Aminabad I)': the scope elements and the sub-division."""
    elements = outage.scope.select_related("substation", "feeder", "dt").order_by("id")
    if scope_ids:
        elements = elements.filter(id__in=scope_ids)
    places = scope_names(elements=list(elements), language=language)
    unit = outage.org_unit.name_in(language)
    return f"{places} ({unit})" if places else unit


def _etr_text(*, event: OutageEvent, language: str) -> str:
    outage = event.outage
    etr = event.etr or outage.etr
    if event.kind == OutageEventKind.ANNOUNCED:
        return texts.ETR_OFF_FROM.text(
            language, etr=time_text(etr), start=time_text(outage.starts_at)
        )
    return time_text(etr)


def _bulletin_variables(*, event: OutageEvent, language: str) -> tuple[str, dict[str, str]]:
    """Template key and variables: a restoration or cancellation has no reason/ETR to tell."""
    outage = event.outage
    partial = event.kind == OutageEventKind.PARTLY_RESTORED
    common: dict[str, str] = {
        "event": texts.EVENT_NAMES[event.kind].text(language),
        "area": outage_area(
            outage=outage, language=language, scope_ids=event.scope_ids if partial else None
        ),
    }
    if event.kind in (OutageEventKind.RESTORED, OutageEventKind.PARTLY_RESTORED):
        restored = outage.restored_at if event.kind == OutageEventKind.RESTORED else None
        return "bulletin_restored", common | {"time": time_text(restored or event.created_at)}
    if event.kind == OutageEventKind.CANCELLED:
        return "bulletin_cancelled", common | {"start": time_text(outage.starts_at)}
    return "bulletin_outage", common | {
        "reason": outage.reason.text_in(language),
        "etr": _etr_text(event=event, language=language),
    }


def bulletin_messages(*, event: OutageEvent) -> dict[str, Message]:
    """The bulletin of `event` in each language."""
    messages = {}
    for language in Language.values:
        key, variables = _bulletin_variables(event=event, language=language)
        messages[language] = message_render(key=key, language=language, variables=variables)
    return messages


def stakeholder_bulletins_send(*, batch_size: int = BATCH_SIZE, max_batches: int = 50) -> int:
    """Send the bulletins of every new outage event; returns the messages queued."""
    queued = 0
    for _ in range(max_batches):
        if not feed_pending(reader=READER):
            break
        with transaction.atomic():
            watermark = watermark_claim(reader=READER)
            events = feed_read(watermark=watermark, limit=batch_size)
            now = clock.now()
            for event in events:
                queued += _event_bulletin(event=event, now=now)
            feed_advance(watermark=watermark, events=events, now=now)
        if len(events) < batch_size:
            break
    return queued


def _event_bulletin(*, event: OutageEvent, now: datetime) -> int:
    if event.kind not in BULLETIN_KINDS:
        return 0
    max_age = timedelta(minutes=settings.SAMPARK_STAKEHOLDER_BULLETIN_MAX_AGE)
    if now - event.created_at > max_age:
        log.warning("outage event %s is too old for a bulletin; skipped", event.pk)
        return 0
    if Bulletin.objects.filter(event=event).exists():
        return 0  # the watermark makes this impossible; kept as a second lock on the door
    outage = event.outage
    group = stakeholder_group_ensure(zone=outage.zone)
    messages = bulletin_messages(event=event)
    bulletin = Bulletin.objects.create(
        group=group,
        event=event,
        outage=outage,
        kind=event.kind,
        text_hi=messages["hi"].rendered.text,
        text_en=messages["en"].rendered.text,
        created_at=now,
    )
    immediate = [r for r in group_recipients(group=group) if r.delivery == Delivery.IMMEDIATE]
    send, held = _cap(recipients=immediate, now=now)
    held_mobiles = {r.recipient for r in held}
    BulletinDelivery.objects.bulk_create(
        [
            BulletinDelivery(
                bulletin=bulletin,
                recipient=r.recipient,
                channel=r.channel,
                language=r.language,
                member_id=r.member_id,
                staff_id=r.staff_id,
                held=r.recipient in held_mobiles,
                created_at=now,
            )
            for r in immediate
        ]
    )
    outbox_write(
        topic=f"outage:{outage.pk}",
        event=f"bulletin:{event.pk}",
        messages=messages,
        addressees=[Addressee(r.recipient, r.channel, r.language) for r in send],
        at=now,
    )
    bulletin.recipients, bulletin.held = len(send), len(held)
    bulletin.save(update_fields=["recipients", "held"])
    return len(send)


def _cap(*, recipients: list[Recipient], now: datetime) -> tuple[list[Recipient], list[Recipient]]:
    """Split into those under the hourly cap and those held for the digest."""
    cap = settings.SAMPARK_STAKEHOLDER_HOURLY_CAP
    counts = bulletins_sent_since(
        recipients=[r.recipient for r in recipients], since=now - timedelta(hours=1)
    )
    send = [r for r in recipients if counts.get(r.recipient, 0) < cap]
    held = [r for r in recipients if counts.get(r.recipient, 0) >= cap]
    return send, held
