"""The outbox: one row per message to one recipient on one channel, carrying its own send state.

Rows are created set-based (`INSERT ... SELECT`, see outages fan-out) or one by one, claimed by
workers in batches, sent through a provider, and updated from delivery receipts. A regulator's
question "was this consumer told?" is answered from these rows alone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sampark.consumers.models import Consumer
from sampark.core.models import Language


class NotificationChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    TELEGRAM = "telegram", _("Telegram")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Notification(models.Model):
    # What the message is about and which step of it: ("outage:17", "declared"),
    # ("outage:17", "etr:2"), ("outage:17", "restored:f:35"). One message per recipient and step.
    topic = models.CharField(max_length=60)
    event = models.CharField(max_length=60)
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)
    # E.164 mobile (SMS, WhatsApp), e-mail address, or Telegram chat id.
    recipient = models.CharField(max_length=254)
    consumer = models.ForeignKey(
        Consumer, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )

    template_key = models.CharField(max_length=60)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    text = models.TextField()
    # Template variables as sent (WhatsApp template parameters, audit of what was said).
    variables = models.JSONField(default=dict, blank=True)
    # Chat replies only: [[id, title], ...] shown as buttons where the channel has them. Nullable
    # so that set-based fan-out inserts need not name it.
    options = models.JSONField(null=True, blank=True)
    dlt_template_id = models.CharField(max_length=32, blank=True)
    dlt_entity_id = models.CharField(max_length=32, blank=True)
    segments = models.PositiveSmallIntegerField(default=1)
    # Outage and restoration notices are urgent; quiet hours hold back only the others.
    urgent = models.BooleanField(default=True)

    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    provider = models.CharField(max_length=30, blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True)
    # The WhatsApp message this SMS replaces after WhatsApp failed permanently.
    fallback_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="fallbacks"
    )

    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A retried or duplicated event never sends twice (set-based inserts use
            # ON CONFLICT DO NOTHING against these).
            models.UniqueConstraint(
                fields=["topic", "event", "consumer", "channel"],
                condition=Q(consumer__isnull=False),
                name="one_notification_per_consumer_step_channel",
            ),
            models.UniqueConstraint(
                fields=["topic", "event", "recipient", "channel"],
                condition=Q(consumer__isnull=True),
                name="one_notification_per_recipient_step_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(
                fields=["provider", "provider_message_id"], name="notification_receipt_idx"
            ),
            models.Index(fields=["consumer", "created_at"], name="notification_consumer_idx"),
            models.Index(fields=["topic", "event"], name="notification_topic_idx"),
            # The dispatcher's claim: due queued rows of one channel, oldest first. Partial, so
            # it holds only the queue, and per channel, so a long SMS backlog is not scanned
            # when looking for WhatsApp rows.
            models.Index(
                fields=["channel", "next_attempt_at", "id"],
                condition=Q(status="queued"),
                name="notification_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient} ({self.topic} {self.event}): {self.status}"


class ProviderRateWindow(models.Model):
    """Messages handed to one provider in one wall-clock second, counted by every worker.

    The per-provider rate limit is shared by all worker processes on all hosts through this
    small table: a worker reserves tokens with one atomic upsert (see ratelimit.py). Rows older
    than a minute are deleted by the dispatcher.
    """

    provider = models.CharField(max_length=30)
    second = models.BigIntegerField()  # Unix time, whole seconds
    used = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "second"], name="one_rate_window")
        ]

    def __str__(self) -> str:
        return f"{self.provider} @ {self.second}: {self.used}"
