"""The consumer registry."""

from __future__ import annotations

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
