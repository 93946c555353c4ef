"""Lock order on PostgreSQL: many buyers at once of two products, added to their baskets in opposite
orders, through the API, also while orders of both products are cancelled. Real threads with their own
connections, real transactions (ADR 0010)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django.db.models import Sum
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from checkout.order.services import order_cancel
from tests.checkout.concurrency import (
    CONCURRENCY_MARKS,
    checkout_post,
    guest_basket,
    postgres_only,  # noqa: F401 - the fixture CONCURRENCY_MARKS uses
)
from tests.checkout.conftest import checkout_body

Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

pytestmark = CONCURRENCY_MARKS

THREADS = 10
ATTEMPTS = 20  # two each
STOCK = 7  # of each product: 7 orders can be placed, 13 buyers are too late


def _checkouts(tokens: list[str], barrier: threading.Barrier) -> list:
    """Check out each basket in turn on this thread's own connection; a raised error is kept as the
    answer (a deadlock surfaces as an exception from the test client)."""
    answers = []
    try:
        barrier.wait(timeout=30)
        for token in tokens:
            try:
                answers.append(checkout_post(token, checkout_body(guest_email="buyer@example.com")))
            except Exception as exc:  # noqa: BLE001 - the test reports every error it saw
                answers.append(exc)
    finally:
        connections.close_all()
    return answers


def test_opposite_basket_orders_at_once_neither_deadlock_nor_oversell(make_product):
    x = make_product(title="Product X", stock=STOCK)
    y = make_product(title="Product Y", stock=STOCK)
    tokens = [guest_basket(x, y) if attempt % 2 else guest_basket(y, x) for attempt in range(ATTEMPTS)]
    per_thread = [tokens[start::THREADS] for start in range(THREADS)]

    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(_checkouts, batch, barrier) for batch in per_thread]
        answers = [answer for future in futures for answer in future.result(timeout=300)]

    errors = [repr(answer) for answer in answers if isinstance(answer, Exception)]
    assert errors == [], errors
    codes = sorted(answer.status_code for answer in answers)
    assert set(codes) <= {201, 409}, codes
    assert codes.count(201) == STOCK
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"insufficient_stock"}
    assert Order.objects.count() == STOCK
    for product in (x, y):
        record = StockRecord.objects.get(product=product)
        ordered = Line.objects.filter(stockrecord=record).aggregate(n=Sum("quantity"))["n"]
        assert record.num_allocated == ordered == STOCK
        assert record.num_in_stock - record.num_allocated == 0


def _cancel(order_id: int, barrier: threading.Barrier):
    try:
        barrier.wait(timeout=30)
        return order_cancel(order=Order.objects.get(pk=order_id), reason="changed my mind")
    except Exception as exc:  # noqa: BLE001 - the test reports every error it saw
        return exc
    finally:
        connections.close_all()


def test_cancellations_and_placements_at_once_take_locks_in_the_same_order(make_product):
    x = make_product(title="Product X", stock=30)
    y = make_product(title="Product Y", stock=30)
    existing = []
    for attempt in range(THREADS):
        basket = Basket.objects.create()
        basket.strategy = Selector().strategy()
        for product in (x, y) if attempt % 2 else (y, x):  # order lines in both orders
            basket.add_product(product, 1)
        existing.append(create_order(basket=basket).pk)
    tokens = [guest_basket(x, y) if attempt % 2 else guest_basket(y, x) for attempt in range(THREADS)]

    barrier = threading.Barrier(2 * THREADS)
    with ThreadPoolExecutor(max_workers=2 * THREADS) as pool:
        cancels = [pool.submit(_cancel, order_id, barrier) for order_id in existing]
        places = [pool.submit(_checkouts, [token], barrier) for token in tokens]
        answers = [future.result(timeout=300) for future in cancels]
        answers += [answer for future in places for answer in future.result(timeout=300)]

    errors = [repr(answer) for answer in answers if isinstance(answer, Exception)]
    assert errors == [], errors
    assert [a.status_code for a in answers if hasattr(a, "status_code")] == [201] * THREADS
    assert Order.objects.filter(status="Cancelled").count() == THREADS
    for product in (x, y):
        record = StockRecord.objects.get(product=product)
        kept = Line.objects.filter(stockrecord=record).exclude(order__status="Cancelled")
        assert record.num_allocated == kept.aggregate(n=Sum("quantity"))["n"] == THREADS
