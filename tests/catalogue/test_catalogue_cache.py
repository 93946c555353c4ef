"""Anonymous catalogue responses and fragments are cached, and any product, stock or price change
shows on the next request (ORM and admin); the products API serves signed-in shoppers from the cache
of their tax country (ADR 57), pages never.
Also the query budgets of the new endpoints and pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.catalogue.conftest import place_order, product_with_stock
from tests.conftest import auth_header

TaxRate = get_model("checkout", "TaxRate")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
pytestmark = pytest.mark.django_db


def _count(client, url: str, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return len(captured)


URLS = [
    "/api/v1/products/",
    "/api/v1/products/{pk}/",
    "/api/v1/products/{pk}/recommendations/",
]


@pytest.mark.parametrize("template", URLS)
def test_anonymous_api_is_served_from_cache_and_a_price_edit_shows_next_request(api_client, product, template):
    url = template.format(pk=product.pk)
    first = api_client.get(url).content
    assert _count(api_client, url) == 0  # cached: no database work at all
    assert api_client.get(url).content == first
    record = product.stockrecords.get()
    record.price = Decimal("99.00")
    record.save()
    assert b"99.00" in api_client.get(url).content or template.endswith("recommendations/")


def test_price_edit_on_the_product_page_shows_next_request(client, product):
    assert "£20.00" in client.get(product.get_absolute_url()).content.decode()
    record = product.stockrecords.get()
    record.price = Decimal("24.50")
    record.save()
    html = client.get(product.get_absolute_url()).content.decode()
    assert "£24.50" in html and "£20.00" not in html


def test_price_edit_in_the_admin_shows_next_request(client, staff_user, product):
    anonymous = client.__class__()
    assert "£20.00" in anonymous.get(product.get_absolute_url()).content.decode()
    assert '"excl_tax":"20.00"' in anonymous.get(f"/api/v1/products/{product.pk}/").content.decode()
    assert "£20.00" in anonymous.get("/catalogue/").content.decode()
    record = product.stockrecords.get()
    client.force_login(staff_user)
    change = f"/admin/partner/stockrecord/{record.pk}/change/"
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"product": product.pk, "partner": record.partner_id, "price": "31.00", "price_currency": "GBP"})
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "£31.00" in anonymous.get(product.get_absolute_url()).content.decode()
    assert '"excl_tax":"31.00"' in anonymous.get(f"/api/v1/products/{product.pk}/").content.decode()
    assert "£31.00" in anonymous.get("/catalogue/").content.decode()


def test_stock_running_out_and_title_edits_show_next_request(api_client, product):
    url = f"/api/v1/products/{product.pk}/"
    assert api_client.get(url).json()["is_available"] is True
    record = product.stockrecords.get()
    record.num_in_stock = 0
    record.save()
    assert api_client.get(url).json()["is_available"] is False
    product.title = "Renamed Shirt"
    product.save()
    assert api_client.get(url).json()["title"] == "Renamed Shirt"


@pytest.mark.parametrize("template", ["/api/v1/products/", "/api/v1/products/{pk}/"])
def test_signed_in_shoppers_are_served_the_products_api_of_their_tax_country(
    api_client, user, product, countries, settings, template
):
    """The list and detail differ between shoppers only by the tax their prices include: a shopper taxed
    for France sees France's gross price, from a cache entry of France's, never Great Britain's."""
    settings.SHOP_PRICES_INCLUDE_TAX = False  # 20.00 before tax: 24.00 in Great Britain, 22.00 in France
    TaxRate.objects.create(country_id="GB", rate=Decimal("0.20"), name="VAT")
    TaxRate.objects.create(country_id="FR", rate=Decimal("0.10"), name="TVA")
    url = template.format(pk=product.pk)
    anonymous = api_client.get(url).content  # cached for Great Britain (the shop's country)
    signed_in = api_client.get(url, **auth_header(user)).content
    assert signed_in == anonymous and b'"incl_tax":"24.00"' in anonymous
    assert _count(api_client, url, **auth_header(user)) == 2  # the token's user and their address

    UserAddress.objects.create(
        user=user, line1="1 Rue", line4="Paris", postcode="75001", country=Country.objects.get(iso_3166_1_a2="FR"),
        is_default_for_shipping=True,
    )  # fmt: skip
    in_france = api_client.get(url, **auth_header(user)).content
    assert b'"incl_tax":"22.00"' in in_france and b'"incl_tax":"24.00"' in api_client.get(url).content


def test_signed_in_shoppers_are_never_served_pages_from_the_cache(client, user, product):
    client.force_login(user)
    client.get(product.get_absolute_url())
    assert _count(client, product.get_absolute_url()) > 0


def test_catalogue_card_fragments_are_cached_for_anonymous_shoppers(client, user, product):
    product_with_stock("Second")
    client.get("/catalogue/")
    warm = _count(client, "/catalogue/")
    client.force_login(user)
    client.get("/catalogue/")
    assert _count(client, "/catalogue/") > warm


def test_query_budgets_of_new_endpoints_do_not_grow_with_data(api_client, user, client):
    """Uncached (signed in) cost of recommendations, reviews and the product page: the same for
    2 or 5 also-bought products and reviews."""
    from django.contrib.auth import get_user_model

    from catalogue.reviews import services

    def shop(n: int):
        main = product_with_stock(f"Main {n}")
        others = [product_with_stock(f"Other {n}-{i}") for i in range(n)]
        for i in range(n):
            buyer = get_user_model().objects.create_user(email=f"b{n}-{i}@x.test", password="x-long-pass-1")
            place_order(buyer, main, *others)
            review = services.review_create(product=main, user=buyer, score=4, title="T", body="B")
            services.reviews_approve(review_ids=[review.pk])
        return main

    small, large = shop(2), shop(5)
    headers = auth_header(user)
    for template in ("/api/v1/products/{pk}/recommendations/", "/api/v1/products/{pk}/reviews/"):
        _count(api_client, template.format(pk=small.pk), **headers)
        assert _count(api_client, template.format(pk=small.pk), **headers) == _count(
            api_client, template.format(pk=large.pk), **headers
        )
    client.force_login(user)
    client.get(small.get_absolute_url())
    client.get(large.get_absolute_url())  # from now on each page lists the other as recently viewed
    small_page, large_page = _count(client, small.get_absolute_url()), _count(client, large.get_absolute_url())
    # the small shop needs one more query: same-category products fill its short also-bought list
    assert large_page <= small_page <= 40
    assert _count(api_client, "/api/v1/search/suggest/?q=other") <= 6
