from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AreaType(models.TextChoices):
    """Supply area of a feeder; decides service-standard limits."""

    URBAN = "URBAN", "Urban"
    TEHSIL = "TEHSIL", "Tehsil"
    RURAL = "RURAL", "Rural"


class Language(models.TextChoices):
    HINDI = "hi", "हिन्दी"
    ENGLISH = "en", "English"
