"""Writes on stock records. Keyword-only, typed, named <entity>_<action>."""

from __future__ import annotations

from django.db import transaction
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def stockrecords_restock(*, quantities: dict[int, int]) -> dict[int, int]:
    """Put units back on the shelf: add `quantities` ({stock record id: units}) to `num_in_stock`.

    Locks the stock records by id, ascending (ADR 0010): a caller that also locks an order takes the
    order's lock first. Records whose stock is not tracked (`num_in_stock` is None) or no longer exist
    are skipped. Saves each record (`update_fields`), so receivers of `post_save` see the stock return.
    Returns {stock record id: new num_in_stock} for the records changed."""
    wanted = {int(pk): int(units) for pk, units in quantities.items() if int(units) > 0}
    changed: dict[int, int] = {}
    if not wanted:
        return changed
    with transaction.atomic():
        for record in StockRecord.objects.select_for_update().filter(pk__in=list(wanted)).order_by("pk"):
            if record.num_in_stock is None:
                continue
            record.num_in_stock += wanted[record.pk]
            record.save(update_fields=["num_in_stock", "date_updated"])
            changed[record.pk] = record.num_in_stock
    return changed
