"""Demo orders for the back office: one customer's orders in the lifecycle's main states
(waiting for payment, paid, shipped with tracking, refunded), placed through `checkout_place_order` and
paid through the payment services - the same path as a real checkout and payment with the dummy
gateway. Needs the shipping methods (`builders.shipping_build`) first."""

from __future__ import annotations

from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_model

from checkout.checkout.services import checkout_place_order, checkout_shipping_address_build
from checkout.order.services import order_shipping_event_add
from checkout.payment.attempts import payment_attempt_create
from checkout.payment.services import order_refund, payment_confirm

from .customers import DEMO_CUSTOMER_PASSWORD

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

Country = get_model("address", "Country")

DEMO_ADDRESS = {"first_name": "Alex", "last_name": "Demo", "line1": "1 Demo Street", "line4": "London",
                "postcode": "SW1A 1AA"}  # fmt: skip
DEMO_SHIPPING_METHOD = "standard"  # builders.shipping_build

DEMO_CUSTOMER_EMAIL = "customer@hypex.test"
STATES = ("pending", "paid", "shipped", "refunded")


def _customer():
    users = get_user_model().objects
    customer = users.filter(email=DEMO_CUSTOMER_EMAIL).first()
    if customer is None:
        customer = users.create_user(
            email=DEMO_CUSTOMER_EMAIL, password=DEMO_CUSTOMER_PASSWORD, first_name="Alex", last_name="Demo"
        )
    EmailAddress.objects.get_or_create(
        user=customer, email=DEMO_CUSTOMER_EMAIL, defaults={"primary": True, "verified": True}
    )
    return customer


def _place(*, customer, stockrecord, quantity: int):
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy(user=customer)
    basket.add_product(stockrecord.product, quantity=quantity)
    address = {**DEMO_ADDRESS, "country": Country.objects.get(iso_3166_1_a2="GB")}
    placed = checkout_place_order(
        basket=basket,
        user=customer,
        shipping_address=checkout_shipping_address_build(user=customer, data=address, address_id=None),
        billing_address=None,
        shipping_method_code=DEMO_SHIPPING_METHOD,
    )
    return placed.order


def _pay(order) -> None:
    attempt = payment_attempt_create(order=order, gateway="dummy")
    attempt.reference = f"dummy_{attempt.token[:16]}"
    attempt.save(update_fields=["reference"])
    payment_confirm(attempt=attempt, amount=attempt.amount, currency=attempt.currency)


def orders_build(*, staff=None) -> int:
    """Place the demo customer's orders unless they already have some; returns how many were made."""
    customer = _customer()
    if Order.objects.filter(user=customer).exists():
        return 0
    stockrecords = list(
        StockRecord.objects.filter(
            num_in_stock__gte=5, price__gt=Decimal("0"), product__structure__in=["standalone", "child"]
        )
        .select_related("product")
        .order_by("pk")[: len(STATES)]
    )
    for state, stockrecord in zip(STATES, stockrecords, strict=False):
        order = _place(customer=customer, stockrecord=stockrecord, quantity=2)
        if state == "pending":
            continue
        _pay(order)
        if state == "shipped":
            order_shipping_event_add(order=order, carrier="Royal Mail", tracking_number="RM000000001GB", by=staff)
        elif state == "refunded":
            order_refund(order=order, by=staff, reason="Demo: arrived damaged.")
    return len(stockrecords)
