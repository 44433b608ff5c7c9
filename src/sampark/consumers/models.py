"""The consumer registry."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sampark.core.models import AreaType, Language, TimeStampedModel
from sampark.network.models import DistributionTransformer, Feeder, OrgUnit

ACCOUNT_NUMBER_RE = r"^\d{10}$"
account_number_validator = RegexValidator(
    ACCOUNT_NUMBER_RE, _("An account number has exactly 10 digits.")
)


class ConsumerCategory(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    COMMERCIAL = "commercial", _("Commercial")
    INDUSTRIAL = "industrial", _("Industrial")
    AGRICULTURAL = "agricultural", _("Agricultural")


class Consumer(TimeStampedModel):
    account_number = models.CharField(
        max_length=10, unique=True, validators=[account_number_validator]
    )
    name = models.CharField(max_length=120)
    # E.164 (+91XXXXXXXXXX); about 70% of UP consumers have none on file.
    mobile = models.CharField(max_length=16, null=True, blank=True, db_index=True)
    alt_mobile = models.CharField(max_length=16, null=True, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    category = models.CharField(
        max_length=12, choices=ConsumerCategory.choices, default=ConsumerCategory.DOMESTIC
    )
    # Annual fixed (demand) charges in rupees: SoP compensation is capped at 30% of it.
    annual_fixed_charges = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, db_default=0
    )
    consent_sms = models.BooleanField(default=False)
    consent_whatsapp = models.BooleanField(default=False)
    address = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    dt = models.ForeignKey(
        DistributionTransformer, on_delete=models.PROTECT, related_name="consumers"
    )
    # Derived from `dt` when the consumer is written (services/importers), kept on the row so
    # that outage fan-out and jurisdiction scoping are single-join queries at 3.46 crore rows.
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="consumers")
    subdivision = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="consumers")
    area_type = models.CharField(max_length=6, choices=AreaType.choices)
    is_a_class = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.account_number})"


class OtpPurpose(models.TextChoices):
    COMPLAINT = "complaint", _("Website complaint")
    MOBILE_REGISTER = "mobile_register", _("Mobile registration")


class OtpStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the code")
    USED = "used", _("Used")
    LOCKED = "locked", _("Locked after wrong codes")
    REPLACED = "replaced", _("Replaced by a newer code")


class MobileChannel(models.TextChoices):
    """Where a mobile was proved or registered from."""

    WEB = "web", _("Website")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    CHATBOT = "chatbot", _("Chatbot")
    MISSED_CALL = "missed_call", _("Missed call")
    AGENT = "agent", _("1912 agent or office")
    ADMIN = "admin", _("Admin site")
    IMPORT = "import", _("Consumer import (billing system)")


class MobileChallenge(models.Model):
    """One proof of a mobile in progress (docs/mobile-registration.md).

    A code goes to `mobile` (none when the channel itself vouches for the number: an SMS or
    WhatsApp message from it), and, when an account's mobile on file is being replaced by
    self-service, a second code to `old_mobile`. Codes are stored hashed (consumers.otp);
    `attempts` counts wrong submissions of either, and the third locks the challenge.
    `token` names it in a session, a chat's context or a staff URL; never shown to others.
    """

    token = models.CharField(max_length=43, unique=True)
    purpose = models.CharField(max_length=16, choices=OtpPurpose.choices)
    channel = models.CharField(max_length=12, choices=MobileChannel.choices)
    status = models.CharField(max_length=10, choices=OtpStatus.choices, default=OtpStatus.PENDING)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    mobile = models.CharField(max_length=16)
    otp_hash = models.CharField(max_length=100, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Registration: the account, and the mobile on file when asked (must still be on file at
    # the end, or someone else changed it meanwhile).
    consumer = models.ForeignKey(
        Consumer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    old_mobile = models.CharField(max_length=16, blank=True)
    old_otp_hash = models.CharField(max_length=100, blank=True)
    old_verified_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sends = models.PositiveSmallIntegerField(default=1)
    # The agent path: who checked the caller, and how (replaces the account proof and the old
    # mobile's code).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=500, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The per-mobile hourly limit counts codes sent to a number, new or old.
            models.Index(fields=["mobile", "sent_at"], name="mobilechallenge_mobile_idx"),
            models.Index(
                fields=["old_mobile", "sent_at"],
                condition=~models.Q(old_mobile=""),
                name="mobilechallenge_old_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} …{self.mobile[-4:]}"

    @property
    def satisfied(self) -> bool:
        """Every code asked for has come back right (none asked: the channel vouched)."""
        new_ok = not self.otp_hash or self.verified_at is not None
        old_ok = not self.old_otp_hash or self.old_verified_at is not None
        return new_ok and old_ok


class MobileChangeKind(models.TextChoices):
    REGISTERED = "registered", _("Registered (no mobile before)")
    CHANGED = "changed", _("Changed")
    VERIFIED = "verified", _("Same mobile verified")
    REMOVED = "removed", _("Removed")


class MobileProof(models.TextChoices):
    """What proved the right to set the account's mobile, besides the new mobile's own proof."""

    ACCOUNT_DETAILS = "account_details", _("Account number and name on the bill")
    OLD_MOBILE = "old_mobile", _("Code sent to the old mobile")
    STAFF_CHECK = "staff_check", _("Checked by staff")
    BILLING_RECORD = "billing_record", _("The billing system's record")


class MobileChange(models.Model):
    """The audit log of consumers' mobiles: one row per registration, change or re-verification.

    Numbers are kept masked (last four digits) with a keyed digest, so the log answers "was this
    number ever on this account?" for a number someone brings, without listing numbers.
    """

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="mobile_changes")
    kind = models.CharField(max_length=10, choices=MobileChangeKind.choices)
    channel = models.CharField(max_length=12, choices=MobileChannel.choices)
    proof = models.CharField(max_length=16, choices=MobileProof.choices)
    old_mobile_masked = models.CharField(max_length=20, blank=True)
    old_mobile_digest = models.CharField(max_length=64, blank=True)
    new_mobile_masked = models.CharField(max_length=20)
    new_mobile_digest = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    note = models.CharField(max_length=500, blank=True)
    challenge = models.ForeignKey(
        MobileChallenge, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["consumer", "created_at"], name="mobilechange_consumer_idx")
        ]

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.kind} {self.new_mobile_masked}"
