"""`IdempotencyKey` moves here from `checkout`, state only: the table `checkout_idempotencykey` stays as it is."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("apibase", "0001_websocket_tickets"),
        ("checkout", "0001_idempotency_key"),  # the table exists
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=200)),
                        ("key", models.CharField(max_length=255)),
                        ("fingerprint", models.CharField(help_text="SHA-256 of method, path and body.", max_length=64)),
                        (
                            "state",
                            models.CharField(
                                choices=[("running", "Running"), ("done", "Done")], default="running", max_length=10
                            ),
                        ),
                        ("response_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("response_body", models.JSONField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={
                        "db_table": "checkout_idempotencykey",
                        "constraints": [
                            models.UniqueConstraint(fields=("scope", "key"), name="checkout_idempotency_scope_key")
                        ],
                    },
                ),
            ],
        ),
    ]
