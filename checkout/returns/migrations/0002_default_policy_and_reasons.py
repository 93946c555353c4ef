"""The shop's return policy (30 days) and the usual reasons, so returns work before anyone edits them."""

from decimal import Decimal

from django.db import migrations

REASONS = [
    ("changed-mind", "Changed my mind", Decimal("10.00")),
    ("wrong-size", "Wrong size or fit", Decimal("0.00")),
    ("damaged", "Arrived damaged or faulty", Decimal("0.00")),
    ("not-as-described", "Not as described", Decimal("0.00")),
    ("wrong-item", "Wrong item sent", Decimal("0.00")),
]


def create_defaults(apps, schema_editor):
    ReturnPolicy = apps.get_model("returns", "ReturnPolicy")
    ReturnReason = apps.get_model("returns", "ReturnReason")
    if not ReturnPolicy.objects.exists():
        ReturnPolicy.objects.create(window_days=30)
    for position, (code, name, fee) in enumerate(REASONS):
        ReturnReason.objects.get_or_create(
            code=code, defaults={"name": name, "restocking_fee_percent": fee, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
