"""Writes on the outbox: enqueue one message, expire pointless ones, fall back to SMS.

Set-based fan-out (outages) inserts rows straight into the table against the same unique keys;
these services are for single messages and for the dispatcher.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164

from .models import Notification, NotificationChannel, NotificationStatus
from .segments import sms_length
from .templates import Rendered, template_render

NO_LONGER_RELEVANT = "no longer relevant"
CHAT_TEMPLATES = frozenset({"chat_message", "chat_followup"})
BAD_CHANNEL = _("Choose one of the listed channels.")
BAD_LANGUAGE = _("Choose hi (Hindi) or en (English).")
BAD_EMAIL = _("Enter a valid e-mail address.")
BAD_CHAT = _("Enter a Telegram chat id (a number) or @channel name.")
TELEGRAM_CHAT_RE = re.compile(r"^(-?\d{1,20}|@\w{5,32})$")


def recipient_clean(*, channel: str, recipient: str) -> str:
    """The canonical address for a channel: E.164 mobiles, a checked e-mail or chat id."""
    text = (recipient or "").strip()
    if channel in (NotificationChannel.SMS, NotificationChannel.WHATSAPP):
        return mobile_to_e164(text, field="recipient")
    if channel == NotificationChannel.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationFailed(fields={"recipient": BAD_EMAIL}) from None
        return text
    if not TELEGRAM_CHAT_RE.match(text):
        raise ValidationFailed(fields={"recipient": BAD_CHAT})
    return text


def _row(
    *,
    topic: str,
    event: str,
    channel: str,
    recipient: str,
    consumer_id: int | None,
    rendered: Rendered,
    variables: Mapping[str, object],
    urgent: bool,
    due: datetime,
    now: datetime,
    fallback_of_id: int | None = None,
) -> Notification:
    sms = channel == NotificationChannel.SMS
    return Notification(
        topic=topic,
        event=event,
        channel=channel,
        recipient=recipient,
        consumer_id=consumer_id,
        template_key=rendered.key,
        language=rendered.language,
        text=rendered.text,
        variables=dict(variables),
        # DLT registration concerns SMS only; other channels carry none.
        dlt_template_id=rendered.dlt_template_id if sms else "",
        dlt_entity_id=rendered.dlt_entity_id if sms else "",
        segments=rendered.segments,
        urgent=urgent,
        status=NotificationStatus.QUEUED,
        next_attempt_at=due,
        created_at=now,
        fallback_of_id=fallback_of_id,
    )


def _key_taken(row: Notification) -> bool:
    same = Notification.objects.filter(topic=row.topic, event=row.event, channel=row.channel)
    if row.consumer_id is not None:
        return same.filter(consumer_id=row.consumer_id).exists()
    return same.filter(consumer__isnull=True, recipient=row.recipient).exists()


def notification_enqueue(
    *,
    topic: str,
    event: str,
    channel: str,
    recipient: str,
    template_key: str,
    language: str,
    variables: Mapping[str, object],
    consumer: Consumer | None = None,
    urgent: bool | None = None,
    at: datetime | None = None,
    options: Sequence[tuple[str, str]] = (),
) -> Notification | None:
    """Queue one message; None when this step was already queued for this recipient.

    Idempotent on the outbox's unique keys ((topic, event, consumer, channel), or recipient
    instead of consumer): a retried event never sends twice. The insert runs in a savepoint, so
    a duplicate does not spoil the caller's transaction. `urgent` defaults to the template's
    (quiet hours hold back non-urgent messages); `at` is the earliest send time (default now).
    `options` are a chat reply's buttons ((id, title) pairs).
    """
    if channel not in NotificationChannel.values:
        raise ValidationFailed(fields={"channel": BAD_CHANNEL})
    if language not in Language.values:
        raise ValidationFailed(fields={"language": BAD_LANGUAGE})
    address = recipient_clean(channel=channel, recipient=recipient)
    # Stored as strings: they are what was said, and WhatsApp parameters are text.
    values: dict[str, object] = {name: str(value) for name, value in variables.items()}
    rendered = template_render(key=template_key, language=language, variables=values)
    now = clock.now()
    row = _row(
        topic=topic,
        event=event,
        channel=channel,
        recipient=address,
        consumer_id=consumer.pk if consumer is not None else None,
        rendered=rendered,
        variables=values,
        urgent=rendered.urgent if urgent is None else urgent,
        due=at or now,
        now=now,
    )
    if options:
        row.options = [[str(key), str(title)] for key, title in options]
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        if not _key_taken(row):
            raise
        return None
    return row


def notifications_expire(
    *, topic: str, events: Collection[str], consumers: QuerySet[Consumer] | None = None
) -> int:
    """Queued messages of these steps of `topic` will not be sent: an outage notice after the
    restoration is pointless. One UPDATE; returns the number of rows expired.

    An event ending in "*" matches by prefix ("etr:*" is every ETR revision). `consumers`
    narrows it to those consumers (partial restoration), as a subquery.
    """
    match = Q()
    for event in events:
        match |= Q(event__startswith=event[:-1]) if event.endswith("*") else Q(event=event)
    if not match:
        return 0
    rows = Notification.objects.filter(match, topic=topic, status=NotificationStatus.QUEUED)
    if consumers is not None:
        rows = rows.filter(consumer__in=consumers.values("id"))
    return rows.update(status=NotificationStatus.EXPIRED, last_error=NO_LONGER_RELEVANT)


def _fallback_wanted(original: Notification) -> bool:
    """WhatsApp failed for good: send the same step by SMS when the person may be texted.

    - a consumer who consented to SMS;
    - any urgent message (outage and restoration notices must reach the consumer, and a
      complainant is owed the restoration message even without broadcast consent);
    - a recipient who is not a registered consumer (a stakeholder member or a caller who gave
      the number for exactly these messages).
    """
    if original.template_key in CHAT_TEMPLATES:
        return False  # a chat reply belongs to the conversation; an SMS copy is not DLT-registered
    if original.consumer_id is None or original.urgent:
        return True
    return bool(original.consumer and original.consumer.consent_sms)


def _sms_rendering(original: Notification) -> Rendered:
    try:
        return template_render(
            key=original.template_key, language=original.language, variables=original.variables
        )
    except ValidationFailed:
        # A row written set-based with variables the template no longer knows: say the same.
        length = sms_length(original.text)
        return Rendered(
            key=original.template_key,
            language=original.language,
            text=original.text,
            segments=length.segments,
            encoding=length.encoding,
            dlt_template_id=settings.SAMPARK_DLT_TEMPLATES.get(original.template_key, ""),
            dlt_entity_id=settings.SAMPARK_DLT_ENTITY_ID,
            urgent=original.urgent,
        )


def notification_fallback_create(*, notification_ids: Collection[int]) -> int:
    """Queue an SMS for each of these WhatsApp rows that failed permanently and may fall back.

    Same step, recipient and consumer, `fallback_of` pointing at the WhatsApp row. Idempotent:
    an SMS already queued for the step (by the fan-out or an earlier fallback) is left alone.
    Returns the number of fallback rows that exist for these rows afterwards.
    """
    if not notification_ids:
        return 0
    originals = list(
        Notification.objects.select_related("consumer").filter(
            id__in=notification_ids,
            channel=NotificationChannel.WHATSAPP,
            status=NotificationStatus.FAILED,
        )
    )
    now = clock.now()
    rows = [
        _row(
            topic=original.topic,
            event=original.event,
            channel=NotificationChannel.SMS,
            recipient=original.recipient,
            consumer_id=original.consumer_id,
            rendered=_sms_rendering(original),
            variables=original.variables,
            urgent=original.urgent,
            due=now,
            now=now,
            fallback_of_id=original.pk,
        )
        for original in originals
        if _fallback_wanted(original)
    ]
    if not rows:
        return 0
    # ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite) honours the partial unique indexes.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(fallback_of_id__in=[r.fallback_of_id for r in rows]).count()
