"""One product, one price: the product page, the products API (detail and list) and the CMS blocks (page
and CMS API) show the same price for the same product, a parent's being its lowest variant price."""

import json
import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from content.models import CampaignPage, HomePage
from tests.catalogue.conftest import product_with_stock
from tests.content.conftest import publish_child

TaxRate = get_model("checkout", "TaxRate")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def gb_vat(countries, settings):
    """Prices entered with 20% VAT in them, so amounts with and without tax differ."""
    settings.SHOP_PRICES_INCLUDE_TAX = True
    return TaxRate.objects.create(country_id="GB", rate=Decimal("0.20"), name="VAT")


@pytest.fixture
def jumper(db):
    """Blue 40.00, Grey 31.50, Red 35.00: the cheapest is neither the first by title nor the newest."""
    parent = create_product(title="Wool Jumper", structure="parent")
    group = AttributeOptionGroup.objects.create(name="Colour")
    ProductAttribute.objects.create(product_class=parent.product_class, code="colour", name="Colour", type="option",
                                    option_group=group)  # fmt: skip
    for colour, price in [("Blue", "40.00"), ("Grey", "31.50"), ("Red", "35.00")]:
        child = create_product(title=f"Wool Jumper, {colour}", parent=parent, structure="child",
                               product_class=parent.product_class)  # fmt: skip
        child.attr.colour = group.options.create(option=colour)
        child.save()
        create_stockrecord(child, price=Decimal(price), num_in_stock=5)
    return parent


def _page_price(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'id="product-price">(.*?)</p>', html).group(1)


def _json_ld_prices(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    script = re.search(r'<script type="application/ld\+json" id="product-jsonld">(.*?)</script>', html)
    data = json.loads(script.group(1))
    return sorted(offer["price"] for offer in data["offers"])


def _block_prices(client, api_client, products) -> tuple[dict, dict]:
    home = HomePage.objects.get()
    page = publish_child(home, CampaignPage(title="Picks", slug="picks",
                                            body=[("featured_products", {"products": products})]))  # fmt: skip
    html = client.get(page.url).content.decode()
    shown = dict(re.findall(r'data-product-id="(\d+)".*?hx-product__price">(.*?)</p>', html, re.S))
    body = api_client.get(f"/api/v1/cms/pages/{page.pk}/").json()["body"][0]["value"]["products"]
    return {int(pk): text for pk, text in shown.items()}, {item["id"]: item["price"] for item in body}


def test_a_parent_shows_its_lowest_variant_price_on_the_page_in_the_api_and_in_cms_blocks(client, api_client, jumper):
    lowest = {"currency": "GBP", "excl_tax": "26.25", "incl_tax": "31.50"}

    assert _page_price(client, jumper.get_absolute_url()) == "From £31.50"
    detail = api_client.get(f"/api/v1/products/{jumper.pk}/").json()
    assert detail["price"] == lowest
    listed = {card["id"]: card["price"] for card in api_client.get("/api/v1/products/").json()["results"]}
    assert listed[jumper.pk] == lowest
    on_page, in_cms_api = _block_prices(client, api_client, [jumper])
    assert on_page[jumper.pk] == "£31.50" and in_cms_api[jumper.pk] == lowest


def test_each_variant_has_one_price_on_the_page_and_in_the_api(client, api_client, jumper):
    variants = api_client.get(f"/api/v1/products/{jumper.pk}/").json()["variants"]
    for variant in variants:
        shown = _page_price(client, f"{jumper.get_absolute_url()}?variant={variant['id']}")
        assert shown == f"£{variant['price']['incl_tax']}"
    assert _json_ld_prices(client, jumper.get_absolute_url()) == sorted(v["price"]["incl_tax"] for v in variants)


def test_a_standalone_product_shows_one_price_everywhere(client, api_client):
    mug = product_with_stock("Enamel Mug", price="12.50", stock=3)
    expected = {"currency": "GBP", "excl_tax": "10.42", "incl_tax": "12.50"}

    assert _page_price(client, mug.get_absolute_url()) == "£12.50"
    assert _json_ld_prices(client, mug.get_absolute_url()) == ["12.50"]
    assert api_client.get(f"/api/v1/products/{mug.pk}/").json()["price"] == expected
    on_page, in_cms_api = _block_prices(client, api_client, [mug])
    assert on_page[mug.pk] == "£12.50" and in_cms_api[mug.pk] == expected
