"""Each page type and block renders inside the storefront layout, with live catalogue data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.cache import catalogue_version_bump
from content.models import BlogArticlePage, BlogIndexPage, CampaignPage, ContentPage
from tests.content.conftest import publish_child

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_home_page_renders_hero_featured_products_tiles_banner_and_text(client, home, products, category):
    home.body = [
        ("hero", {"title": "Things worth keeping", "text": "Made to last.", "button_url": "/catalogue/"}),
        ("featured_products", {"title": "Editor's picks", "products": [products["oxford"], products["shirt"]]}),
        ("category_tiles", {"title": "Shop by category", "tiles": [{"category": category, "label": ""}]}),
        ("promo_banner", {"title": "Free repairs", "text": "For life.", "link_url": "/about/", "link_label": "How"}),
        ("heading", "Why Hypex"),
        ("paragraph", "<p>We sell <b>fewer, better</b> things.</p>"),
        ("latest_products", {"title": "New in", "count": 2}),
    ]
    home.save_revision().publish()

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Things worth keeping" in html and "Editor&#x27;s picks" in html
    assert html.index("Oxford Shirt") < html.index("Linen Shirt")  # the editor's order
    assert '<a href="/catalogue/category/clothing_' in html and "Clothing</span>" in html
    assert "Free repairs" in html and '<a class="btn btn-outline-primary hx-promo__link" href="/about/">How</a>' in html
    assert "<b>fewer, better</b>" in html
    used = {template.name for template in response.templates}
    assert {"oscar/layout.html", "oscar/partials/mini_basket.html"} <= used  # inside the storefront layout


def test_campaign_page_shows_chosen_products_a_category_grid_a_search_grid_and_a_live_voucher(
    client, home, products, category, voucher
):
    page = publish_child(
        home,
        CampaignPage(
            title="Summer sale",
            slug="summer-sale",
            intro="Light shirts for hot days.",
            body=[
                ("featured_products", {"title": "Picked", "products": [products["mug"]]}),
                ("product_grid", {"title": "All shirts", "category": category, "query": "", "count": 12}),
                ("product_grid", {"title": "Mugs", "category": None, "query": "mug", "count": 12}),
                ("voucher_cta", {"title": "20% off", "text": "This week only.", "code": "summer20"}),
            ],
        ),
    )

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200 and page.url == "/summer-sale/"
    assert "Light shirts for hot days." in html
    grid = html[html.index("All shirts") : html.index("Mugs")]
    assert "Linen Shirt" in grid and "Oxford Shirt" in grid and "Stoneware Mug" not in grid
    assert "Stoneware Mug" in html[html.index("Mugs") :]
    assert "hx-product__availability--out" in html  # the sold-out mug says so
    assert "Use code <strong>SUMMER20</strong>" in html


def test_voucher_call_to_action_disappears_once_the_voucher_ends(client, home, voucher):
    page = publish_child(
        home, CampaignPage(title="Deal", slug="deal", body=[("voucher_cta", {"title": "Deal", "code": "SUMMER20"})])
    )
    assert "SUMMER20" in client.get(page.url).content.decode()

    voucher.end_datetime = timezone.now() - timezone.timedelta(minutes=1)
    voucher.save()

    assert "SUMMER20" not in client.get(page.url).content.decode()


def test_product_block_shows_the_live_price_after_the_stock_record_changes(client, home, products):
    page = publish_child(
        home,
        CampaignPage(
            title="One shirt", slug="one-shirt", body=[("featured_products", {"products": [products["shirt"]]})]
        ),
    )
    assert "£40.00" in client.get(page.url).content.decode()

    # A bulk update sends no signal: like every write path that makes one, it invalidates the catalogue
    # cache, under whose version the block's cards are cached for anonymous shoppers (ADR 23, 58).
    StockRecord.objects.filter(product=products["shirt"]).update(price=Decimal("29.99"), num_in_stock=0)
    catalogue_version_bump()  # what catalogue_cache_invalidate() runs at commit

    html = client.get(page.url).content.decode()
    assert "£29.99" in html and "£40.00" not in html
    assert "hx-product__availability--out" in html


def test_content_page_renders_text_and_questions(client, home):
    page = publish_child(
        home,
        ContentPage(
            title="FAQ",
            slug="faq",
            body=[
                ("heading", "Delivery"),
                ("paragraph", "<p>We ship in two days.</p>"),
                (
                    "faq",
                    {"title": "Questions", "items": [{"question": "Do you ship abroad?", "answer": "<p>Yes.</p>"}]},
                ),
            ],
        ),
    )

    html = client.get("/faq/").content.decode()
    assert '<dt class="hx-faq__question">Do you ship abroad?</dt>' in html
    assert "We ship in two days." in html and page.title in html


def test_blog_index_lists_live_articles_newest_first_and_an_article_renders(client, home):
    blog = publish_child(home, BlogIndexPage(title="Journal", slug="journal", intro="<p>Notes from the shop.</p>"))
    publish_child(blog, BlogArticlePage(title="Older", slug="older", published_date="2026-01-01", intro="First."))
    publish_child(blog, BlogArticlePage(title="Newer", slug="newer", published_date="2026-03-01", intro="Second."))
    draft = BlogArticlePage(title="Unpublished draft", slug="draft", live=False)
    blog.add_child(instance=draft)

    html = client.get("/journal/").content.decode()
    assert html.index("Newer") < html.index("Older") and "Unpublished draft" not in html
    article = client.get("/journal/newer/").content.decode()
    assert "Second." in article and '<time datetime="2026-03-01">' in article
    assert client.get("/journal/draft/").status_code == 404


def test_product_grid_needs_a_category_or_a_search_term():
    from django.core.exceptions import ValidationError

    from content.blocks import ProductGridBlock

    block = ProductGridBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "x", "category": None, "query": "  ", "count": 4}))


def test_a_product_block_reads_the_catalogue_in_a_fixed_number_of_queries(client, home, products):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from oscar.test.factories import create_product

    def queries_for(page) -> int:
        client.get(page.url)  # warm the caches (site, templates)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        return len(queries)

    few = publish_child(
        home, CampaignPage(title="Few", slug="few", body=[("featured_products", {"products": [products["shirt"]]})])
    )
    more = [create_product(title=f"Extra {n}", price=Decimal("5.00"), num_in_stock=1) for n in range(5)]
    many = publish_child(
        home,
        CampaignPage(title="Many", slug="many", body=[("featured_products", {"products": [products["shirt"], *more]})]),
    )

    # The first render of any page creates the contact settings row, which refreshes the fragment cache:
    # warm both pages before counting.
    client.get(few.url)
    assert queries_for(many) == queries_for(few)
