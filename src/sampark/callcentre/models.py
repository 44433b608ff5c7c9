"""The 1912 call centre's records: every call with its events, callbacks owed, agents' state
and the roster.

A `Call` is one telephony call, keyed by the provider's call id so that replayed webhooks and
re-imported CDR rows land on the same row. Its timestamps are the facts the KPIs are computed
from (offered, queued, answered by an agent, ended); `outcome` says how it ended. The IVR keeps
its menu position in `ivr_state`/`ivr_context` on the same row, so a call's whole story is one
row plus its events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sampark.consumers.models import Consumer
from sampark.core.models import Language
from sampark.network.models import OrgUnit


class CallSource(models.TextChoices):
    TWILIO = "twilio", "Twilio"
    PLIVO = "plivo", "Plivo"
    EXOTEL = "exotel", "Exotel"
    API = "api", _("Telephony events API")
    CDR = "cdr", _("CDR import")


class CallQueue(models.TextChoices):
    """Agent queues. Safety hazards have their own queue that agents take first."""

    EMERGENCY = "emergency", _("Safety emergency")
    GENERAL = "general", _("General")
    ENGLISH = "english", _("English")


class CallOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    IVR_CONTAINED = "ivr_contained", _("Served by the IVR")  # no agent needed
    ANSWERED = "answered", _("Answered by an agent")
    ABANDONED = "abandoned", _("Caller hung up while waiting")
    DROPPED = "dropped", _("Dropped")  # cut off by the network or the system
    CALLBACK_REQUESTED = "callback_requested", _("Callback requested in the IVR")
    TRANSFERRED = "transferred", _("Transferred")


class Call(models.Model):
    call_id = models.CharField(max_length=64, unique=True)  # the provider's CallSid/CallUUID
    source = models.CharField(max_length=8, choices=CallSource.choices)
    calling_number = models.CharField(max_length=16, blank=True)  # 10-digit Indian mobile
    consumer = models.ForeignKey(
        Consumer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The discom whose line was called (or the consumer's); KPIs are cut by it.
    discom = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    queue = models.CharField(max_length=10, choices=CallQueue.choices, blank=True)

    offered_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # by an agent
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, choices=CallOutcome.choices, default=CallOutcome.IN_PROGRESS
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    # The IVR answered with an outage's reason and ETR and the caller needed no agent.
    ivr_contained = models.BooleanField(default=False)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The IVR's position in its menus (sampark.channels.ivr); empty for CDR/API-only calls.
    ivr_state = models.CharField(max_length=30, blank=True)
    ivr_context = models.JSONField(default=dict, blank=True)
    ivr_retries = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["discom", "offered_at"]),
            models.Index(fields=["agent", "offered_at"]),
            models.Index(fields=["calling_number", "offered_at"]),
            # The live queue: calls waiting for an agent.
            models.Index(
                fields=["queue", "queued_at"],
                name="call_waiting_idx",
                condition=Q(answered_at__isnull=True, ended_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.calling_number}"


class CallEventKind(models.TextChoices):
    OFFERED = "offered", _("Offered")
    QUEUED = "queued", _("Queued")
    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Abandoned")
    TRANSFERRED = "transferred", _("Transferred")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")
    IVR = "ivr", _("IVR step")


class CallEvent(models.Model):
    """One telephony event as received. Unique per (call, kind, at): a replay is a no-op."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=CallEventKind.choices)
    at = models.DateTimeField()
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    queue = models.CharField(max_length=10, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "kind", "at"], name="call_event_once"),
        ]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M:%S}"


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("To call back")
    REACHED = "reached", _("Reached")
    COMPLAINT_REGISTERED = "complaint", _("Reached, complaint registered")
    NO_ANSWER = "no_answer", _("No answer after all tries")
    CANCELLED = "cancelled", _("Not needed (caller called again and was served)")


class Callback(models.Model):
    """A call the centre owes: every abandoned or dropped call, and every IVR callback request.

    One per call (unique), and at most one pending per calling number (partial unique index):
    a caller who hangs up three times in ten minutes is called back once.
    """

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="callback")
    mobile = models.CharField(max_length=16)
    consumer = models.ForeignKey(
        Consumer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    discom = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    requested = models.BooleanField(default=False)  # asked for in the IVR (kept their place)
    reason = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                condition=Q(status="pending"),
                name="callback_one_pending_per_mobile",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["discom", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.mobile} ({self.status})"


class CallbackAttempt(models.Model):
    class Result(models.TextChoices):
        REACHED = "reached", _("Reached")
        COMPLAINT = "complaint", _("Complaint registered")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy / switched off")

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="tries")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()
    result = models.CharField(max_length=10, choices=Result.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.result} at {self.at:%Y-%m-%d %H:%M}"


class AgentStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_CALL = "on_call", _("On a call")
    WRAP_UP = "wrap_up", _("Wrap-up")
    BREAK = "break", _("On a break")
    OFFLINE = "offline", _("Signed out")


class AgentState(models.Model):
    """What an agent is doing now; the supervisor view and the IVR's wait estimate read it."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_state"
    )
    status = models.CharField(
        max_length=10, choices=AgentStatus.choices, default=AgentStatus.OFFLINE
    )
    since = models.DateTimeField()
    call = models.ForeignKey(Call, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.status}"


class RosterShift(models.Model):
    """An agent rostered on a discom's queue for a period; staffing shows it beside the need."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts"
    )
    discom = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["discom", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"
