"""Rollups the review dashboards read, maintained incrementally from the complaint audit trail.

Rollup rows carry additive measures (see MEASURES), so any set of rows sums to the figures
of its union; resolution times are counted per histogram bucket (ResolutionDay, buckets.py).
Keys are plain integers (no foreign keys): rows are written set-based by rollup.py, and a JE
of 0 means "nobody".
Days and hours are local (settings.TIME_ZONE, Asia/Kolkata).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .pack_storage import PackStorage, pack_file_path

# Additive counts, in the order rollup.py computes them.
MEASURES = (
    "received",
    "resolved",
    "resolved_within_sla",
    "closed_confirmed",
    "closed_unconfirmed",
    "reopened",
    "resolution_rejected",
    "breached",
    "escalations",
    "ratings_count",
    "ratings_sum",
    "resolution_seconds",
)


class Measures(models.Model):
    received = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_within_sla = models.IntegerField(default=0)
    closed_confirmed = models.IntegerField(default=0)
    closed_unconfirmed = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    resolution_rejected = models.IntegerField(default=0)
    breached = models.IntegerField(default=0)
    escalations = models.IntegerField(default=0)
    ratings_count = models.IntegerField(default=0)
    ratings_sum = models.IntegerField(default=0)
    resolution_seconds = models.BigIntegerField(default=0)  # sum over `resolved`

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}: {self.received} received"


class ComplaintHour(Measures):
    """Finest grain: local hour x answerable unit (a sub-division, or the state for complaints of
    unknown place) x assignee at the time x category x channel. Kept for the last HOUR_DAYS
    days only (hourly views of today and yesterday): a year of hours would have about one row
    per two audit events; the pages read the day tables."""

    day = models.DateField()
    hour = models.PositiveSmallIntegerField()
    unit = models.IntegerField()
    je = models.IntegerField(default=0)
    category = models.CharField(max_length=24)
    channel = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "hour", "je", "category", "channel"],
                name="review_hour_key",
            )
        ]


class ComplaintDay(Measures):
    """Local day x org unit at every level (state, discom, ... sub-division: each complaint is
    counted under each of its ancestors) x category: a discom page reads its own and its zones'
    rows only, whatever the number of complaints below them."""

    day = models.DateField()
    unit = models.IntegerField()
    category = models.CharField(max_length=24)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "category"], name="review_day_key")
        ]


class ChannelDay(models.Model):
    """Complaints received per local day x org unit at every level x channel (the channel
    shares; nothing else is cut by channel)."""

    day = models.DateField()
    unit = models.IntegerField()
    channel = models.CharField(max_length=12)
    received = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "channel"], name="review_channel_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit} {self.channel}: {self.received}"


class OfficerDay(Measures):
    """Local day x answerable unit x assignee: the JE rows and the accountability ranking."""

    day = models.DateField()
    unit = models.IntegerField()
    je = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "je"], name="review_officer_day_key")
        ]


ROLLED_UP = -1  # ResolutionDay.je of rows summed from the level below


class ResolutionDay(models.Model):
    """Resolutions per local day x org unit at every level x resolution-time bucket
    (buckets.py): medians and 90th percentiles add up across units and days. At the answerable
    unit the row also names the JE (0: nobody); rows rolled up to the levels above carry -1."""

    day = models.DateField()
    unit = models.IntegerField()
    je = models.IntegerField(default=ROLLED_UP)
    bucket = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "je", "bucket"], name="review_resolution_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit} {self.je} bucket {self.bucket}: {self.count}"


class Watermark(models.Model):
    """The last audit event folded into the rollups; advanced in the same transaction."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_id}"


class OutageRecord(models.Model):
    """One outage's figures, kept by the rollup task (the outage register has no consumer
    count): consumers interrupted, consumer-seconds without supply, first and last ETR,
    notices sent and delivered. Final once restored (or cancelled) for NOTICE_SETTLE_HOURS."""

    outage_id = models.BigIntegerField(primary_key=True)
    unit = models.IntegerField()  # the outage's sub-division
    kind = models.CharField(max_length=14)
    status = models.CharField(max_length=10)
    starts_at = models.DateTimeField()
    restored_at = models.DateTimeField(null=True, blank=True)
    first_etr = models.DateTimeField(null=True, blank=True)
    last_etr = models.DateTimeField(null=True, blank=True)
    consumers = models.IntegerField(default=0)
    consumer_seconds = models.BigIntegerField(default=0)
    notices_sent = models.IntegerField(default=0)
    notices_delivered = models.IntegerField(default=0)
    final = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="review_outage_unit_idx"),
            models.Index(fields=["final"], name="review_outage_final_idx"),
        ]

    def __str__(self) -> str:
        return f"outage {self.outage_id}: {self.consumers} consumers"


class ServedConsumers(models.Model):
    """Consumers connected per sub-division (SAIFI/SAIDI denominators), counted daily."""

    unit = models.IntegerField(unique=True)
    consumers = models.IntegerField()
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("consumers served")
        verbose_name_plural = _("consumers served")

    def __str__(self) -> str:
        return f"{self.unit}: {self.consumers}"


# --- the daily review pack (pack*.py, docs/review-pack.md) -------------------------------------


class ReviewPack(models.Model):
    """One discom's daily review pack for one local day: PDF and XLSX, both languages on every
    page (`language` first). `error` says why files are missing when generating failed."""

    discom = models.ForeignKey(
        "network.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "discom"},
    )
    day = models.DateField()  # the local day reviewed (the morning run makes yesterday's)
    language = models.CharField(max_length=2, choices=[("hi", "हिन्दी"), ("en", "English")])
    pdf = models.FileField(storage=PackStorage(), upload_to=pack_file_path, blank=True)
    xlsx = models.FileField(storage=PackStorage(), upload_to=pack_file_path, blank=True)
    generated_at = models.DateTimeField()
    generated_via = models.CharField(max_length=12)  # scheduler | command
    emailed_to = models.JSONField(default=list, blank=True)  # addresses the mail was queued for
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("review pack")
        constraints = [
            models.UniqueConstraint(
                fields=["discom", "day", "language"], name="one_review_pack_per_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="review_pack_day_idx")]

    def __str__(self) -> str:
        return f"Review pack {self.day} of {self.discom_id} ({self.language})"
