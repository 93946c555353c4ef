"""The Support agent role gets the basket proposals' permissions (support.BasketProposal, ADR 0049):
proposing needs `support.add_basketproposal`."""

from importlib import import_module

from django.db import migrations

staff_roles = import_module("backoffice.migrations.0001_staff_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0010_support_canned_replies_role"),
        ("support", "0005_basket_proposals"),
    ]

    operations = [migrations.RunPython(staff_roles.create_roles, migrations.RunPython.noop)]
