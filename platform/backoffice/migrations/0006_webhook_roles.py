"""The Operations role manages the apps' webhooks (eventhooks, ADR 0048): apply the roles again now that
its models exist."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0005_roles_for_returns"),
        ("eventhooks", "0001_webhooks"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
