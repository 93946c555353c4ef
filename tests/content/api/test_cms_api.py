"""Wagtail's page API for apps under /api/v1/cms/, in the project's error format."""

from __future__ import annotations

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from content.models import CampaignPage, ContentPage
from tests.content.conftest import publish_child

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(home, products, voucher):
    return publish_child(
        home,
        CampaignPage(
            title="Summer sale",
            slug="summer-sale",
            intro="Light shirts.",
            body=[
                ("featured_products", {"title": "Picked", "products": [products["shirt"]]}),
                ("voucher_cta", {"title": "20% off", "code": "SUMMER20"}),
            ],
        ),
    )


def test_pages_list_shows_live_pages_with_their_type(api_client, campaign, home):
    draft = ContentPage(title="Secret", slug="secret", live=False)
    home.add_child(instance=draft)

    response = api_client.get("/api/v1/cms/pages/")

    assert response.status_code == 200
    titles = {item["title"]: item["meta"]["type"] for item in response.json()["items"]}
    assert titles["Summer sale"] == "content.CampaignPage" and "Secret" not in titles


def test_page_detail_has_the_body_with_live_product_prices_as_strings(api_client, campaign, products):
    StockRecord.objects.filter(product=products["shirt"]).update(price=Decimal("35.50"))

    response = api_client.get(f"/api/v1/cms/pages/{campaign.pk}/")

    assert response.status_code == 200
    page = response.json()
    assert page["intro"] == "Light shirts." and page["meta"]["html_url"].endswith("/summer-sale/")
    featured, cta = page["body"]
    product = featured["value"]["products"][0]
    assert product["title"] == "Linen Shirt" and product["url"] == products["shirt"].get_absolute_url()
    assert product["price"]["currency"] == "GBP" and product["price"]["excl_tax"] == "35.50"
    assert product["is_available"] is True
    assert cta["value"]["code"] == "SUMMER20" and cta["value"]["is_active"] is True


def test_pages_can_be_filtered_by_type_and_found_by_path(api_client, campaign):
    listing = api_client.get("/api/v1/cms/pages/", {"type": "content.CampaignPage", "fields": "intro"}).json()
    assert [item["intro"] for item in listing["items"]] == ["Light shirts."]
    found = api_client.get("/api/v1/cms/pages/find/", {"html_path": "/summer-sale/"}, follow=True)
    assert found.status_code == 200 and found.json()["id"] == campaign.pk


def test_bad_query_answers_400_in_the_project_error_format(api_client, campaign):
    response = api_client.get("/api/v1/cms/pages/", {"type": "content.NoSuchPage"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert "type doesn't exist" in response.json()["error"]["message"]


def test_missing_page_answers_404_in_the_project_error_format(api_client, db):
    response = api_client.get("/api/v1/cms/pages/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_images_and_documents_endpoints_answer(api_client, db):
    assert api_client.get("/api/v1/cms/images/").json()["meta"]["total_count"] == 0
    assert api_client.get("/api/v1/cms/documents/").json()["meta"]["total_count"] == 0


def test_the_openapi_schema_leaves_the_cms_api_out(api_client, db):
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert paths and not [path for path in paths if path.startswith("/api/v1/cms/")]


def test_the_api_root_links_the_cms_endpoints(api_client, db):
    sections = api_client.get("/api/v1/").json()["sections"]
    assert sections["cms_pages"].endswith("/api/v1/cms/pages/")
    assert sections["cms_images"].endswith("/api/v1/cms/images/")
    assert sections["cms_documents"].endswith("/api/v1/cms/documents/")


def test_cms_api_urls_use_the_host_the_shop_is_served_from(api_client, campaign):
    """`make run` on another port: the CMS API's absolute URLs are on that host, not SITE_URL's."""
    served = {"HTTP_HOST": "localhost:8123"}
    items = api_client.get("/api/v1/cms/pages/", **served).json()["items"]
    detail = api_client.get(f"/api/v1/cms/pages/{campaign.pk}/", **served).json()

    urls = [item["meta"][key] for item in items for key in ("detail_url", "html_url")]
    urls += [detail["meta"]["detail_url"], detail["meta"]["html_url"]]
    assert [url for url in urls if not url.startswith("http://localhost:8123/")] == []
    assert detail["meta"]["html_url"] == "http://localhost:8123/summer-sale/"
