"""Concurrency on PostgreSQL: real threads, each with its own database connection, against committed
data (transactional tests). No oversell, voucher limits hold, Idempotency-Key races."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from oscar.core.loading import get_class, get_model
from rest_framework.test import APIClient

from checkout.basket.tokens import basket_token
from tests.checkout.conftest import checkout_body

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")
IdempotencyKey = get_model("checkout", "IdempotencyKey")
Selector = get_class("partner.strategy", "Selector")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipping_methods", "dummy_payments"),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and real concurrency: PostgreSQL only")


def _guest_basket(product, quantity=1, voucher=None) -> str:
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    if voucher is not None:
        basket.vouchers.add(voucher)
    return basket_token(basket)


def _post_checkout(token: str, body: dict, key: str | None = None, barrier=None):
    headers = {"HTTP_X_BASKET_TOKEN": token}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    try:
        if barrier is not None:
            barrier.wait(timeout=30)
        return APIClient().post("/api/v1/checkout/", body, format="json", **headers)
    finally:
        connections.close_all()  # this thread's own connection


def _all_at_once(calls):
    barrier = threading.Barrier(len(calls))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(_post_checkout, *call, barrier=barrier) for call in calls]
        return [future.result(timeout=120) for future in futures]


def test_fifty_buyers_of_ten_in_stock_make_exactly_ten_orders(make_product):
    product = make_product(title="Limited Print", stock=10)
    tokens = [_guest_basket(product) for _ in range(50)]
    body = checkout_body(guest_email="buyer@example.com")

    responses = _all_at_once([(token, body) for token in tokens])

    codes = sorted(response.status_code for response in responses)
    assert codes.count(201) == 10
    assert codes.count(409) == 40
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"insufficient_stock"}
    record = StockRecord.objects.get(product=product)
    assert record.num_allocated == 10
    assert record.num_in_stock - record.num_allocated == 0
    assert Order.objects.count() == 10
    assert Basket.objects.filter(status=Basket.SUBMITTED).count() == 10


def test_single_use_voucher_is_used_by_exactly_one_of_many_buyers(make_product, make_voucher):
    product = make_product(stock=100)
    voucher = make_voucher(code="ONLYONE", usage=Voucher.SINGLE_USE, minimum="1.00")
    tokens = [_guest_basket(product, voucher=voucher) for _ in range(10)]

    responses = _all_at_once([(token, checkout_body(guest_email="v@example.com")) for token in tokens])

    codes = [response.status_code for response in responses]
    assert codes.count(201) == 1
    assert codes.count(409) == 9
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"voucher_unavailable"}
    assert VoucherApplication.objects.filter(voucher=voucher).count() == 1
    assert Order.objects.count() == 1


def test_same_basket_submitted_at_once_gives_one_order(make_product):
    product = make_product(stock=10)
    token = _guest_basket(product, 2)

    responses = _all_at_once([(token, checkout_body(guest_email="d@example.com"))] * 5)

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["order"]["number"] for r in responses}) == 1
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=product).num_allocated == 2


def test_same_idempotency_key_at_once_runs_once(make_product):
    product = make_product(stock=10)
    token = _guest_basket(product)

    responses = _all_at_once([(token, checkout_body(guest_email="k@example.com"), "race-key")] * 8)

    codes = [r.status_code for r in responses]
    assert all(code in (201, 409) for code in codes), codes
    assert Order.objects.count() == 1
    numbers = {r.json()["order"]["number"] for r in responses if r.status_code == 201}
    assert len(numbers) == 1
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} <= {"idempotency_request_in_progress"}


def test_second_request_while_the_first_runs_is_409_then_replays(make_product):
    product = make_product(stock=10)
    token = _guest_basket(product)
    body = checkout_body(guest_email="slow@example.com")
    basket_id = Basket.objects.get().pk

    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():  # hold the basket's row lock: the first request waits inside checkout
            Basket.objects.select_for_update().get(pk=basket_id)
            first = pool.submit(_post_checkout, token, body, "slow-key")
            deadline = time.monotonic() + 20
            while not IdempotencyKey.objects.filter(key="slow-key").exists():
                assert time.monotonic() < deadline, "the first request never claimed its key"
                time.sleep(0.05)
            second = pool.submit(_post_checkout, token, body, "slow-key").result(timeout=30)
            assert not first.done()
        first = first.result(timeout=60)

    assert second.status_code == 409
    assert second.json()["error"]["code"] == "idempotency_request_in_progress"
    assert first.status_code == 201
    replay = _post_checkout(token, body, "slow-key")
    assert replay.status_code == 201
    assert replay.json() == first.json()
    assert Order.objects.count() == 1
