"""A stock import brings a sold-out record back: the back-in-stock check runs at commit, without waiting
for the minute scan (the import writes with executemany, which sends no model signals; ADR 46)."""

from decimal import Decimal

from oscar.core.loading import get_model

from catalogue.partner.stock_transitions import STOCK_BACK_IN_STOCK_TOPIC, stock_transitions_detect
from dataexchange.models import ImportJob

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
OutboxMessage = get_model("sideeffects", "OutboxMessage")


def test_a_stock_import_reports_records_back_in_stock_at_commit(shop, dry_run, confirm):
    product = Product.objects.create(upc="MUG-1", title="Mug", product_class=shop["classes"]["Book"])
    StockRecord.objects.create(
        product=product, partner=shop["partner"], partner_sku="MUG-1", price=Decimal("10.00"), num_in_stock=0
    )
    stock_transitions_detect()  # sold out, seen
    job = dry_run("stock", [{"partner": "", "partner_sku": "MUG-1", "num_in_stock": 3, "low_stock_threshold": ""}])
    assert job.status == ImportJob.Status.READY, job.errors
    assert not OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC).exists()  # a dry run changes nothing
    confirm(job)
    assert OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC, payload__product_id=product.pk).exists()
