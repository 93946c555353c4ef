"""The product page: gallery, variant picker (links, no JS needed), price and stock from the strategy,
add to basket, reviews summary, also bought, recently viewed, and its SEO tags (JSON-LD parsed)."""

import json
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from demodata.images import product_image_bytes
from tests.catalogue.conftest import place_order, product_with_stock

ProductImage = get_model("catalogue", "ProductImage")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
pytestmark = pytest.mark.django_db


@pytest.fixture
def shirt(db):
    """A parent with sizes S, M, L: M is out of stock, L costs more."""
    parent = create_product(title="Oxford Shirt", structure="parent", description="<p>Soft <b>cotton</b>.</p>")
    group = AttributeOptionGroup.objects.create(name="Size")
    ProductAttribute.objects.create(product_class=parent.product_class, code="size", name="Size", type="option",
                                    option_group=group)  # fmt: skip
    for size, price, stock in [("S", "30.00", 10), ("M", "30.00", 0), ("L", "35.00", 3)]:
        option = group.options.create(option=size)
        child = create_product(title=f"Oxford Shirt, {size}", parent=parent, structure="child",
                               product_class=parent.product_class)  # fmt: skip
        child.attr.size = option
        child.save()
        record = create_stockrecord(child, price=Decimal(price), num_in_stock=stock)
        record.low_stock_threshold = 5
        record.save()
    for index, colour in enumerate([(20, 40, 90), (200, 30, 40)]):
        image = ContentFile(product_image_bytes(shape="shirt", colour=colour, size=120), name=f"s{index}.jpg")
        ProductImage.objects.create(product=parent, display_order=index, caption=f"View {index}", original=image)
    return parent


