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


class Open311Request(models.Model):
    """One service request POSTed to the Open311 GeoReport v2 endpoint (channels.open311).

    The complaint it registered, or the open one it joined (`created` False), the integration
    that sent it, and what the client gave that a complaint has no field for. `token` is the
    spec's token: random, issued with every POST, answered by `tokens/{token}`.
    """

    token = models.CharField(max_length=32, unique=True)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    created = models.BooleanField()
    api_token = models.ForeignKey(
        "accounts.ApiToken", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    service_code = models.CharField(max_length=24)
    description = models.TextField(blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    address_id = models.CharField(max_length=40, blank=True)
    # The client's own ids (its device, its user account) and the e-mail it gave: kept for
    # support, never shown by GET requests.
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["complaint", "id"], name="open311_request_complaint_idx")]

    def __str__(self) -> str:
        return f"Open311 {self.token} -> {self.complaint_id}"


class MailSource(models.TextChoices):
    IMAP = "imap", _("IMAP mailbox")
    WEBHOOK = "webhook", _("Inbound-mail webhook")


class MailState(models.TextChoices):
    RECEIVED = "received", _("Received, not yet handled")
    COMPLAINT = "complaint", _("Registered as a complaint")
    THREADED = "threaded", _("Added to an earlier complaint")
    ASKED = "asked", _("Sender asked for the account number or mobile")
    IGNORED = "ignored", _("Ignored (automatic mail)")
    FAILED = "failed", _("Failed")


class InboundMail(models.Model):
    """One mail to the complaints address (sampark.channels.email), kept once per Message-ID:
    a mail fetched twice, or posted twice by a provider, is handled once.

    `reply_message_id` is the Message-ID of our answer: a reply to it (In-Reply-To or
    References) belongs to the same complaint.
    """

    message_id = models.CharField(max_length=250, unique=True)
    source = models.CharField(max_length=8, choices=MailSource.choices)
    from_address = models.CharField(max_length=254)
    from_name = models.CharField(max_length=120, blank=True)
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)  # what the sender wrote, quoted reply cut
    in_reply_to = models.CharField(max_length=250, blank=True)
    references = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the mail's Date header
    received_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=MailState.choices, default=MailState.RECEIVED)
    automatic = models.CharField(max_length=120, blank=True)  # why it was ignored
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_message_id = models.CharField(max_length=250, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["reply_message_id"],
                condition=~models.Q(reply_message_id=""),
                name="inboundmail_reply_id_idx",
            ),
            models.Index(fields=["from_address", "received_at"], name="inboundmail_sender_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject[:40]}"


class ImapCursor(models.Model):
    """How far the IMAP poller has read one mailbox folder: the last UID handled under the
    folder's UIDVALIDITY, and a lease so that two workers never poll it at once."""

    mailbox = models.CharField(max_length=300, unique=True)  # user@host:port/folder
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.mailbox} @ {self.last_uid}"
