from django.db import migrations


def load(apps, schema_editor):
    from sampark.complaints.sla_defaults import default_rows

    SlaPolicy = apps.get_model("complaints", "SlaPolicy")
    for row in default_rows():
        key = {k: row[k] for k in ("category", "area_type", "a_class_city")}
        SlaPolicy.objects.get_or_create(**key, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
