"""The default escalation ladder (sampark.complaints.escalation_defaults)."""

from django.db import migrations


def load(apps, schema_editor):
    from sampark.complaints.escalation_defaults import EXPLANATION_HOURS, LADDER

    rule = apps.get_model("complaints", "EscalationRule")
    for level, role, multiple in LADDER:
        rule.objects.update_or_create(
            level=level,
            defaults={"role": role, "multiple": multiple, "explanation_hours": EXPLANATION_HOURS},
        )


def unload(apps, schema_editor):
    from sampark.complaints.escalation_defaults import LADDER

    apps.get_model("complaints", "EscalationRule").objects.filter(
        level__in=[level for level, _role, _m in LADDER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_resolution")]

    operations = [migrations.RunPython(load, unload)]
