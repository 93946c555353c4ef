"""The storefront wears Hypex's own theme: one local stylesheet, a little local JavaScript, no CDN,
a header with search (suggestions), account links, mini-basket and menu, canonical URLs, phone-ready."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test.factories import create_product

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

STOREFRONT_PAGES = ["/", "/catalogue/", "/search/?q=shirt", "/basket/", "/auth/login/", "/accounts/login/"]


@pytest.fixture
def shop(db):
    for path, title in (("Clothing > Shirts", "Red Oxford Shirt"), ("Books", "The Repair Manual")):
        product = create_product(title=title, price="25.00", num_in_stock=10)
        product.categories.add(create_from_breadcrumbs(path))


def _html(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", STOREFRONT_PAGES)
def test_every_page_loads_one_local_stylesheet_and_no_third_party_asset(client, shop, url):
    html = _html(client, url)
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]*>', html)
    assert len(stylesheets) == 1 and "hypex/css/hypex.css" in stylesheets[0]
    external = re.findall(r'(?:src|href)="(?:https?:)?//(?!testserver)[^"]+"', html)
    assert [ref for ref in external if "<link" in ref or "<script" in ref] == []
    assert not re.search(r'<script[^>]+src="(?:https?:)?//', html)
    assert "bootstrap" not in html and "oscar/css/styles.css" not in html


def test_header_has_search_with_suggestions_account_links_menu_and_mini_basket(client, shop):
    html = _html(client, "/")
    assert 'role="search"' in html and 'data-suggest-url="/api/v1/search/suggest/"' in html
    assert 'role="combobox"' in html and 'id="hx-search-suggestions"' in html
    assert 'href="/auth/login/"' in html
    assert 'id="mini-basket"' in html
    assert 'id="hx-nav"' in html and 'href="/catalogue/"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'class="hx-skip" href="#main"' in html and '<main id="main"' in html


def test_menu_lists_the_top_level_categories(client, shop):
    html = _html(client, "/")
    for name in ("Clothing", "Books"):
        assert f">{name}</a></li>" in html


def test_mini_basket_shows_what_the_shopper_added(client, shop):
    product = Product.objects.filter(structure="standalone", stockrecords__num_in_stock__gt=0).first()
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 2}, follow=True)
    assert response.status_code == 200
    html = _html(client, "/catalogue/")
    basket = html[html.index('id="mini-basket"') :]
    basket = basket[: basket.index("</details>")]
    assert product.get_title() in basket
    assert "&times; 2" in basket
    assert "data-basket-count>2<" in basket


def test_canonical_url_drops_the_query_string(client, shop):
    html = _html(client, "/catalogue/?page=2&sort=price-asc")
    assert '<link rel="canonical" href="http://testserver/catalogue/">' in html


def test_every_page_has_exactly_one_canonical_url_and_one_og_url(client, shop):
    product = Product.objects.get(title="Red Oxford Shirt")
    for url in ["/", "/catalogue/", "/search/?q=shirt", product.get_absolute_url()]:
        html = _html(client, url)
        assert html.count('rel="canonical"') == 1, url
        assert html.count('property="og:url"') == 1, url
        assert "<h1></h1>" not in html, url


def test_checkout_pages_use_the_slim_checkout_header(client, shop):
    product = Product.objects.filter(structure="standalone", stockrecords__num_in_stock__gt=0).first()
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    html = _html(client, "/checkout/")
    assert "hx-header--checkout" in html
    assert 'id="hx-nav"' not in html


def test_theme_assets_are_served_locally():
    static = Path(settings.BASE_DIR) / "static" / "hypex"
    css = (static / "css" / "hypex.css").read_text()
    js = (static / "js" / "hypex.js").read_text()
    assert "@import" not in css and "http" not in css
    assert "fetch(" in js and "http" not in js.replace("https?", "")
