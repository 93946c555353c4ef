"""An order makes its own products' cards stale, not every card (ADR 23 addendum of 2026-12-07, later):
each cached card carries its product's stock stamp, which the order's allocation moves for the products it
took from and their parents (a parent's card shows its variants' stock). Any other catalogue change still
makes every card stale at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from oscar.test.factories import create_product, create_stockrecord
from rest_framework.test import APIClient

from catalogue import card_html
from tests.catalogue.conftest import product_with_stock
from tests.checkout.conftest import add_line, checkout_body
from tests.conftest import auth_header

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments")]


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The titles of the cards rendered (not served from the cache), in the order rendered."""
    titles: list[str] = []
    render = card_html._render

    def recording(products, **kwargs):
        titles.extend(product.get_title() for product in products)
        return render(products, **kwargs)

    monkeypatch.setattr(card_html, "_render", recording)
    return titles


@pytest.fixture
def shelf():
    mugs = [product_with_stock(f"Mug {number}", stock=1 if number == 0 else 5) for number in range(3)]
    parent = create_product(title="Linen Shirt", structure="parent")
    sizes = []
    for size in ("S", "M"):
        child = create_product(title=f"Linen Shirt {size}", parent=parent, structure="child",
                               product_class=parent.product_class)  # fmt: skip
        create_stockrecord(child, price=Decimal("40.00"), num_in_stock=3)
        sizes.append(child)
    return {"mugs": mugs, "parent": parent, "sizes": sizes}


def _order(user, *products) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=auth_header(user)["HTTP_AUTHORIZATION"])
    for product in products:
        assert add_line(client, product, 1).status_code == 201
    response = client.post("/api/v1/checkout/", checkout_body(), format="json")
    assert response.status_code == 201, response.content


def _catalogue(shopper: Client) -> str:
    response = shopper.get("/catalogue/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_order_makes_only_its_products_cards_and_their_parents_stale(
    user, shelf, rendered, django_capture_on_commit_callbacks
):
    shopper = Client()
    first = _catalogue(shopper)
    assert sorted(rendered) == ["Linen Shirt", "Mug 0", "Mug 1", "Mug 2"]
    rendered.clear()
    _catalogue(shopper)
    assert rendered == []  # all from the cache

    with django_capture_on_commit_callbacks(execute=True):
        _order(user, shelf["mugs"][0], shelf["sizes"][1])

    again = _catalogue(shopper)
    assert sorted(rendered) == ["Linen Shirt", "Mug 0"]  # not Mug 1 or Mug 2
    assert "outofstock availability" not in first and again.count("outofstock availability") == 1  # Mug 0's last


def test_a_card_whose_stamp_was_lost_is_built_again(shelf, rendered):
    shopper = Client()
    _catalogue(shopper)
    rendered.clear()

    cache.delete(f"catalogue:stock:{shelf['mugs'][1].pk}")  # evicted by Redis under maxmemory

    _catalogue(shopper)
    assert rendered == ["Mug 1"]


def test_any_other_catalogue_change_makes_every_card_stale(shelf, rendered, django_capture_on_commit_callbacks):
    shopper = Client()
    _catalogue(shopper)
    rendered.clear()

    with django_capture_on_commit_callbacks(execute=True):
        record = shelf["mugs"][2].stockrecords.get()
        record.price = Decimal("9.99")
        record.save()

    html = _catalogue(shopper)
    assert sorted(rendered) == ["Linen Shirt", "Mug 0", "Mug 1", "Mug 2"] and "9.99" in html
