"""Complaints, their audit trail, numbering and the service-standard (SLA) policy."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import Role
from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.core.models import AreaType, Language
from sampark.network.models import DistributionTransformer, Feeder, OrgUnit
from sampark.outages.models import Outage


class Category(models.TextChoices):
    """DESIGN.md section 4 rows."""

    NO_SUPPLY = "no_supply", _("No supply")
    LINE_BREAKDOWN = "line_breakdown", _("Overhead line breakdown")
    DT_FAILURE = "dt_failure", _("Distribution transformer failure")
    UG_CABLE = "ug_cable", _("Underground cable fault")
    SUBSTATION_LOW_VOLTAGE = "substation_low_voltage", _("Substation failure / low voltage")
    VOLTAGE_FLUCTUATION = "voltage_fluctuation", _("Voltage fluctuation")
    METER = "meter", _("Meter defective / replacement")
    BILL_READING = "bill_reading", _("Wrong meter reading / bill")
    NEW_CONNECTION = "new_connection", _("New connection")
    SAFETY_HAZARD = "safety_hazard", _("Safety hazard")
    CALL_CENTRE_NO_RESPONSE = "call_centre_no_response", _("Call centre gave no response")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    IVR = "ivr", _("1912 IVR")
    AGENT = "agent", _("1912 agent")
    CHATBOT_WEB = "chatbot_web", _("Web chat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Website")
    OPEN311 = "open311", _("Open311")
    API = "api", _("API")
    FIELD = "field", _("Field staff")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CONSUMER = "waiting_consumer", _("Waiting for the consumer")
    RESOLVED = "resolved", _("Resolved, awaiting the consumer's confirmation")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    CANCELLED = "cancelled", _("Cancelled")
    DUPLICATE = "duplicate", _("Duplicate")


# A complaint in one of these states still needs work from the utility (or the consumer's word).
OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING_CONSUMER,
    Status.RESOLVED,
    Status.REOPENED,
)
# The SLA clock runs in these: not while waiting on the consumer, not once the field resolved it.
SLA_RUNNING_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)
_open = Q(status__in=OPEN_STATUSES)


class Closure(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by the consumer")
    UNCONFIRMED = "unconfirmed", _("Closed without the consumer's answer")


class Complaint(models.Model):
    number = models.CharField(max_length=24, unique=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    category = models.CharField(max_length=24, choices=Category.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    description = models.TextField(blank=True)

    consumer = models.ForeignKey(
        Consumer, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    # For callers who are not (or not yet) registered consumers.
    contact_name = models.CharField(max_length=120, blank=True)
    contact_mobile = models.CharField(max_length=16, null=True, blank=True)
    location_text = models.CharField(max_length=300, blank=True)

    # Where on the network the complaint lies (resolved from the consumer or given by the caller).
    dt = models.ForeignKey(
        DistributionTransformer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feeder = models.ForeignKey(
        Feeder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subdivision = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    # The org unit answerable for the complaint: its sub-division when the location is known,
    # else the state node (so the state-wide 1912 desk sees it). Scoping filters on its path.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    area_type = models.CharField(max_length=6, choices=AreaType.choices)
    is_a_class = models.BooleanField(default=False)

    # A no-supply complaint inside a known outage: answered with its reason and ETR, no field visit,
    # resolved (awaiting the consumer's word) when the outage is restored.
    outage = models.ForeignKey(
        Outage, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_complaints",
    )

    registered_at = models.DateTimeField()
    due_at = models.DateTimeField()
    sla_hours = models.PositiveIntegerField()
    paused_seconds = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    # Set once by the SLA sweep when an open complaint passes its due time.
    sla_breached_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How it was closed: on the consumer's word, or by the sweep when they never answered.
    closure = models.CharField(
        max_length=12, choices=Closure.choices, blank=True, default="", db_default=""
    )
    # The escalation ladder (EscalationRule): the last level reached (0: only the assignee knows)
    # and when the next level is due; the sweep is one indexed range scan on the latter.
    # Database defaults too: bulk loaders (benchmarks, importers) insert rows with plain SQL.
    escalation_level = models.PositiveSmallIntegerField(default=0, db_default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # At most one open complaint per consumer and category: the database, not a
            # Python check, decides which of two simultaneous identical requests wins.
            models.UniqueConstraint(
                fields=["consumer", "category"],
                condition=_open & Q(consumer__isnull=False),
                name="one_open_complaint_per_consumer_category",
            ),
            models.UniqueConstraint(
                fields=["contact_mobile", "category"],
                condition=_open & Q(consumer__isnull=True, contact_mobile__isnull=False),
                name="one_open_complaint_per_caller_category",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["assigned_to", "status"]),
            # Windows of registration time: Open311 GET, press bulletins, the staff list's filter.
            models.Index(fields=["registered_at"], name="complaint_registered_idx"),
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(next_escalation_at__isnull=False),
                name="complaint_escalation_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Past its due time while the SLA clock runs (same rule as the overdue filter)."""
        return self.status in SLA_RUNNING_STATUSES and self.due_at < clock.now()


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    TRANSITION = "transition", _("Status changed")
    NOTE = "note", _("Note")
    DUPLICATE_REQUEST = "duplicate_request", _("Repeated request")
    SLA_BREACHED = "sla_breached", _("Time limit passed")
    FEEDBACK = "feedback", _("Consumer's rating")
    ESCALATED = "escalated", _("Escalated")
    EXPLANATION = "explanation", _("Explanation")
    CONFIRMATION_SENT = "confirmation_sent", _("Confirmation requested")
    NEEDS_OTHER_TEAM = "needs_other_team", _("Needs another team")
    RESOLUTION_REJECTED = "resolution_rejected", _("Resolution rejected by the consumer")
    COMPENSATION_CLAIMED = "compensation_claimed", _("Compensation claimed")


