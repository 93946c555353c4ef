"""sitemap.xml (pages, categories, products), robots.txt and the new-products feeds."""

import re

import pytest
from oscar.core.loading import get_model

from tests.seeded import seeded_shop

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db

shop = seeded_shop(products=8, history=False)  # once for the module; every test reads it (tests/seeded.py)


def test_sitemap_lists_pages_categories_and_browsable_products(client, shop):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://testserver/</loc>" in xml or "<loc>http://127.0.0.1:8000/</loc>" in xml
    assert "/catalogue/category/clothing_" in xml
    for product in Product.objects.browsable():
        assert product.get_absolute_url() in xml
    child = Product.objects.filter(structure="child").first()
    assert child.get_absolute_url() not in xml


def test_robots_txt_points_to_the_sitemap_and_hides_private_areas(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /checkout/" in body


@pytest.mark.parametrize(("url", "marker"), [("/catalogue/feed/", "<rss"), ("/catalogue/feed/atom/", "<feed")])
def test_feeds_list_the_newest_products(client, shop, url, marker):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert marker in body
    newest = Product.objects.browsable().order_by("-date_created", "-id").first()
    assert newest.title in body


def test_sitemap_urls_use_the_host_the_shop_is_served_from(client, shop):
    """`make run` on another port: every URL in the sitemap is on that host, not the Sites table's."""
    xml = client.get("/sitemap.xml", HTTP_HOST="localhost:8123").content.decode()

    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert len(locations) > 10
    assert [url for url in locations if not url.startswith("http://localhost:8123/")] == []
