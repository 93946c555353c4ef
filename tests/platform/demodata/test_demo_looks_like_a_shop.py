"""The demo looks like a shop: product images drawn for the product's kind and colour, 90 days of orders
with a shape, customers, and reviews by purchasers only (issue 17, goal 7)."""

import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.db.models import Avg, Count
from oscar.core.loading import get_model
from PIL import Image

from catalogue.reviews.selectors import product_purchased_by
from demodata.customers import CUSTOMERS, customers_build
from demodata.history import DAYS, HISTORY_PREFIX, history_build
from demodata.images import BACKGROUND, PALETTE, SHAPES, product_image_bytes
from tests.seeded import seeded_shop

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductReview = get_model("reviews", "ProductReview")
Order = get_model("order", "Order")

shop = seeded_shop(products=30, history=True)


def _main_colour(data: bytes) -> tuple[int, int, int]:
    """The commonest colour of an image that is not (near) the background, on a coarse grid."""
    image = Image.open(io.BytesIO(data)).convert("RGB").resize((60, 60))
    counts = Counter(
        tuple(round(c / 16) * 16 for c in pixel)
        for pixel in image.getdata()
        if sum(abs(a - b) for a, b in zip(pixel, BACKGROUND, strict=True)) > 30
    )
    return counts.most_common(1)[0][0]


def test_an_image_is_the_same_bytes_for_the_same_shape_and_colour():
    assert product_image_bytes(shape="mug", colour=PALETTE["Red"]) == product_image_bytes(
        shape="mug", colour=PALETTE["Red"]
    )


@pytest.mark.parametrize("shape", ["shirt", "mug", "book", "jumper"])
def test_an_image_is_drawn_in_the_products_colour(shape):
    for name in ("Red", "Navy", "Ochre", "Green"):
        main = _main_colour(product_image_bytes(shape=shape, colour=PALETTE[name], size=120))
        assert all(abs(a - b) <= 24 for a, b in zip(main, PALETTE[name], strict=True)), (shape, name, main)


def test_every_shape_gives_a_different_image():
    images = {product_image_bytes(shape=shape, colour=PALETTE["Blue"], size=120) for shape in SHAPES}
    assert len(images) == len(SHAPES)


@pytest.mark.django_db
def test_seeded_products_share_one_image_per_shape_and_colour(shop):
    products = Product.objects.filter(parent__isnull=True).prefetch_related("images")
    names = {product.upc: product.images.get().original.name for product in products}
    assert len(set(names.values())) < len(names)  # look-alikes share a file
    mug = Product.objects.get(title__endswith=" Enamel Mug")
    colour = mug.attribute_values.get(attribute__code="colour").value_option.option
    with default_storage.open(mug.images.get().original.name) as handle:
        assert handle.read() == product_image_bytes(shape="mug", colour=PALETTE[colour])


@pytest.mark.django_db
def test_customers_have_names_and_a_default_address(shop):
    customers = customers_build()
    assert len(customers) == len(CUSTOMERS)
    for customer in customers:
        assert customer.first_name and customer.last_name
        assert customer.addresses.filter(is_default_for_shipping=True).count() == 1


@pytest.mark.django_db
def test_the_order_history_spans_ninety_days_with_a_trend_weekends_and_statuses(shop):
    orders = Order.objects.filter(number__startswith=HISTORY_PREFIX)
    Order.objects.filter(pk__in=orders.values("pk")).delete()  # redraw it at a known time
    now = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)  # a Monday
    assert history_build(customers=customers_build(), rng=random.Random(1), now=now) > 300

    dates = list(orders.values_list("date_placed", flat=True))
    assert now - dt.timedelta(days=DAYS) < min(dates) < now - dt.timedelta(days=DAYS - 2)
    assert max(dates) <= now
    per_day = Counter(date.date() for date in dates)
    weekend = [n for day, n in per_day.items() if day.weekday() >= 5]
    weekday = [n for day, n in per_day.items() if day.weekday() < 5]
    assert sum(weekend) / len(weekend) > sum(weekday) / len(weekday)
    first_month = sum(n for day, n in per_day.items() if day < (now - dt.timedelta(days=60)).date())
    last_month = sum(n for day, n in per_day.items() if day >= (now - dt.timedelta(days=30)).date())
    assert last_month > first_month * 1.3
    statuses = set(orders.values_list("status", flat=True))
    assert {"Delivered", "Shipped", "Refunded", "Cancelled"} <= statuses
    assert all(order.lines.exists() for order in orders[:50])


@pytest.mark.django_db
def test_reviews_come_only_from_purchasers_and_ratings_show(shop):
    reviews = ProductReview.objects.select_related("product", "user")
    assert reviews.count() >= 20
    for review in reviews:
        assert product_purchased_by(product=review.product, user=review.user), review
    rated = Product.objects.filter(reviews_count__gt=0)
    assert rated.exists()
    for product in rated:
        totals = product.reviews.filter(status=ProductReview.APPROVED).aggregate(avg=Avg("score"), n=Count("id"))
        assert (product.rating, product.reviews_count) == (pytest.approx(float(totals["avg"])), totals["n"])
