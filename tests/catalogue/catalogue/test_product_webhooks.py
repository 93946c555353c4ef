"""`product.updated` reaches the merchant's apps once per product per transaction, after commit, from
every way staff change a product (ADR 0048)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from oscar.core.loading import get_model
from oscar.test import factories

from backoffice.services import product_unpublish
from eventhooks.models import WebhookEvent
from eventhooks.services import webhook_endpoint_create
from tests.platform.backoffice.admin_forms import change_form_data
from tests.platform.backoffice.bulk_steps import bulk_confirm

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


@pytest.fixture
def endpoint(db):
    return webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["product.updated"])


def updated() -> list[dict]:
    return [event.data for event in WebhookEvent.objects.filter(type="product.updated").order_by("pk")]


def test_many_saves_of_one_product_in_a_transaction_publish_one_event_after_commit(
    endpoint, django_capture_on_commit_callbacks
):
    product = factories.create_product(title="Lamp", upc="LAMP-1")
    category = Category.add_root(name="Lights")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        product.title = "Desk lamp"
        product.save()
        product.save()
        product.categories.add(category)
        assert updated() == []  # nothing before commit
    [data] = updated()
    assert (data["id"], data["title"], data["upc"], data["is_public"]) == (product.pk, "Desk lamp", "LAMP-1", True)
    assert data["parent_id"] is None and data["structure"] == "standalone"


def test_a_rolled_back_change_publishes_nothing_and_the_next_one_still_does(
    endpoint, django_capture_on_commit_callbacks
):
    product = factories.create_product(title="Lamp")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            product.save()
            raise RuntimeError("rolled back")
    assert updated() == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        product.save()
    assert [data["id"] for data in updated()] == [product.pk]


def test_the_product_screen_publishes_one_event_for_the_product(
    endpoint, staff_client, django_capture_on_commit_callbacks
):
    product = factories.create_product(title="Desk", price=Decimal("80.00"), partner_name="Main")
    url = f"/admin/catalogue/product/{product.pk}/change/"
    data = change_form_data(staff_client.get(url), title="Standing desk", **{"stockrecords-0-price": "75.50"})

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)

    assert response.status_code == 302
    assert [(d["id"], d["title"]) for d in updated()] == [(product.pk, "Standing desk")]


def test_bulk_unpublish_publishes_each_product_once(endpoint, django_capture_on_commit_callbacks):
    lamp, desk = factories.create_product(title="Lamp"), factories.create_product(title="Desk")
    with django_capture_on_commit_callbacks(execute=True):
        assert product_unpublish(products=Product.objects.filter(pk__in=[lamp.pk, desk.pk])) == 2
    assert sorted((d["id"], d["is_public"]) for d in updated()) == [(lamp.pk, False), (desk.pk, False)]


def test_without_a_subscribed_endpoint_nothing_is_written(django_capture_on_commit_callbacks):
    webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["order.paid"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        factories.create_product(title="Lamp")
    assert not WebhookEvent.objects.exists()


def test_a_review_updating_the_rating_is_not_a_product_change(endpoint, django_capture_on_commit_callbacks):
    product = factories.create_product(title="Lamp")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        product.rating = 4.5
        product.save(update_fields=["rating", "reviews_count"])
    assert updated() == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        product.save(update_fields=["title", "rating"])
    assert [d["id"] for d in updated()] == [product.pk]


def test_a_bulk_price_change_publishes_each_product_once(endpoint, staff_client, django_capture_on_commit_callbacks):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    desk = factories.create_product(title="Desk", price=Decimal("80.00"))

    with django_capture_on_commit_callbacks(execute=True):
        bulk_confirm(staff_client, "change_prices", [lamp, desk], percent="-10")

    assert sorted(d["id"] for d in updated()) == sorted([lamp.pk, desk.pk])


def test_a_bulk_category_move_publishes_the_product(endpoint, staff_client, django_capture_on_commit_callbacks):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))
    lights = Category.add_root(name="Lights")

    with django_capture_on_commit_callbacks(execute=True):
        bulk_confirm(staff_client, "move_to_category", [lamp], category=str(lights.pk))

    assert [d["id"] for d in updated()] == [lamp.pk]
