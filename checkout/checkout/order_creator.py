"""Oscar's OrderCreator with allocation that cannot oversell.

Oscar 4.2 allocates stock with `num_allocated = num_allocated + qty` and checks nothing. Here each
stock record is locked (SELECT ... FOR UPDATE) and its free stock re-checked before allocating, inside
the order's transaction. Oscar already visits stock records in stock-record-id order, and
`checkout.services.checkout_place_order` locks vouchers in id order before that, so concurrent
placements take row locks in one fixed order (basket, vouchers, offers, stock records) and cannot
deadlock.
"""

from __future__ import annotations

from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.core.loading import get_model

from .errors import OutOfStock

StockRecord = get_model("partner", "StockRecord")


class OrderCreator(OscarOrderCreator):
    def update_stock_records(self, line):
        """Allocate `line.quantity` on its stock record, holding the record's row lock; raise
        `OutOfStock` (rolling the whole order back) when less is free than the line needs."""
        if not line.product.get_product_class().track_stock:
            return
        record = StockRecord.objects.select_for_update().get(pk=line.stockrecord_id)
        if record.num_in_stock is not None:
            free = record.num_in_stock - (record.num_allocated or 0)
            if free < line.quantity:
                raise OutOfStock(
                    f"Only {max(free, 0)} of “{line.product.get_title()}” left: someone bought the rest first."
                )
        record.allocate(line.quantity)
        line.stockrecord = record
