from django.db import migrations, models

from sampark.core.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("complaints", "0008_db_defaults"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="complaint",
            index=models.Index(fields=["registered_at"], name="complaint_registered_idx"),
        ),
    ]
