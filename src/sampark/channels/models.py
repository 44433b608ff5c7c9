"""Conversations with the chatbot, one per (channel, user), and every message in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sampark.consumers.models import Consumer
from sampark.core.models import Language
from sampark.network.models import OrgUnit


class ChatChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    WEB = "web", _("Web chat")
    SMS = "sms", _("SMS")


class Handover(models.TextChoices):
    NONE = "none", _("With the chatbot")
    WAITING = "waiting", _("Waiting for an agent")
    AGENT = "agent", _("With an agent")


class Conversation(models.Model):
    """The state of one user's chat on one channel: who they are, what the bot is waiting for.

    `user_key` is the E.164 mobile on WhatsApp and SMS, the chat id on Telegram, a random key
    kept in the browser's session for web chat. `state` and `context` are the dialogue engine's
    (sampark.channels.chatbot.dialogue); the rest is readable by staff.
    """

    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    user_key = models.CharField(max_length=64)
    display_name = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    # The mobile the channel vouches for (WhatsApp, SMS) or the user typed (web, Telegram).
    mobile = models.CharField(max_length=16, null=True, blank=True)
    consumer = models.ForeignKey(
        Consumer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # True when the mobile above is the consumer's registered one: only then does the bot
    # show the consumer's own complaints and details.
    verified = models.BooleanField(default=False)
    state = models.CharField(max_length=30, default="start")
    context = models.JSONField(default=dict, blank=True)
    misses = models.PositiveSmallIntegerField(default=0)

    handover = models.CharField(max_length=8, choices=Handover.choices, default=Handover.NONE)
    handover_at = models.DateTimeField(null=True, blank=True)
    handover_reason = models.CharField(max_length=200, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    # Where the handover queue shows it: the consumer's sub-division when known.
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    last_inbound_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "user_key"], name="one_conversation"),
        ]
        indexes = [
            models.Index(fields=["handover", "handover_at"], name="conversation_handover_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.display_name or self.user_key}"


class Direction(models.TextChoices):
    IN = "in", _("From the user")
    OUT = "out", _("To the user")


class Author(models.TextChoices):
    USER = "user", _("User")
    BOT = "bot", _("Chatbot")
    AGENT = "agent", _("Agent")


class ChatMessage(models.Model):
    """One message of a conversation, kept as the transcript agents and auditors read.

    Inbound messages carry the provider's message id: a unique key per channel, so a provider
    retrying a delivery (Meta does, for hours) is stored and answered once. `processed_at` is set
    when the dialogue engine has answered it. Outbound messages point at their outbox row.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.CharField(max_length=5, choices=Author.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    options = models.JSONField(default=list, blank=True)  # [[id, title], ...] offered as buttons
    intent = models.CharField(max_length=20, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="one_inbound_per_provider_id",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "id"], name="chatmessage_transcript_idx")]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
