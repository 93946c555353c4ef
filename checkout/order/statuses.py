"""The order statuses, defined once, with the questions the code asks of them.

Plain Python (no models): the settings build Oscar's `OSCAR_ORDER_STATUS_PIPELINE` from `PIPELINE`, and
any app may import the names. Ask the predicates (`can_be_paid`, `customer_can_cancel`,
`counts_as_revenue`, `can_ship`, `made_a_purchase`) instead of comparing status strings; use the
tuples (`REVENUE`, `SHIPPABLE`, `NOT_PURCHASED`) in database filters.
"""

from __future__ import annotations

PENDING_PAYMENT = "Pending payment"
PAID = "Paid"
PROCESSING = "Processing"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
CANCELLED = "Cancelled"
REFUNDED = "Refunded"

#: where a new order starts (OSCAR_INITIAL_ORDER_STATUS)
INITIAL = PENDING_PAYMENT

#: the only transitions allowed (OSCAR_ORDER_STATUS_PIPELINE); Cancelled and Refunded are final
PIPELINE: dict[str, tuple[str, ...]] = {
    PENDING_PAYMENT: (PAID, CANCELLED),
    PAID: (PROCESSING, REFUNDED, CANCELLED),
    PROCESSING: (SHIPPED, REFUNDED, CANCELLED),
    SHIPPED: (DELIVERED, REFUNDED),
    DELIVERED: (REFUNDED,),
    CANCELLED: (),
    REFUNDED: (),
}

#: money taken and kept: these orders count as revenue and towards top sellers
REVENUE: tuple[str, ...] = (PAID, PROCESSING, SHIPPED, DELIVERED)
#: paid orders whose parcel may (still) leave: a shipping event is allowed
SHIPPABLE: tuple[str, ...] = (PAID, PROCESSING, SHIPPED)
#: the customer may cancel these themselves; paid orders go through a refund, by staff
CUSTOMER_CANCELLABLE: tuple[str, ...] = (PENDING_PAYMENT,)
#: orders in these statuses do not make their shopper a purchaser (never paid, or called off)
NOT_PURCHASED: tuple[str, ...] = (PENDING_PAYMENT, CANCELLED)


def can_move(status: str, to: str) -> bool:
    """True if the pipeline allows `status` -> `to`."""
    return to in PIPELINE.get(status, ())


def can_be_paid(status: str) -> bool:
    """An order is paid only once, and only while it waits for payment."""
    return status == PENDING_PAYMENT


def customer_can_cancel(status: str) -> bool:
    return status in CUSTOMER_CANCELLABLE and can_move(status, CANCELLED)


def counts_as_revenue(status: str) -> bool:
    return status in REVENUE


def can_ship(status: str) -> bool:
    return status in SHIPPABLE


def made_a_purchase(status: str) -> bool:
    """True if an order in `status` makes its customer a purchaser (e.g. allowed to review)."""
    return status not in NOT_PURCHASED
