"""The utility's two trees.

Administrative: State > Discom > Zone > Circle > Division > Sub-division, one materialized-path
tree (`OrgUnit`), so "everything under zone X" is `path LIKE 'X%'` on one index.
Electrical: Substation (in a sub-division) > Feeder > Distribution transformer > Consumer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from sampark.core.models import AreaType


class OrgLevel(models.TextChoices):
    STATE = "state", _("State")
    DISCOM = "discom", _("Discom")
    ZONE = "zone", _("Zone")
    CIRCLE = "circle", _("Circle")
    DIVISION = "division", _("Division")
    SUBDIVISION = "subdivision", _("Sub-division")


LEVEL_DEPTH = {level: depth for depth, level in enumerate(OrgLevel.values, start=1)}


class OrgUnit(MP_Node):
    level = models.CharField(max_length=12, choices=OrgLevel.choices)
    code = models.CharField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_hi = models.CharField(max_length=120, blank=True)
    # Cities with tighter service limits (Lucknow, Kanpur, Prayagraj, Varanasi, Agra). Set on the
    # node that covers the city; everything below inherits it (see `is_a_class_city`).
    a_class_city = models.BooleanField(default=False)
    # Short prefix of complaint numbers; set on discoms only.
    complaint_prefix = models.CharField(max_length=4, blank=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("organisation unit")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.get_level_display()})"

    def name_in(self, language: str) -> str:
        return self.name_hi if language == "hi" and self.name_hi else self.name_en

    def ancestor_paths(self, *, include_self: bool = False) -> list[str]:
        """Paths of every node above this one (materialized paths: the prefixes of ours)."""
        end = len(self.path) + (1 if include_self else 0)
        return [self.path[:i] for i in range(self.steplen, end, self.steplen)]

    def is_a_class_city(self) -> bool:
        if self.a_class_city:
            return True
        return OrgUnit.objects.filter(path__in=self.ancestor_paths(), a_class_city=True).exists()

    def discom(self) -> OrgUnit:
        discom_path = self.path[: self.steplen * LEVEL_DEPTH[OrgLevel.DISCOM]]
        return OrgUnit.objects.get(path=discom_path)


class FeederNature(models.TextChoices):
    AGRICULTURE = "AGRICULTURE", _("Agriculture")
    INDEPENDENT = "INDEPENDENT", _("Independent")
    INDUSTRIAL = "INDUSTRIAL ABOVE 75%", _("Industrial above 75%")
    MIXED_25 = "MIXED ABOVE 25%", _("Mixed above 25%")
    MIXED_50 = "MIXED ABOVE 50%", _("Mixed above 50%")
    OTHER = "OTHER", _("Other")
    SPARE = "SPARE", _("Spare")
    SUBSTATION = "SUBSTATION", _("Substation")


class Substation(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_hi = models.CharField(max_length=120, blank=True)
    subdivision = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="substations",
        limit_choices_to={"level": OrgLevel.SUBDIVISION},
    )
    voltage = models.CharField(max_length=16, default="33/11 kV")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name_en} S/S ({self.code})"


class Feeder(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_hi = models.CharField(max_length=120, blank=True)
    substation = models.ForeignKey(Substation, on_delete=models.PROTECT, related_name="feeders")
    area_type = models.CharField(max_length=6, choices=AreaType.choices)
    nature = models.CharField(
        max_length=24, choices=FeederNature.choices, default=FeederNature.MIXED_50
    )
    voltage = models.CharField(max_length=16, default="11 kV")

    def __str__(self) -> str:
        return f"{self.name_en} feeder ({self.code})"


class DistributionTransformer(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    feeder = models.ForeignKey(Feeder, on_delete=models.PROTECT, related_name="transformers")
    capacity_kva = models.PositiveIntegerField(default=100)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("distribution transformer")

    def __str__(self) -> str:
        return f"DT {self.name} ({self.code})"
