"""Apply the roles again once the support rating and service-level models exist, so the Support agent
holds their permissions (ADR 51)."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0008_marketing_roles"),
        ("support", "0003_satisfaction_and_service_level"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
