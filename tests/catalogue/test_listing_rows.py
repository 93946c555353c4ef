"""The products API list's rows (`catalogue.listing_rows`, ADR 57) say what the read model's cards say
(`catalogue.selectors.product_cards`) for the same products, and `card_rows_json` writes them as
`ProductCardSerializer` does, byte for byte."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from catalogue.api.serializers import ProductCardSerializer, card_rows_json
from catalogue.listing_rows import card_rows
from catalogue.selectors import product_cards

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
TaxRate = get_model("checkout", "TaxRate")
pytestmark = pytest.mark.django_db

CARD_FIELDS = ("id", "title", "slug", "structure", "url", "price", "is_available", "availability")


def _request(rf):
    request = rf.get("/api/v1/products/")
    request.user = AnonymousUser()
    return request


def _variant(parent, title: str, price: str | None, stock: int, *, public: bool = True):
    child = create_product(title=title, parent=parent, structure="child", product_class=parent.product_class)
    if not public:
        Product.objects.filter(pk=child.pk).update(is_public=False)
    if price is not None:
        create_stockrecord(child, price=Decimal(price), num_in_stock=stock)
    return child


@pytest.fixture
def mixed_shop(countries):
    """Products of every kind a card prices differently."""
    TaxRate.objects.create(country_id="GB", rate=Decimal("0.20"), name="VAT")
    in_stock = create_product(title="Mug")
    create_stockrecord(in_stock, price=Decimal("12.50"), num_in_stock=3)
    sold_out = create_product(title="Sold out mug")
    create_stockrecord(sold_out, price=Decimal("9.99"), num_in_stock=0)
    create_product(title="Unpriced poster")  # no stock record
    ebook = create_product(title="E-book", product_class=ProductClass.objects.create(name="Digital", track_stock=False))
    create_stockrecord(ebook, price=Decimal("5.00"), num_in_stock=0)
    shirt = create_product(title="Shirt", structure="parent")
    _variant(shirt, "Shirt S", "30.00", 0)
    _variant(shirt, "Shirt M", "27.00", 2)
    _variant(shirt, "Shirt L", "10.00", 5, public=False)  # hidden: neither its price nor its stock count
    bare = create_product(title="Jacket", structure="parent")
    _variant(bare, "Jacket S", None, 0)
    gone = create_product(title="Scarf", structure="parent")
    _variant(gone, "Scarf red", "15.00", 0)
    return Product.objects.browsable().order_by("-date_created", "-id")


def test_rows_say_what_the_read_model_cards_say(rf, mixed_shop):
    request = _request(rf)
    rows = card_rows(products=mixed_shop, request=request)
    cards = product_cards(products=mixed_shop, request=_request(rf))

    assert len(rows) == len(cards) == 7
    for row, card in zip(rows, cards, strict=True):
        assert [getattr(row, name) for name in CARD_FIELDS] == [getattr(card, name) for name in CARD_FIELDS]
    by_title = {row.title: row for row in rows}
    assert by_title["Shirt"].price.incl_tax == Decimal("27.00")  # the lowest public variant price (tax included)
    assert (by_title["Scarf"].is_available, by_title["E-book"].is_available) == (False, True)
    assert by_title["Unpriced poster"].price.currency is None


def test_rows_cost_two_queries_whatever_the_number_of_products_and_variants(rf, mixed_shop, django_assert_num_queries):
    request = _request(rf)
    card_rows(products=mixed_shop[:1], request=request)  # the tax rate, once per request
    for size in (1, 7):
        with django_assert_num_queries(2):
            card_rows(products=mixed_shop[:size], request=request)


def test_json_of_rows_is_the_serializers_byte_for_byte(rf, mixed_shop):
    request = Request(_request(rf))
    cards = product_cards(products=mixed_shop, request=request)
    expected = ProductCardSerializer(cards, many=True, context={"request": request}).data

    from_cards = card_rows_json(cards, request=request)
    from_rows = card_rows_json(card_rows(products=mixed_shop, request=request), request=request)

    assert JSONRenderer().render(from_cards) == JSONRenderer().render(expected)
    assert JSONRenderer().render(from_rows) == JSONRenderer().render(expected)
