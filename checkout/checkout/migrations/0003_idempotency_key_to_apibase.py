"""`IdempotencyKey` now lives in `apibase` (its 0002): removed from checkout's state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0002_tax_rate"),
        ("apibase", "0002_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
        ),
    ]
