"""Apply the roles again once the models added after 0001 exist (imports, payment attempts, webhook events,
order notifications, CMS snippets), so each role holds their permissions."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_staff_roles"),
        ("dataexchange", "0001_initial"),
        ("order", "0022_status_change_by_shipping_tracking_notifications"),
        ("payment", "0006_payment_attempt_webhook_event"),
        ("content", "0002_cms_pages_snippets_settings"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
