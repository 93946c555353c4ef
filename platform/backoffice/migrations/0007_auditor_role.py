"""The Auditor role: reads the audit log (audittrail, ADR 0047)."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0006_webhook_roles"),
        ("audittrail", "0001_audit_log_entry"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
