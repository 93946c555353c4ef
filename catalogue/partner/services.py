"""Writes on stock records. Keyword-only, typed, named <entity>_<action>."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from catalogue.cache import catalogue_stock_bump, catalogue_stock_invalidate

from .stock_transitions import stock_transitions_after_commit

StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")


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


def stockrecords_allocate(
    *, records: dict[int, object], quantities: dict[int, int], parent_ids: Collection[int] = ()
) -> None:
    """Allocate `quantities` ({stock record id: units}) from `records` ({id: StockRecord}), in one
    UPDATE whatever the number of records: what Oscar's `StockRecord.allocate` does one record at a
    time (`num_allocated = COALESCE(num_allocated, 0) + units`, three queries and a signal each).
    `parent_ids` are the parents of the records' products (the caller has the products at hand): their
    cards show their variants' stock, so their cards go stale with the variants' (ADR 23 addendum).

    Call while holding the row locks of every record (placement takes them by id first, ADR 0010):
    the in-memory records are then updated to the values written. Records whose product's class does
    not track stock are the caller's to leave out. Sends no `post_save`; it does what that signal's
    receivers do, once for all the records: Oscar's low-stock alerts (opened below the threshold,
    closed above it), the stock transitions check after commit (ADR 0046) and the catalogue cache
    bump (ADR 0023)."""
    wanted = {pk: units for pk, units in quantities.items() if units}
    if not wanted:
        return
    StockRecord.objects.filter(pk__in=list(wanted)).update(
        num_allocated=Case(
            *[When(pk=pk, then=Coalesce(F("num_allocated"), 0) + Value(units)) for pk, units in wanted.items()],
            output_field=IntegerField(),
        )
    )
    for pk, units in wanted.items():
        records[pk].num_allocated = (records[pk].num_allocated or 0) + units
    # Allocating only lowers free stock: it can open an alert, never close one, and only on a record
    # with a threshold (Oscar's default is none).
    _stock_alerts_update(records=[records[pk] for pk in sorted(wanted) if records[pk].low_stock_threshold is not None])
    stock_transitions_after_commit(stockrecord_ids=list(wanted))
    # Stock moved: what these products show, not their titles, links or categories, and not what other
    # products' cards show (ADR 23 addenda). At once and after commit, as the model receivers do.
    shown = {records[pk].product_id for pk in wanted} | set(parent_ids)
    catalogue_stock_bump(product_ids=shown)
    catalogue_stock_invalidate(product_ids=shown)


def _stock_alerts_update(*, records: list) -> None:
    """Oscar's low-stock alert rule (`partner.receivers.update_stock_alerts`) for many records in one
    query: an open alert for each record below its threshold, none for the others."""
    if not records:
        return
    open_alerts = {
        alert.stockrecord_id: alert
        for alert in StockAlert.objects.filter(stockrecord__in=records, status=StockAlert.OPEN)
    }
    new = []
    for record in records:
        alert = open_alerts.get(record.pk)
        if record.is_below_threshold and alert is None:
            new.append(StockAlert(stockrecord=record, threshold=record.low_stock_threshold))
        elif not record.is_below_threshold and alert is not None:
            alert.close()
    if new:
        StockAlert.objects.bulk_create(new)
