"""Lock order on PostgreSQL: many buyers at once of two products, added to their baskets in opposite
orders, through the API, also while orders of both products are cancelled. Real threads with their own
connections, real transactions (ADR 0010)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Sum
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order
from rest_framework.test import APIClient

from checkout.basket.tokens import basket_token
from checkout.order.services import order_cancel
from tests.checkout.conftest import checkout_body

Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipping_methods", "dummy_payments"),
]

THREADS = 10
ATTEMPTS = 20  # two each
STOCK = 7  # of each product: 7 orders can be placed, 13 buyers are too late


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and real concurrency: PostgreSQL only")


def _basket(*products) -> str:
    """A guest basket with one of each product, added in the order given."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        basket.add_product(product, 1)
    return basket_token(basket)


def _checkouts(tokens: list[str], barrier: threading.Barrier) -> list:
    """Check out each basket in turn on this thread's own connection; a raised error is kept as the
    answer (a deadlock surfaces as an exception from the test client)."""
    answers = []
    try:
        barrier.wait(timeout=30)
        for token in tokens:
            try:
                answers.append(
                    APIClient().post(
                        "/api/v1/checkout/",
                        checkout_body(guest_email="buyer@example.com"),
                        format="json",
                        HTTP_X_BASKET_TOKEN=token,
                    )
                )
            except Exception as exc:  # noqa: BLE001 - the test reports every error it saw
                answers.append(exc)
    finally:
        connections.close_all()
    return answers


def test_opposite_basket_orders_at_once_neither_deadlock_nor_oversell(make_product):
    x = make_product(title="Product X", stock=STOCK)
    y = make_product(title="Product Y", stock=STOCK)
    tokens = [_basket(x, y) if attempt % 2 else _basket(y, x) for attempt in range(ATTEMPTS)]
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
    tokens = [_basket(x, y) if attempt % 2 else _basket(y, x) for attempt in range(THREADS)]

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
