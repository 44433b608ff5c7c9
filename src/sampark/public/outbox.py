"""Set-based writes of group messages into the notifications outbox.

A bulletin or digest is the same text for everyone who reads the same language, so it is rendered
once per language and inserted as one multi-row INSERT for the whole group, skipping rows that
already exist (the outbox's unique key: topic, event, recipient, channel). A retried task therefore
never queues a message twice. The dispatcher sends the rows under its per-provider rate limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sampark.notifications.models import Notification, NotificationChannel, NotificationStatus
from sampark.notifications.templates import Rendered, template_render


@dataclass(frozen=True)
class Message:
    rendered: Rendered
    variables: dict[str, str]  # as given to the template (the sender comes from settings)


@dataclass(frozen=True)
class Addressee:
    recipient: str
    channel: str
    language: str


def message_render(*, key: str, language: str, variables: Mapping[str, str]) -> Message:
    values = {name: str(value) for name, value in variables.items()}
    given: dict[str, object] = dict(values)
    return Message(template_render(key=key, language=language, variables=given), values)


def outbox_write(
    *,
    topic: str,
    event: str,
    messages: Mapping[str, Message],
    addressees: Iterable[Addressee],
    at: datetime,
) -> int:
    """Queue `messages[language]` to every addressee in one multi-row INSERT that skips rows
    already there (ON CONFLICT DO NOTHING / INSERT OR IGNORE honour the outbox's partial unique
    indexes). Returns the rows offered. Call inside the transaction that records why."""
    rows = []
    for to in addressees:
        message = messages[to.language]
        sms = to.channel == NotificationChannel.SMS
        rows.append(
            Notification(
                topic=topic,
                event=event,
                channel=to.channel,
                recipient=to.recipient,
                consumer=None,
                template_key=message.rendered.key,
                language=to.language,
                text=message.rendered.text,
                variables=message.variables,
                # DLT registration concerns SMS only (as in notification_enqueue).
                dlt_template_id=message.rendered.dlt_template_id if sms else "",
                dlt_entity_id=message.rendered.dlt_entity_id if sms else "",
                segments=message.rendered.segments,
                urgent=message.rendered.urgent,
                status=NotificationStatus.QUEUED,
                next_attempt_at=at,
                created_at=at,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)
