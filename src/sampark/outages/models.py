"""The outage register: what is off, why, until when, and every change to it.

`OutageEvent` is also the feed other apps read (with their own watermark) to react to outages:
complaints linked to an outage, zone stakeholder bulletins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sampark.consumers.models import Consumer
from sampark.core import clock
from sampark.network.models import DistributionTransformer, Feeder, OrgUnit, Substation


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("Planned shutdown")
    UNPLANNED = "unplanned", _("Fault / trip")
    LOAD_SHEDDING = "load_shedding", _("Load-shedding (rostering)")


class OutageSource(models.TextChoices):
    FIELD = "field", _("Field staff")
    SCADA = "scada", _("SCADA / control-room API")
    INFERRED = "inferred", _("Inferred from complaints")


class OutageStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ACTIVE = "active", _("Supply off")
    RESTORED = "restored", _("Restored")
    CANCELLED = "cancelled", _("Cancelled")


class OutageReason(models.Model):
    """Coded reasons with the words consumers are told, in Hindi and English."""

    code = models.CharField(max_length=40, unique=True)
    text_en = models.CharField(max_length=160)
    text_hi = models.CharField(max_length=160)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.text_en

    def text_in(self, language: str) -> str:
        return self.text_hi if language == "hi" else self.text_en


class Outage(models.Model):
    kind = models.CharField(max_length=14, choices=OutageKind.choices)
    status = models.CharField(max_length=10, choices=OutageStatus.choices)
    reason = models.ForeignKey(OutageReason, on_delete=models.PROTECT, related_name="+")
    reason_note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=OutageSource.choices)
    # Short-notice planned work (less than 24 h) is allowed only when marked an emergency.
    emergency = models.BooleanField(default=False)

    # The sub-division answerable for it (scoping, SDO alerts) and its zone (stakeholder group).
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="outages")
    zone = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

    starts_at = models.DateTimeField()
    etr = models.DateTimeField(help_text=_("Estimated time of restoration"))
    restored_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the ETR passed without restoration; cleared by a new ETR.
    overdue_since = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_via = models.CharField(max_length=80, blank=True)  # "api:<token name>", "staff"
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "etr"]),
            models.Index(fields=["status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"Outage {self.pk} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        """Supply still off past the ETR (whether or not the sweep has flagged it yet)."""
        return self.status == OutageStatus.ACTIVE and self.etr < clock.now()


class OutageScope(models.Model):
    """One element of an outage's scope: a whole substation, a feeder or a DT.

    Partial restoration stamps `restored_at` on some elements; the outage is restored when all are.
    """

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="scope")
    substation = models.ForeignKey(
        Substation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feeder = models.ForeignKey(
        Feeder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dt = models.ForeignKey(
        DistributionTransformer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(substation__isnull=False, feeder__isnull=True, dt__isnull=True)
                    | Q(substation__isnull=True, feeder__isnull=False, dt__isnull=True)
                    | Q(substation__isnull=True, feeder__isnull=True, dt__isnull=False)
                ),
                name="outage_scope_exactly_one_element",
            )
        ]
        indexes = [
            models.Index(fields=["feeder", "restored_at"]),
            models.Index(fields=["substation", "restored_at"]),
            models.Index(fields=["dt", "restored_at"]),
        ]

    def __str__(self) -> str:
        element = self.substation or self.feeder or self.dt
        return f"{element} in outage {self.outage_id}"


class OutageEventKind(models.TextChoices):
    ANNOUNCED = "announced", _("Planned outage announced")
    DECLARED = "declared", _("Supply off")
    REMINDED = "reminded", _("Reminder before planned work")
    ETR_REVISED = "etr_revised", _("Restoration time revised")
    OVERDUE = "overdue", _("Restoration time passed")
    PARTLY_RESTORED = "partly_restored", _("Supply partly restored")
    RESTORED = "restored", _("Supply restored")
    CANCELLED = "cancelled", _("Planned outage cancelled")


class OutageEvent(models.Model):
    """Audit trail of an outage and the feed other apps react to (by ascending id)."""

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=OutageEventKind.choices)
    etr = models.DateTimeField(null=True, blank=True)  # the ETR in force after this event
    # Scope elements this event concerns (partial restoration), as OutageScope ids.
    scope_ids = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} of outage {self.outage_id}"


class ReportKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complained of no supply")
    REQUEST = "request", _("Asked to be told of restoration")


class OutageReport(models.Model):
    """A consumer told of this outage's restoration even without broadcast consent: one who
    complained of no supply inside it (written by the complaints app when it links a complaint),
    or one who asked to be told ("SMS me when restored" in the IVR). One per consumer."""

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="reports")
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        max_length=10,
        choices=ReportKind.choices,
        default=ReportKind.COMPLAINT,
        db_default=ReportKind.COMPLAINT,
    )
    complaint_number = models.CharField(max_length=24, blank=True)  # blank for a request
    # The number the complainant gave (consumers without a mobile on file call from one);
    # blank: the consumer's registered mobile.
    mobile = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outage", "consumer"], name="one_report_per_consumer")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_number or self.kind} in outage {self.outage_id}"
