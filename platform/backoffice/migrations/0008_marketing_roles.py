"""Apply the roles again once the abandoned-basket reminder models exist, so the Merchandiser holds their
permissions (ADR 46)."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0007_auditor_role"),
        ("basket", "0013_basket_reminders"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