def _page(client, product, query: str = "") -> str:
    response = client.get(product.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_gallery_shows_main_image_and_thumbnails(client, shirt):
    html = _page(client, shirt)
    assert 'id="gallery-main"' in html
    assert html.count("data-full=") == 2


def test_parent_page_offers_sizes_from_the_lowest_price_until_one_is_chosen(client, shirt):
    html = _page(client, shirt)
    assert "From £30.00" in html and "Choose an option first." in html
    assert re.search(r'href="\?size=M#product"[^>]*hypex-unavailable', html)
    assert re.search(r'id="add-to-basket-button"\s+disabled', html)


def test_choosing_a_size_by_link_switches_price_stock_and_basket_variant(client, shirt):
    large = shirt.children.get(title__endswith=", L")
    html = _page(client, shirt, "?size=L")
    assert "£35.00" in html and "From £" not in html
    assert "Only 3 left" in html
    assert f'name="child_id" value="{large.pk}"' in html
    out = _page(client, shirt, "?size=M")
    assert "Out of stock" in out


def test_the_chosen_variant_goes_into_the_basket(client, shirt):
    small = shirt.children.get(title__endswith=", S")
    response = client.post(f"/basket/add/{shirt.pk}/", {"child_id": small.pk, "quantity": 1})
    assert response.status_code == 302
    basket = client.get("/basket/").content.decode()
    assert "Oxford Shirt, S" in basket


def test_a_variant_url_leads_to_its_parent_with_the_variant_chosen(client, shirt):
    large = shirt.children.get(title__endswith=", L")
    response = client.get(large.get_absolute_url())
    assert response.status_code == 301 and response["Location"].endswith(f"?variant={large.pk}")
    assert "£35.00" in _page(client, shirt, f"?variant={large.pk}")


def test_standalone_product_shows_price_stock_and_an_enabled_basket_button(client):
    mug = product_with_stock("Enamel Mug", price="12.50", stock=40)
    html = _page(client, mug)
    assert "£12.50" in html and "In stock" in html
    assert re.search(r'id="add-to-basket-button">', html)


def test_recently_viewed_lists_other_products_seen_in_this_session(client):
    mug, lamp, book = (product_with_stock(title) for title in ("Enamel Mug", "Desk Lamp", "On Craft"))
    _page(client, mug)
    _page(client, lamp)
    html = _page(client, book)
    section = html.split('id="recently-viewed-heading"')[1].split("</section>")[0]
    assert section.index("Desk Lamp") < section.index("Enamel Mug")  # most recent first
    assert "On Craft" not in section
    other_shopper = client.__class__()
    assert 'id="recently-viewed-heading"' not in _page(other_shopper, book)


def test_customers_also_bought_is_on_the_page(client, user):
    mug, lamp = product_with_stock("Enamel Mug"), product_with_stock("Desk Lamp")
    place_order(user, mug, lamp)
    html = _page(client, mug)
    assert "Customers also bought" in html and "Desk Lamp" in html.split("Customers also bought")[1]


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json" id="product-jsonld">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_seo_title_description_canonical_open_graph_and_json_ld(client, shirt):
    html = _page(client, shirt, "?size=L")
    canonical = f"http://testserver{shirt.get_absolute_url()}"
    assert "<title>Oxford Shirt | Hypex</title>" in html
    assert '<meta name="description" content="Soft cotton.">' in html
    assert f'<link rel="canonical" href="{canonical}">' in html  # the same for every variant choice
    assert '<meta property="og:title" content="Oxford Shirt">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    data = _json_ld(html)
    assert data["@type"] == "Product" and data["name"] == "Oxford Shirt" and data["url"] == canonical
    offers = {offer["price"]: offer["availability"] for offer in data["offers"]}
    assert offers["35.00"] == "https://schema.org/InStock"
    assert [o["availability"] for o in data["offers"]].count("https://schema.org/OutOfStock") == 1
    assert all(offer["priceCurrency"] == "GBP" for offer in data["offers"])


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    product = product_with_stock("</script><script>alert(1)</script>")
    html = _page(client, product)
    assert "<script>alert(1)" not in html
    assert _json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_category_and_search_pages_have_title_description_and_canonical(client):
    from oscar.apps.catalogue.categories import create_from_breadcrumbs

    shirts = create_from_breadcrumbs("Clothing > Shirts")
    shirts.description = "<p>Shirts in <b>cotton</b> and linen.</p>"
    shirts.save()
    product_with_stock("Oxford Shirt").categories.add(shirts)
    html = client.get(shirts.get_absolute_url() + "?sort=newest&page=1").content.decode()
    assert "<title>Shirts | Hypex</title>" in html
    assert '<meta name="description" content="Shirts in cotton and linen.">' in html
    assert f'<link rel="canonical" href="http://testserver{shirts.get_absolute_url()}">' in html
    listing = client.get("/catalogue/").content.decode()
    assert '<link rel="canonical" href="http://testserver/catalogue/">' in listing
    assert '<meta name="robots" content="noindex' not in listing
    assert '<meta name="robots" content="noindex, follow">' in client.get("/search/?q=shirt").content.decode()


def test_browsing_products_writes_no_session_and_keeps_the_history_in_oscars_cookie(client):
    mug, lamp = product_with_stock("Enamel Mug"), product_with_stock("Desk Lamp")
    _page(client, mug)
    _page(client, lamp)

    assert "sessionid" not in client.cookies
    assert json.loads(client.cookies["oscar_history"].value) == [mug.pk, lamp.pk]  # Oscar's: oldest first
    assert client.cookies["oscar_history"]["httponly"]


@pytest.mark.parametrize(
    "cookie",
    [
        "[" * 3000 + "]" * 3000,
        '[["x"], {"a": 1}, 1e999, -5, true, "7", 1.5, 99999999999999999999999]',
        '"junk"',
        "{}",
        "[1,",
        "[" + ",".join(["0"] * 2000) + "]",
        "[" + ",".join(["3"] * 3000) + "]",
        "NaN",
    ],  # fmt: skip
)
def test_a_history_cookie_that_is_not_a_list_of_ids_is_ignored_never_an_error(client, cookie):
    mug, lamp = product_with_stock("Enamel Mug"), product_with_stock("Desk Lamp")
    client.cookies["oscar_history"] = cookie

    html = _page(client, mug)
    _page(client, lamp)

    assert 'id="recently-viewed-heading"' not in html
    assert json.loads(client.cookies["oscar_history"].value) == [mug.pk, lamp.pk]
