"""The Support agent role manages canned replies (ADR 0050): apply the roles again now that the support
app's new models exist, so the role's "support: add, change, view" covers them."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0009_support_rating_roles"),
        ("support", "0004_order_actions_canned_replies_page_trail"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
