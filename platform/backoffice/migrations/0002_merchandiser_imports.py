"""Merchandisers run imports: apply the roles again once the dataexchange app's permissions exist."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_staff_roles"),
        ("dataexchange", "0001_initial"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
