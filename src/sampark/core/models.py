from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AreaType(models.TextChoices):
    """Supply area of a feeder; decides service-standard limits."""

    URBAN = "URBAN", _("Urban")
    TEHSIL = "TEHSIL", _("Tehsil")
    RURAL = "RURAL", _("Rural")


class Language(models.TextChoices):
    HINDI = "hi", "हिन्दी"
    ENGLISH = "en", "English"
