"""Apply the roles again once the returns models exist, so the Order manager holds their permissions."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0004_bulk_changes"),
        ("returns", "0002_default_policy_and_reasons"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
