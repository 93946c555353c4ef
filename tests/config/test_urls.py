"""Every top-level URL answers without a server error, for an anonymous visitor and for staff."""

import pytest
from oscar.core.loading import get_model

from tests.seeded import seeded_shop

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db

TOP_LEVEL_URLS = [
    "/",
    "/catalogue/",
    "/basket/",
    "/checkout/",
    "/accounts/login/",
    "/accounts/",
    "/search/?q=shirt",
    "/offers/",
    "/auth/login/",
    "/auth/signup/",
    "/admin/",
    "/cms/",
    "/api/v1/",
    "/api/v1/schema/",
    "/api/v1/schema/swagger-ui/",
    "/api/v1/schema/redoc/",
    "/api/v1/products/",
    "/api/v1/categories/",
    "/healthz",
    "/readyz",
    "/robots.txt",
    "/sitemap.xml",
    "/catalogue/feed/",
    "/api/v1/support/conversations/",
]


demo_shop = seeded_shop(products=6, history=True)  # once for the module; every test reads it (tests/seeded.py)


def _product_url() -> str:
    return Product.objects.filter(structure=Product.PARENT).first().get_absolute_url()


# Where a URL sends a visitor instead of answering it: exactly these, nothing else (a redirect to a login
# page for staff, or anywhere unexpected, fails).
ANONYMOUS_REDIRECTS = {
    "/checkout/": "/basket/",  # an empty basket has nothing to check out
    "/accounts/login/": "/auth/login/",  # Oscar's login page hands over to allauth's
    "/accounts/": "/auth/login/?next=/accounts/",
    "/admin/": "/admin/login/?next=/admin/",
    "/cms/": "/admin/login/?next=/cms/",  # one staff login for both
}
STAFF_REDIRECTS = {
    "/checkout/": "/basket/",
    "/accounts/login/": "/auth/login/",
    "/accounts/": "/accounts/profile/",
    "/auth/login/": "/",  # already signed in
    "/auth/signup/": "/",
}


@pytest.mark.parametrize("url", TOP_LEVEL_URLS)
def test_top_level_url_answers_anonymous_visitor(client, demo_shop, url):
    response = client.get(url)
    if url in ANONYMOUS_REDIRECTS:
        assert (response.status_code, response["Location"]) == (302, ANONYMOUS_REDIRECTS[url])
    else:
        assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("url", TOP_LEVEL_URLS)
def test_top_level_url_answers_staff(client, demo_shop, staff_user, url):
    client.force_login(staff_user)
    response = client.get(url)
    if url in STAFF_REDIRECTS:
        assert (response.status_code, response["Location"]) == (302, STAFF_REDIRECTS[url])
    else:
        assert response.status_code == 200, response.content[:500]


def test_product_page_shows_product_to_anonymous_and_staff(client, demo_shop, staff_user):
    url = _product_url()
    assert client.get(url).status_code == 200
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    # Oscar's "edit this product" link leads staff into the unfold admin, not Oscar's dashboard.
    product = Product.objects.get(slug=url.strip("/").split("/")[-1].rsplit("_", 1)[0], structure=Product.PARENT)
    assert f"/dashboard/catalogue/products/{product.pk}/".encode() in response.content
    bridge = client.get(f"/dashboard/catalogue/products/{product.pk}/")
    assert bridge.status_code == 302
    assert bridge["Location"] == f"/admin/catalogue/product/{product.pk}/change/"


def test_home_page_is_the_wagtail_home_with_products(client, demo_shop):
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "content/home_page.html"
    assert b"Things worth keeping" in response.content
    assert response.content.count(b"product_pod") >= 6


def test_admin_and_cms_take_one_staff_login(client, staff_user, password):
    response = client.post("/admin/login/?next=/admin/", {"username": staff_user.email, "password": password})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/cms/").status_code == 200


def test_unknown_page_is_a_404_not_a_500(client, db):
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/catalogue/", "/basket/", "/auth/login/", "/accounts/login/"])
def test_storefront_pages_load_nothing_from_a_cdn(client, demo_shop, url):
    response = client.get(url, follow=True)
    html = response.content.decode()
    for host in ("googleapis.com", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert host not in html
