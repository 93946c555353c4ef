"""Checkout's business metrics, scraped from /metrics after a shopper's API checkout: orders placed and
their value, payments by gateway and outcome, checkout conflicts (409) by code, vouchers refused by
reason (ADR 0033)."""

from __future__ import annotations

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.api_errors import assert_api_error
from tests.checkout.conftest import add_line, checkout_body
from tests.metrics import scrape

StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


def _delta(before, after, name, **labels) -> float:
    return after.value(name, **labels) - before.value(name, **labels)


def test_an_order_placed_and_paid_is_counted_with_its_value_and_gateway(
    shopper, product, django_capture_on_commit_callbacks
):
    before = scrape()
    add_line(shopper, product, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = shopper.post("/api/v1/checkout/", checkout_body(), format="json")
    assert response.status_code == 201, response.content
    pay_page = response.json()["payment"]["redirect_url"]
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(pay_page, {"decision": "approve"}).status_code == 200

    after = scrape()
    assert _delta(before, after, "hypex_orders_placed_total", currency="GBP") == 1
    assert _delta(before, after, "hypex_order_value_total", currency="GBP") == pytest.approx(59.95)
    assert _delta(before, after, "hypex_payments_total", gateway="dummy", outcome="paid") == 1


def test_a_declined_payment_is_counted_as_failed(shopper, product, django_capture_on_commit_callbacks):
    add_line(shopper, product, 1)
    pay_page = shopper.post("/api/v1/checkout/", checkout_body(), format="json").json()["payment"]["redirect_url"]
    before = scrape()

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(pay_page, {"decision": "decline"})

    assert _delta(before, scrape(), "hypex_payments_total", gateway="dummy", outcome="failed") == 1


def test_a_checkout_conflict_is_counted_by_code_and_places_nothing(shopper, make_product):
    product = make_product(stock=2)
    add_line(shopper, product, 2)
    StockRecord.objects.filter(product=product).update(num_allocated=1)
    before = scrape()

    assert_api_error(shopper.post("/api/v1/checkout/", checkout_body(), format="json"), 409, "insufficient_stock")

    after = scrape()
    assert _delta(before, after, "hypex_checkout_conflicts_total", code="insufficient_stock") == 1
    assert _delta(before, after, "hypex_orders_placed_total", currency="GBP") == 0


def test_refused_vouchers_are_counted_by_reason(shopper, product, make_voucher):
    make_voucher(code="BIGSPEND", minimum="500.00")
    add_line(shopper, product, 1)
    before = scrape()

    unknown = shopper.post("/api/v1/basket/vouchers/", {"code": "NOPE"}, format="json")
    assert_api_error(unknown, 400, "voucher_not_found")
    too_small = shopper.post("/api/v1/basket/vouchers/", {"code": "BIGSPEND"}, format="json")
    assert_api_error(too_small, 400, "voucher_minimum_not_met")

    after = scrape()
    assert _delta(before, after, "hypex_vouchers_refused_total", reason="voucher_not_found") == 1
    assert _delta(before, after, "hypex_vouchers_refused_total", reason="voucher_minimum_not_met") == 1
