"""The variant grid checks its cells under the stock records' row locks (PostgreSQL, real threads): a save
that meets a checkout holding a variant's stock record waits for it, then sees what it allocated."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from oscar.core.loading import get_model

from backoffice.variant_grid import StockCell, VariantGridInvalid, VariantRow, product_variants_update
from tests.platform.backoffice.conftest import variant_family

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def test_a_grid_save_waits_for_the_stock_lock_and_refuses_stock_below_the_new_allocation():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and real concurrency: PostgreSQL only")
    parent, (small,), _options = variant_family(sizes=("S",))
    record = StockRecord.objects.get(product=small)
    row = VariantRow(
        variant_id=small.pk,
        title=small.title,
        stock=(StockCell(partner_id=record.partner_id, sku="TEE-S", price=Decimal("20.00"), num_in_stock=3),),
    )
    locked, release, outcome = threading.Event(), threading.Event(), []

    def checkout_allocates() -> None:  # what placing an order does to the row: lock it, allocate, commit
        try:
            with transaction.atomic():
                held = StockRecord.objects.select_for_update().get(pk=record.pk)
                held.num_allocated = 4
                held.save(update_fields=["num_allocated"])
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def grid_saves() -> None:
        try:
            locked.wait(timeout=10)
            product_variants_update(product=parent, rows=[row])
            outcome.append("saved")
        except VariantGridInvalid as refused:
            outcome.append(refused.errors)
        finally:
            connections.close_all()

    checkout, grid = threading.Thread(target=checkout_allocates), threading.Thread(target=grid_saves)
    checkout.start()
    grid.start()
    locked.wait(timeout=10)
    time.sleep(0.5)
    assert grid.is_alive() and outcome == []  # waiting for the checkout's lock
    release.set()
    checkout.join(timeout=10)
    grid.join(timeout=10)

    assert outcome == [
        {(0, f"stock_{record.partner_id}"): "4 units are allocated to orders; the stock cannot be lower."}
    ]
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == 5
