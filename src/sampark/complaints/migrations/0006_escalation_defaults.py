"""The default escalation ladder: SDO at the time limit, then XEN, SE, CE and MD at 1.5, 2, 3
and 4 times it. Administrators change these rows in the admin."""

from decimal import Decimal

from django.db import migrations

LADDER = [
    (1, "sdo", Decimal("1.00")),
    (2, "xen", Decimal("1.50")),
    (3, "se", Decimal("2.00")),
    (4, "ce", Decimal("3.00")),
    (5, "md", Decimal("4.00")),
]


def load(apps, schema_editor):
    rule = apps.get_model("complaints", "EscalationRule")
    for level, role, multiple in LADDER:
        rule.objects.update_or_create(
            level=level, defaults={"role": role, "multiple": multiple, "explanation_hours": 24}
        )


def unload(apps, schema_editor):
    apps.get_model("complaints", "EscalationRule").objects.filter(
        level__in=[level for level, _role, _m in LADDER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_resolution")]

    operations = [migrations.RunPython(load, unload)]
