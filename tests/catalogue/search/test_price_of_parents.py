"""A parent's price in the catalogue's price filter and sort is the price shoppers see on its card: its
lowest public variant's (catalogue/partner/strategy.py), never a hidden variant's."""

from decimal import Decimal

import pytest
from oscar.test import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def jacket_with_a_hidden_cheap_variant():
    parent = factories.create_product(title="Waxed Jacket", structure="parent")
    factories.create_product(title="Waxed Jacket, M", parent=parent, price=Decimal("80.00"), num_in_stock=3)
    factories.create_product(title="Waxed Jacket, L", parent=parent, price=Decimal("90.00"), num_in_stock=3)
    hidden = factories.create_product(title="Jacket sample", parent=parent, price=Decimal("5.00"), num_in_stock=1)
    hidden.is_public = False
    hidden.save(update_fields=["is_public"])
    factories.create_product(title="Canvas Tote", price=Decimal("20.00"), num_in_stock=5)
    return parent


def _titles(client, **params) -> list[str]:
    return [product.get_title() for product in client.get("/catalogue/", params).context["products"]]


def test_the_price_filter_reads_the_lowest_public_variant(client, jacket_with_a_hidden_cheap_variant):
    assert _titles(client, max_price="10") == []
    assert _titles(client, min_price="70", max_price="85") == ["Waxed Jacket"]
    card = client.get("/catalogue/", {"min_price": "70"}).content.decode()
    assert "£80.00" in card and "£5.00" not in card


def test_sorting_by_price_places_a_parent_by_its_shown_price(client, jacket_with_a_hidden_cheap_variant):
    assert _titles(client, sort="price-asc") == ["Canvas Tote", "Waxed Jacket"]
    assert _titles(client, sort="price-desc") == ["Waxed Jacket", "Canvas Tote"]
