"""Oscar's OrderCreator with allocation that cannot oversell and locks taken in one order.

This module is where `get_class("order.utils", "OrderCreator")` finds it (Oscar's fork pattern); Oscar's
`OrderNumberGenerator` and `OrderDispatcher` are found in Oscar's own module.

Oscar 4.2 allocates stock with `num_allocated = num_allocated + qty` and checks nothing. Here, inside
the order's transaction and before any order row is written, every stock record the basket needs is
locked in one query, `SELECT ... FOR UPDATE ... ORDER BY id`, and its free stock re-checked against all
the basket's lines on it; only then does Oscar write the order and allocate, under locks already held.
Two placements that need the same records therefore take their locks in the same (primary-key) order,
whatever order the shopper added the products in (ADR 0010).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.core.loading import get_model

from checkout.checkout.errors import OutOfStock

StockRecord = get_model("partner", "StockRecord")


def _tracked_lines(basket) -> list:
    return [line for line in basket.all_lines() if line.product.get_product_class().track_stock]


def stock_lock_and_check(*, basket) -> dict[int, object]:
    """Lock every stock record `basket` allocates from, in primary-key order, and check that each has
    enough free stock (`num_in_stock - num_allocated`) for the sum of the basket's lines on it.

    Call inside transaction.atomic(); the locks are held until it ends. Raises `OutOfStock` naming the
    first product short of stock. Returns the locked records by id."""
    needed: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for line in _tracked_lines(basket):
        needed[line.stockrecord_id] += line.quantity
        titles.setdefault(line.stockrecord_id, line.product.get_title())
    records = {
        record.pk: record
        for record in StockRecord.objects.select_for_update().filter(pk__in=list(needed)).order_by("pk")
    }
    for record_id, quantity in needed.items():
        record = records.get(record_id)
        if record is None:
            raise OutOfStock(f"“{titles[record_id]}” is no longer sold.")
        if record.num_in_stock is None:  # not tracked: nothing to run out of
            continue
        free = record.num_in_stock - (record.num_allocated or 0)
        if free < quantity:
            raise OutOfStock(f"Only {max(free, 0)} of “{titles[record_id]}” left: someone bought the rest first.")
    return records


class OrderCreator(OscarOrderCreator):
    def place_order(self, basket, *args, **kwargs):
        """Oscar's `place_order`, with the basket's stock records locked (pk order) and re-checked first.

        Raises `OutOfStock` (nothing written) when another buyer took the units meanwhile. Oscar's
        `update_stock_records` then allocates under the locks already held."""
        with transaction.atomic():
            if not basket.is_empty:
                stock_lock_and_check(basket=basket)
            return super().place_order(basket, *args, **kwargs)

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        """Oscar's, with the rate the line's tax was computed at (`catalogue.partner.strategy.TaxedPrice`)."""
        rate = getattr(basket_line.purchase_info.price, "tax_rate", None)
        return super().create_line_models(order, basket_line, {"tax_rate": rate, **(extra_line_fields or {})})