class ComplaintEvent(models.Model):
    """Audit trail: one row per change, written in the same transaction as the change."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who acted when no staff user did: "consumer", "system", "api:<token name>".
    actor_label = models.CharField(max_length=80, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}>{self.to_status} at {self.created_at:%Y-%m-%d}"


class ComplaintSequence(models.Model):
    """Last complaint number handed out per discom prefix and day."""

    prefix = models.CharField(max_length=4)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="one_sequence_per_prefix_day")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day}: {self.last}"


class SlaPolicy(models.Model):
    """Time limit per category x area type x A-class city (DESIGN.md section 4), as data."""

    category = models.CharField(max_length=24, choices=Category.choices)
    area_type = models.CharField(max_length=6, choices=AreaType.choices)
    a_class_city = models.BooleanField(default=False)
    hours = models.PositiveIntegerField(help_text=_("Resolution limit from registration, hours"))
    compensation_per_day = models.PositiveIntegerField(
        default=0, help_text=_("Rupees per day of delay owed under the SoP regulations")
    )
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "area_type", "a_class_city"], name="one_sla_per_cell"
            )
        ]

    def __str__(self) -> str:
        city = " A-class" if self.a_class_city else ""
        return f"{self.get_category_display()} / {self.area_type}{city}: {self.hours} h"


class ComplaintFeedback(models.Model):
    """The consumer's rating (1-5) of how a closed complaint was handled: one per complaint."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.number}: {self.rating}"


class ClaimStatus(models.TextChoices):
    LODGED = "lodged", _("Lodged")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class ClaimSource(models.TextChoices):
    CONSUMER = "consumer", _("Lodged by the consumer")
    AUTOMATIC = "automatic", _("Raised automatically")


class CompensationClaim(models.Model):
    """A consumer's claim for compensation on a complaint resolved late (UPERC Standards of
    Performance). The amount is worked out from the SLA policy's per-day rate by the
    compensation rules; until then it is empty."""

    number = models.CharField(max_length=28, unique=True)
    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="compensation_claim"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.LODGED
    )
    source = models.CharField(
        max_length=10, choices=ClaimSource.choices, default=ClaimSource.CONSUMER
    )
    # Worked out under the SoP rules: days late x the policy's rate, capped at 30% of the
    # consumer's annual fixed charges. Kept as computed, so the register shows how.
    days_late = models.PositiveIntegerField(null=True, blank=True)
    rate_per_day = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    lodged_at = models.DateTimeField()
    pay_by = models.DateTimeField(null=True, blank=True)  # lodged + 60 days (regulation)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return self.number


class EscalationRule(models.Model):
    """One rung of the escalation ladder, as data: once an open complaint has run `multiple` times
    its time limit, the officer of `role` over its place is told, once, and asked to explain."""

    level = models.PositiveSmallIntegerField(unique=True)  # 1 = first rung above the JE
    role = models.CharField(max_length=12, choices=Role.choices)
    multiple = models.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("Of the time limit, from registration")
    )
    explanation_hours = models.PositiveIntegerField(
        default=24, help_text=_("Time the officer has to explain the delay")
    )

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.level}: {self.role} at {self.multiple}x"


class ComplaintEscalation(models.Model):
    """A complaint reaching a rung: at most one row per complaint and level (notified once)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=12, choices=Role.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "level"], name="one_escalation_per_level"),
        ]
        indexes = [models.Index(fields=["officer", "notified_at"], name="escalation_officer_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: level {self.level} ({self.role})"


class Explanation(models.Model):
    """The "responsibility fixed" register: an officer asked why a complaint is overdue, and
    their reply or its absence (no reply by `due_at`)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="explanations")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="explanations"
    )
    level = models.PositiveSmallIntegerField(default=0)  # 0: the assignee at breach
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "officer"], name="one_explanation_each"),
        ]
        indexes = [models.Index(fields=["officer", "replied_at"], name="explanation_officer_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.officer_id} level {self.level}"


class ConfirmationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the consumer")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    LOCKED = "locked", _("Too many wrong codes")
    EXPIRED = "expired", _("No answer in time")


class ClosureConfirmation(models.Model):
    """The consumer's word on one resolution: an OTP by SMS (given to the field team or sent
    back) or a yes/no on WhatsApp, chat or IVR. A new resolution gets a new row."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="confirmations")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    otp_hash = models.CharField(max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ConfirmationStatus.choices, default=ConfirmationStatus.PENDING
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(status="pending"),
                name="one_pending_confirmation",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="confirmation_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.status}"


def _photo_path(instance: ComplaintPhoto, filename: str) -> str:
    # Never the uploader's file name: it can carry anything; the complaint number is enough.
    return f"complaints/{instance.complaint.number}/{clock.now():%Y%m%d%H%M%S%f}.jpg"


class ComplaintPhoto(models.Model):
    """A photo the field team attached (usually of the repaired fault), with the event it
    belongs to."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        ComplaintEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    image = models.ImageField(upload_to=_photo_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.image.name}"
