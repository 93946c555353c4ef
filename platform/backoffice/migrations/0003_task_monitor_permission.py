"""The task monitor's permission (a model without a table) and the Operations role that holds it."""

from importlib import import_module

from django.db import migrations, models

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_roles_for_later_models"),
        ("sideeffects", "0002_outbox_messages_plural"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskMonitor",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
            options={
                "verbose_name": "task monitor",
                "permissions": [
                    ("operate_task_monitor", "Can see and operate the task monitor (workers, queue, outbox)")
                ],
                "managed": False,
                "default_permissions": (),
            },
        ),
        # Creates the Operations group (and re-applies the others) with the new permission.
        migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop),
    ]
