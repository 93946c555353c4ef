"""Checkout's business metrics for Prometheus (docs/adr/0033-prometheus-metrics.md): orders placed and
their value, payments by gateway and outcome, checkout conflicts (409) by code, vouchers refused by
reason. Recorded by the services, so pages, the API and the back office count alike; what a transaction
changes is counted when it commits."""

from collections.abc import Callable
from contextlib import contextmanager

from prometheus_client import Counter

ORDERS_PLACED = Counter("hypex_orders_placed_total", "Orders placed (pending payment), by currency.", ["currency"])
ORDER_VALUE = Counter(
    "hypex_order_value_total", "Total value (tax included) of the orders placed, by currency.", ["currency"]
)
PAYMENTS = Counter(
    "hypex_payments_total",
    "Payment results by gateway and outcome: paid, failed (declined or abandoned), mismatch (amount or "
    "currency differ), late (paid after the order stopped waiting), duplicate (a replayed confirmation).",
    ["gateway", "outcome"],
)
CHECKOUT_CONFLICTS = Counter(
    "hypex_checkout_conflicts_total",
    "Orders refused with 409 at placing time, by error code (insufficient_stock, voucher_unavailable).",
    ["code"],
)
VOUCHERS_REFUSED = Counter(
    "hypex_vouchers_refused_total", "Voucher codes refused when added to a basket, by reason (error code).", ["reason"]
)


def order_placed_record(order) -> None:
    ORDERS_PLACED.labels(currency=order.currency).inc()
    ORDER_VALUE.labels(currency=order.currency).inc(float(order.total_incl_tax))


def checkout_conflict_record(exc) -> None:
    if exc.status_code == 409:
        CHECKOUT_CONFLICTS.labels(code=exc.default_code).inc()


def voucher_refusal_record(exc) -> None:
    VOUCHERS_REFUSED.labels(reason=exc.default_code).inc()


@contextmanager
def errors_counted(error_type: type[Exception], record: Callable[[Exception], None]):
    """Record each `error_type` raised inside (a block, or the function it decorates) and re-raise it."""
    try:
        yield
    except error_type as exc:
        record(exc)
        raise
