"""The events an endpoint may subscribe to, named once (ADR 0048). Publishing any other name raises."""

from __future__ import annotations

ORDER_CREATED = "order.created"
ORDER_PAID = "order.paid"
ORDER_CANCELLED = "order.cancelled"
ORDER_SHIPPED = "order.shipped"
ORDER_REFUNDED = "order.refunded"
RETURN_REQUESTED = "return.requested"
PRODUCT_UPDATED = "product.updated"
STOCK_LOW = "stock.low"
STOCK_BACK_IN_STOCK = "stock.back_in_stock"

EVENT_TYPES: tuple[str, ...] = (
    ORDER_CREATED,
    ORDER_PAID,
    ORDER_CANCELLED,
    ORDER_SHIPPED,
    ORDER_REFUNDED,
    RETURN_REQUESTED,
    PRODUCT_UPDATED,
    STOCK_LOW,
    STOCK_BACK_IN_STOCK,
)

EVENT_CHOICES: list[tuple[str, str]] = [(name, name) for name in EVENT_TYPES]
