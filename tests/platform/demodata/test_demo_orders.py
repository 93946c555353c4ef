"""The demo orders: one per lifecycle state, made through the real services, and made once."""

import random

import pytest
from oscar.core.loading import get_model

from demodata import builders
from demodata.orders import DEMO_CUSTOMER_EMAIL, orders_build

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_demo_orders_cover_the_lifecycle_and_are_built_once():
    builders.shipping_build()
    builders.products_build(
        rng=random.Random(1), count=4, classes=builders.product_classes_build(),
        categories=builders.categories_build(), partner=builders.partner_build(),
    )  # fmt: skip
    staff = builders.staff_superuser_build()

    assert orders_build(staff=staff) == 4
    assert orders_build(staff=staff) == 0

    orders = Order.objects.filter(user__email=DEMO_CUSTOMER_EMAIL)
    assert sorted(orders.values_list("status", flat=True)) == ["Paid", "Pending payment", "Refunded", "Shipped"]
    shipped = orders.get(status="Shipped")
    assert shipped.shipping_events.get().tracking_number == "RM000000001GB"
    assert orders.get(status="Refunded").sources.get().amount_refunded > 0
