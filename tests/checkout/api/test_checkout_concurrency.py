"""Concurrency on PostgreSQL: real threads, each with its own database connection, against committed
data (transactional tests). No oversell, voucher limits hold, Idempotency-Key races."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction
from oscar.core.loading import get_class, get_model

from tests.checkout.concurrency import (
    CONCURRENCY_MARKS,
    all_at_once,
    checkout_post,
    guest_basket,
    postgres_only,  # noqa: F401 - the fixture CONCURRENCY_MARKS uses
)
from tests.checkout.conftest import checkout_body

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")
IdempotencyKey = get_model("apibase", "IdempotencyKey")
Selector = get_class("partner.strategy", "Selector")

pytestmark = CONCURRENCY_MARKS


def test_fifty_buyers_of_ten_in_stock_make_exactly_ten_orders(make_product):
    product = make_product(title="Limited Print", stock=10)
    tokens = [guest_basket(product) for _ in range(50)]
    body = checkout_body(guest_email="buyer@example.com")

    responses = all_at_once(checkout_post, [(token, body) for token in tokens])

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
    tokens = [guest_basket(product, voucher=voucher) for _ in range(10)]

    responses = all_at_once(checkout_post, [(token, checkout_body(guest_email="v@example.com")) for token in tokens])

    codes = [response.status_code for response in responses]
    assert codes.count(201) == 1
    assert codes.count(409) == 9
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"voucher_unavailable"}
    assert VoucherApplication.objects.filter(voucher=voucher).count() == 1
    assert Order.objects.count() == 1


def test_same_basket_submitted_at_once_gives_one_order(make_product):
    product = make_product(stock=10)
    token = guest_basket(product, quantity=2)

    responses = all_at_once(checkout_post, [(token, checkout_body(guest_email="d@example.com"))] * 5)

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["order"]["number"] for r in responses}) == 1
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=product).num_allocated == 2


def test_same_idempotency_key_at_once_runs_once(make_product):
    product = make_product(stock=10)
    token = guest_basket(product)

    responses = all_at_once(checkout_post, [(token, checkout_body(guest_email="k@example.com"), "race-key")] * 8)

    codes = [r.status_code for r in responses]
    assert all(code in (201, 409) for code in codes), codes
    assert Order.objects.count() == 1
    numbers = {r.json()["order"]["number"] for r in responses if r.status_code == 201}
    assert len(numbers) == 1
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} <= {"idempotency_request_in_progress"}


def test_second_request_while_the_first_runs_is_409_then_replays(make_product):
    product = make_product(stock=10)
    token = guest_basket(product)
    body = checkout_body(guest_email="slow@example.com")
    basket_id = Basket.objects.get().pk

    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():  # hold the basket's row lock: the first request waits inside checkout
            Basket.objects.select_for_update().get(pk=basket_id)
            first = pool.submit(checkout_post, token, body, key="slow-key")
            deadline = time.monotonic() + 20
            while not IdempotencyKey.objects.filter(key="slow-key").exists():
                assert time.monotonic() < deadline, "the first request never claimed its key"
                time.sleep(0.05)
            second = pool.submit(checkout_post, token, body, key="slow-key").result(timeout=30)
            assert not first.done()
        first = first.result(timeout=60)

    assert second.status_code == 409
    assert second.json()["error"]["code"] == "idempotency_request_in_progress"
    assert first.status_code == 201
    replay = checkout_post(token, body, key="slow-key")
    assert replay.status_code == 201
    assert replay.json() == first.json()
    assert Order.objects.count() == 1
