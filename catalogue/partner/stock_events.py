"""Webhook payloads of stock (ADR 0048): `stock.low` and `stock.back_in_stock`, published by whichever
service sees a stock record cross its threshold or come back (the back-in-stock work wires the calls).

`stock_event_publish(stockrecord=, event=)` inside that service's transaction; `data`: the product
(`product_id`, `parent_id`, `upc`, `title`), the record (`stockrecord_id`, `partner`, `partner_sku`) and
its figures (`num_in_stock`, `num_allocated`, `available` = in stock - allocated, `low_stock_threshold`).
"""

from __future__ import annotations

from eventhooks.events import STOCK_BACK_IN_STOCK, STOCK_LOW
from eventhooks.selectors import webhook_event_subscribed
from eventhooks.services import webhook_event_publish

STOCK_EVENTS = (STOCK_LOW, STOCK_BACK_IN_STOCK)


def stock_webhook_data(*, stockrecord) -> dict:
    product = stockrecord.product
    return {
        "product_id": product.pk,
        "parent_id": product.parent_id,
        "upc": product.upc or "",
        "title": product.get_title(),
        "stockrecord_id": stockrecord.pk,
        "partner": stockrecord.partner.name,
        "partner_sku": stockrecord.partner_sku,
        "num_in_stock": stockrecord.num_in_stock,
        "num_allocated": stockrecord.num_allocated or 0,
        "available": stockrecord.net_stock_level,
        "low_stock_threshold": stockrecord.low_stock_threshold,
    }


def stock_event_publish(*, stockrecord, event: str) -> None:
    """Publish `stock.low` or `stock.back_in_stock` for `stockrecord`. Call inside the transaction that
    changed the stock; nothing is read when no endpoint subscribes."""
    if event not in STOCK_EVENTS:
        raise ValueError(f"{event!r} is not a stock event")
    if webhook_event_subscribed(event=event):
        webhook_event_publish(event=event, data=stock_webhook_data(stockrecord=stockrecord))
