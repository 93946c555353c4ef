"""The product read model (`catalogue.selectors`): one typed shape for the product page, the products API
and CMS blocks, read in a fixed number of queries (budgets measured on 2026-12-07, SQLite; ADR 58: the
anonymous product page of a parent in a category, with images, reviews and "also bought" cards, 19
statements with an empty cache (42-44, then 22 before) and 12 after a catalogue change (25-31, then 16
before), whatever the variants, images, reviews and cards; API detail 7 and 9, whatever the variants)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test.factories import ProductImageFactory, create_product, create_stockrecord

from apibase.money import Money
from catalogue.cache import catalogue_version_bump
from catalogue.reviews.services import product_rating_refresh
from catalogue.selectors import (
    ProductDetail,
    VariantRead,
    product_cards,
    product_detail,
    product_detail_queryset,
)
from content.models import CampaignPage, HomePage
from tests.catalogue.conftest import place_order, product_with_stock
from tests.content.conftest import publish_child

Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductReview = get_model("reviews", "ProductReview")
pytestmark = pytest.mark.django_db

# Statements of the page itself (savepoints of the test's own transaction left out).
# After a catalogue change, the layout's fragments, the category menu and the thumbnail entries still
# cached: the row; its categories with their ancestors (breadcrumbs); also bought (the ranking; its
# products and the category fillers); the variants; the stock, attribute values and images of the
# product, its variants and the cards (one query each); the tax rate; reviews; the view count. No
# session: the recently viewed list is Oscar's history cookie (catalogue/recommendations.py).
CATALOGUE_CHANGED_PAGE_BUDGET = 11
# An empty cache, besides: sorl's thumbnail entries, the layout (announcement, menus, site, footer,
# contact) and the category menu.
PAGE_BUDGET = CATALOGUE_CHANGED_PAGE_BUDGET + 7
API_DETAIL_BUDGET = 9  # product, images, stock, variants, their stock and attributes, attributes, categories, tax
CARDS_BUDGET = 7  # products, types, images, stock, variants, their stock, tax rate


def _parent(title: str, variants: int):
    """A parent whose variants differ by size and cost 40.00, 39.00, ...; the last one runs low."""
    parent = create_product(title=title, structure="parent")
    group = AttributeOptionGroup.objects.create(name=f"Sizes of {title}")
    ProductAttribute.objects.get_or_create(
        product_class=parent.product_class,
        code="size",
        defaults={"name": "Size", "type": "option", "option_group": group},
    )
    for index in range(variants):
        child = create_product(title=f"{title} {index:02}", parent=parent, structure="child",
                               product_class=parent.product_class)  # fmt: skip
        child.attr.size = group.options.create(option=f"S{index:02}")
        child.save()
        record = create_stockrecord(child, price=Decimal("40.00") - index, num_in_stock=2 if index else 0)
        record.low_stock_threshold = 5
        record.save()
    return parent


def _request(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    return request


def test_a_parent_reads_as_one_typed_shape_with_its_variants(rf):
    parent = _parent("Linen Shirt", 3)

    detail = product_detail(product=product_detail_queryset().get(pk=parent.pk), request=_request(rf))

    assert isinstance(detail, ProductDetail) and detail.structure == "parent"
    assert [type(v) for v in detail.variants] == [VariantRead] * 3
    prices = [Money("GBP", Decimal(p), Decimal(p)) for p in ("40.00", "39.00", "38.00")]
    assert [v.price for v in detail.variants] == prices
    assert detail.price == Money("GBP", Decimal("38.00"), Decimal("38.00"))  # the lowest variant price
    assert detail.is_available and detail.low_stock_units is None
    first, second, _ = detail.variants
    assert (first.is_available, first.low_stock_units) == (False, 0)
    assert (second.is_available, second.low_stock_units) == (True, 2)
    assert [(a.code, a.value) for a in second.attributes] == [("size", "S01")]
    assert detail.primary_image.is_missing and detail.images == ()


def test_the_read_model_reads_a_product_in_the_same_queries_whatever_its_variants(rf, django_assert_max_num_queries):
    few, many = _parent("Few", 3), _parent("Many", 30)

    def read(parent) -> int:
        with django_assert_max_num_queries(API_DETAIL_BUDGET) as counted:
            detail = product_detail(product=product_detail_queryset().get(pk=parent.pk), request=_request(rf))
        assert len(detail.variants) == parent.children.count()
        return len(counted)

    assert read(few) == read(many)


def test_cards_cost_the_same_queries_for_2_or_20_products(rf, django_assert_max_num_queries):
    for index in range(20):
        product_with_stock(f"Mug {index}")
    _parent("Knit", 4)  # the newest: in both lists

    def cards(limit: int) -> list:
        with django_assert_max_num_queries(CARDS_BUDGET) as counted:
            found = product_cards(products=Product.objects.browsable().order_by("-id")[:limit], request=_request(rf))
        return len(counted), found

    (small_cost, small), (large_cost, large) = cards(2), cards(20)
    assert small_cost == large_cost and (len(small), len(large)) == (2, 20)


def _statements(counted) -> int:
    """The statements a request made, less the savepoints of the test's own transaction."""
    return sum(1 for query in counted if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


def _queries(client, url: str, counter, budget: int) -> int:
    cache.clear()  # anonymous answers are cached (tests/catalogue/test_catalogue_cache.py): count a miss
    with counter(budget) as counted:
        assert client.get(url).status_code == 200
    return len(counted)


def _page_statements(url: str, budget: int, *, empty_cache: bool = True) -> int:
    """The statements of a new anonymous shopper's request of the product page at `url`, at most `budget`."""
    if empty_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as counted:
        assert Client().get(url).status_code == 200
    assert _statements(counted) <= budget, [query["sql"] for query in counted]
    return _statements(counted)


def _with_everything(parent, *, category, images: int, reviews: int, also_bought: int, users) -> None:
    """`parent` in `category`, with `images` images, `reviews` approved reviews (rating and count kept by
    the service), and bought with `also_bought` other products, each with an image, in orders of its variants."""
    ProductCategory.objects.create(product=parent, category=category)
    for index in range(images):
        ProductImageFactory(product=parent, display_order=index)
    variants = [child for child in parent.children.order_by("title") if child.stockrecords.get().num_in_stock]
    for index, user in enumerate(users[: max(reviews, also_bought)]):
        if index < reviews:
            ProductReview.objects.create(product=parent, user=user, title=f"Fine {index}", body="Fits.", score=4,
                                         status=ProductReview.APPROVED)  # fmt: skip
        if index < also_bought:
            other = product_with_stock(f"{parent.title} pick {index}")
            ProductImageFactory(product=other)
            place_order(user, variants[index % len(variants)], other)
    product_rating_refresh(product_id=parent.pk)


def test_the_product_page_and_the_api_detail_stay_within_their_budgets(
    api_client, django_assert_max_num_queries, django_user_model
):
    few, many, mug = _parent("Few", 3), _parent("Many", 30), product_with_stock("Enamel Mug")
    few_api, many_api = _parent("Few API", 3), _parent("Many API", 30)
    users = [django_user_model.objects.create_user(email=f"shopper{n}@example.com", password="x") for n in range(6)]
    shirts = create_from_breadcrumbs("Clothing > Shirts")
    _with_everything(few, category=shirts, images=1, reviews=1, also_bought=1, users=users)
    _with_everything(many, category=shirts, images=4, reviews=6, also_bought=3, users=users)
    for product in (few, many, mug, few_api, many_api):  # warm up: site, templates, thumbnails, analytics rows
        Client().get(product.get_absolute_url())
        api_client.get(f"/api/v1/products/{product.pk}/")

    pages = [_page_statements(p.get_absolute_url(), PAGE_BUDGET) for p in (few, many)]
    _page_statements(mug.get_absolute_url(), PAGE_BUDGET)
    details = [
        _queries(api_client, f"/api/v1/products/{p.pk}/", django_assert_max_num_queries, API_DETAIL_BUDGET)
        for p in (few_api, many_api, mug)
    ]
    assert pages[0] == pages[1] and details[0] == details[1]


def test_the_product_page_after_a_catalogue_change_stays_within_its_budget(django_user_model):
    """The first request after a catalogue change: the page data is made again, the layout's fragments
    (menus, footer: their own cache, dropped by content changes only) and the category menu (dropped by
    category changes only) are still cached."""
    few, many = _parent("Few", 3), _parent("Many", 30)
    users = [django_user_model.objects.create_user(email=f"shopper{n}@example.com", password="x") for n in range(6)]
    shirts = create_from_breadcrumbs("Clothing > Shirts")
    _with_everything(few, category=shirts, images=1, reviews=1, also_bought=1, users=users)
    _with_everything(many, category=shirts, images=4, reviews=6, also_bought=3, users=users)

    def cost(product) -> int:
        for _ in range(2):  # the layout's fragments (the first visit makes the contact settings' row), thumbnails
            Client().get(product.get_absolute_url())
        catalogue_version_bump()
        return _page_statements(product.get_absolute_url(), CATALOGUE_CHANGED_PAGE_BUDGET, empty_cache=False)

    assert cost(few) == cost(many)


def test_a_cms_block_of_products_reads_them_within_a_budget(client, api_client, django_assert_max_num_queries):
    home = HomePage.objects.get()
    mugs = [product_with_stock(f"Mug {index}") for index in range(8)]
    products = [_parent("Knit", 3), _parent("Linen", 12), *mugs]
    pages = [
        publish_child(
            home,
            CampaignPage(
                title=f"Picks {n}", slug=f"picks-{n}", body=[("featured_products", {"products": products[:n]})]
            ),
        )
        for n in (2, 10)
    ]
    for page in pages:
        client.get(page.url)  # warm up: site, templates, contact settings

    html_costs = [_queries(client, page.url, django_assert_max_num_queries, 22) for page in pages]
    api_costs = [
        _queries(api_client, f"/api/v1/cms/pages/{page.pk}/", django_assert_max_num_queries, 17) for page in pages
    ]
    assert html_costs[0] == html_costs[1] and api_costs[0] == api_costs[1]
