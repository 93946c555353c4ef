"""Helpers for the PostgreSQL concurrency tests: guest baskets, checkouts posted from real threads (each
with its own database connection), and starting many at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from oscar.core.loading import get_class, get_model
from rest_framework.test import APIClient

from checkout.basket.tokens import basket_token

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

#: the marks every concurrency module carries: PostgreSQL, committed data, shipping and the dummy gateway
CONCURRENCY_MARKS = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only", "shipping_methods", "dummy_payments"),
]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and real concurrency: PostgreSQL only")


def guest_basket(*products, quantity: int = 1, voucher=None) -> str:
    """A guest basket holding `quantity` of each product, added in the order given; its token."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        basket.add_product(product, quantity)
    if voucher is not None:
        basket.vouchers.add(voucher)
    return basket_token(basket)


def checkout_post(token: str, body: dict, key: str | None = None, *, barrier: threading.Barrier | None = None):
    """POST /api/v1/checkout/ for the basket `token` from this thread, on its own connection (closed after)."""
    headers = {"HTTP_X_BASKET_TOKEN": token}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    try:
        if barrier is not None:
            barrier.wait(timeout=30)
        return APIClient().post("/api/v1/checkout/", body, format="json", **headers)
    finally:
        connections.close_all()


def all_at_once(function, calls: list[tuple]) -> list:
    """Run `function(*call, barrier=...)` for every call on its own thread, all released together."""
    barrier = threading.Barrier(len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(function, *call, barrier=barrier) for call in calls]
        return [future.result(timeout=120) for future in futures]
