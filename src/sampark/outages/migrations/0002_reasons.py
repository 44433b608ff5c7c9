"""Coded outage reasons with the words consumers are told (Hindi as UPPCL's notices put it)."""

from django.db import migrations

REASONS = [
    ("line_33kv_breakdown", "33 kV line breakdown", "33 केवी लाइन में ब्रेकडाउन"),
    ("feeder_11kv_trip", "11 kV feeder tripped", "11 केवी फीडर ट्रिप"),
    ("dt_burnt", "Transformer burnt", "ट्रांसफार्मर फुंक गया"),
    ("tree_fall", "Tree fallen on the line", "लाइन पर पेड़ गिरा"),
    ("maintenance_shutdown", "Shutdown for maintenance work", "अनुरक्षण कार्य हेतु शटडाउन"),
    (
        "sldc_rostering",
        "Rostering as directed by the State Load Despatch Centre",
        "राज्य भार प्रेषण केंद्र (SLDC) के निर्देश पर रोस्टरिंग",
    ),
    ("conductor_snapped", "Line conductor snapped", "लाइन का तार टूट गया"),
    ("insulator_failure", "Insulator failure", "इंसुलेटर खराब (पंक्चर)"),
    ("cable_fault", "Underground cable fault", "भूमिगत केबल में फॉल्ट"),
    (
        "transmission_constraint",
        "Constraint in the 132/220 kV transmission system",
        "132/220 केवी पारेषण तंत्र में बाधा",
    ),
    ("theft_damage", "Theft of or damage to line equipment", "लाइन उपकरण की चोरी या क्षति"),
    ("other", "Other technical fault", "अन्य तकनीकी खराबी"),
]


def load(apps, schema_editor):
    OutageReason = apps.get_model("outages", "OutageReason")
    for code, en, hi in REASONS:
        OutageReason.objects.update_or_create(code=code, defaults={"text_en": en, "text_hi": hi})


def unload(apps, schema_editor):
    OutageReason = apps.get_model("outages", "OutageReason")
    OutageReason.objects.filter(code__in=[code for code, _en, _hi in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("outages", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
