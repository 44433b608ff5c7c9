"""Shapes of the notifications API (staff only)."""

from __future__ import annotations

from ninja import Field, Schema

from sampark.consumers.api.schemas import LocalDateTime
from sampark.notifications.models import Notification
from sampark.notifications.selectors import recipient_mask


class NotificationQuery(Schema):
    topic: str | None = Field(
        None, max_length=60, description='Only messages about this, e.g. "outage:17".'
    )


class NotificationOut(Schema):
    """One message as recorded: what was said, to whom (masked), how it went."""

    id: int
    topic: str
    event: str
    channel: str
    channel_label: str
    recipient: str = Field(description="Masked: only the last four digits are shown.")
    template_key: str
    language: str
    text: str
    segments: int
    dlt_template_id: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    provider: str
    provider_message_id: str
    fallback_of: int | None = Field(description="The WhatsApp message this SMS replaced.")
    created_at: LocalDateTime
    next_attempt_at: LocalDateTime
    sent_at: LocalDateTime | None
    delivered_at: LocalDateTime | None
    failed_at: LocalDateTime | None

    @staticmethod
    def resolve_channel_label(obj: Notification) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_status_label(obj: Notification) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_recipient(obj: Notification) -> str:
        return recipient_mask(obj.recipient)

    @staticmethod
    def resolve_fallback_of(obj: Notification) -> int | None:
        return obj.fallback_of_id
