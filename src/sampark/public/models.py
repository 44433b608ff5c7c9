"""Zone stakeholder groups: who is in them, how they joined, what they were sent.

Each zone has one group (created when first needed). Its members are the people who subscribed
(by SMS/WhatsApp keyword, by the web form with an OTP, or added by an administrator) plus, computed
at send time and never copied here, the zone's JE/SDO/XEN. Bulletins are one row per outage event
and zone (what the public page lists), with one delivery row per recipient (the hourly cap and the
digest read these); the messages themselves are rows of the notifications outbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sampark.core.models import Language
from sampark.network.models import OrgLevel, OrgUnit
from sampark.outages.models import Outage, OutageEvent, OutageEventKind


class StakeholderRole(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    JOURNALIST = "journalist", _("Journalist")
    PUBLIC_REPRESENTATIVE = "public_representative", _("Public representative")
    OFFICER = "officer", _("Officer")


class MemberChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Every bulletin as it happens")
    DIGEST = "digest", _("One daily digest")


class JoinedVia(models.TextChoices):
    KEYWORD = "keyword", _("SMS/WhatsApp keyword")
    WEB = "web", _("Web form with OTP")
    ADMIN = "admin", _("Administrator")


class StakeholderGroup(models.Model):
    zone = models.OneToOneField(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="stakeholder_group",
        limit_choices_to={"level": OrgLevel.ZONE},
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stakeholder group")

    def __str__(self) -> str:
        return f"{self.zone.name_en} stakeholder group"


class StakeholderMember(models.Model):
    """One subscription of one mobile to one zone's group. Leaving keeps the row (history);
    joining again makes a new one."""

    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=120, blank=True)
    mobile = models.CharField(_("mobile"), max_length=16)  # E.164
    role = models.CharField(
        _("role"), max_length=24, choices=StakeholderRole.choices, default=StakeholderRole.CITIZEN
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.HINDI
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=MemberChannel.choices, default=MemberChannel.SMS
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    active = models.BooleanField(_("active"), default=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    joined_via = models.CharField(max_length=8, choices=JoinedVia.choices)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    # Secret of the member's own "leave this group" web link.
    leave_token = models.CharField(max_length=32, unique=True, editable=False)

    class Meta:
        verbose_name = _("stakeholder group member")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "mobile"],
                condition=Q(active=True),
                name="one_active_membership_per_mobile",
            ),
            models.CheckConstraint(
                condition=Q(active=True, left_at__isnull=True)
                | Q(active=False, left_at__isnull=False),
                name="member_active_until_left",
            ),
        ]
        indexes = [models.Index(fields=["mobile", "active"], name="member_mobile_idx")]

    def __str__(self) -> str:
        return f"{self.name or self.mobile} ({self.get_role_display()})"


class MemberEventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    UPDATED = "updated", _("Details changed")
    LEFT = "left", _("Left")


class StakeholderMemberEvent(models.Model):
    """Audit trail of a membership: written in the same transaction as the change."""

    member = models.ForeignKey(StakeholderMember, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=8, choices=MemberEventKind.choices)
    via = models.CharField(max_length=8, choices=JoinedVia.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} via {self.via}"


class StakeholderOtp(models.Model):
    """A pending web join: the details typed in and a hashed one-time code sent to the mobile.

    The member is created only when the right code comes back in time, within the attempts.
    """

    token = models.CharField(max_length=32, unique=True)  # names the verify page
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="+")
    mobile = models.CharField(max_length=16)
    name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=24, choices=StakeholderRole.choices)
    language = models.CharField(max_length=2, choices=Language.choices)
    channel = models.CharField(max_length=10, choices=MemberChannel.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    code_digest = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stakeholder join OTP")
        indexes = [models.Index(fields=["mobile", "created_at"], name="stakeholder_otp_mobile_idx")]

    def __str__(self) -> str:
        return f"OTP for {self.mobile} ({self.group_id})"


class FeedWatermark(models.Model):
    """How far one reader of the outage event feed has got.

    `last_event_id` is the highest event id processed; `gaps` holds ids below it that were not
    visible yet when it moved (a concurrent transaction had not committed), each with the time it
    was first missed, so a late commit is still processed once. Readers claim this row with a row
    lock, so two workers never process the same events.
    """

    reader = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.reader} at event {self.last_event_id}"


class Bulletin(models.Model):
    """One outage event told to one zone's group, in both languages."""

    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="bulletins")
    event = models.OneToOneField(OutageEvent, on_delete=models.CASCADE, related_name="+")
    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=OutageEventKind.choices)
    text_hi = models.TextField()
    text_en = models.TextField()
    recipients = models.PositiveIntegerField(default=0)  # sent now
    held = models.PositiveIntegerField(default=0)  # over the hourly cap: folded into the digest
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bulletin")
        indexes = [models.Index(fields=["group", "created_at"], name="bulletin_group_day_idx")]

    def __str__(self) -> str:
        return f"Bulletin {self.kind} of outage {self.outage_id}"

    def text_in(self, language: str) -> str:
        return self.text_hi if language == "hi" else self.text_en


class BulletinDelivery(models.Model):
    """One recipient of one bulletin: sent (an outbox row exists) or held over the hourly cap."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(max_length=16)
    channel = models.CharField(max_length=10, choices=MemberChannel.choices)
    language = models.CharField(max_length=2, choices=Language.choices)
    member = models.ForeignKey(
        StakeholderMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "recipient"], name="one_bulletin_delivery_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "created_at"], name="bulletin_recipient_hour_idx"),
            models.Index(
                fields=["bulletin"],
                condition=Q(held=True, digested_at__isnull=True),
                name="bulletin_held_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ({'held' if self.held else 'sent'})"


class DigestRun(models.Model):
    """The daily digest of one group: at most one per local day, covering events since the
    previous one."""

    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    summary_hi = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("daily digest")
        constraints = [
            models.UniqueConstraint(fields=["group", "day"], name="one_digest_per_group_day")
        ]

    def __str__(self) -> str:
        return f"Digest {self.day} of group {self.group_id}"


class PressBulletin(models.Model):
    """A discom's daily press bulletin: the previous day's outages, restoration times and
    complaint figures, and the position when issued. Kept as issued: the figures (JSON) and
    the text in both languages."""

    discom = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": OrgLevel.DISCOM},
    )
    day = models.DateField()  # the local date of issue; it covers the day before
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    figures = models.JSONField(default=dict)
    text_hi = models.TextField()
    text_en = models.TextField()
    issued_at = models.DateTimeField()
    issued_via = models.CharField(max_length=12)  # scheduler | command

    class Meta:
        verbose_name = _("press bulletin")
        constraints = [
            models.UniqueConstraint(fields=["discom", "day"], name="one_press_bulletin_per_day")
        ]

    def __str__(self) -> str:
        return f"Press bulletin {self.day} of {self.discom_id}"

    def text_in(self, language: str) -> str:
        return self.text_hi if language == "hi" else self.text_en
