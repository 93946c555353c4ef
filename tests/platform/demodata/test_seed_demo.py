"""seed_demo builds a whole demo shop, the same one for the same seed, and can run again safely."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model

from checkout.invoices.models import Document
from content.models import HomePage
from demodata.builders import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_VOUCHER_CODE, SHIPPING_COUNTRIES
from demodata.history import HISTORY_PREFIX
from demodata.orders import DEMO_CUSTOMER_EMAIL

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")
Voucher = get_model("voucher", "Voucher")
WeightBased = get_model("shipping", "WeightBased")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
TaxRate = get_model("checkout", "TaxRate")
Country = get_model("address", "Country")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
ProductReview = get_model("reviews", "ProductReview")
CUSTOMER = "maya.patel@hypex.test"  # one of the twelve customers with a history (demodata.customers)

pytestmark = pytest.mark.django_db


def _seed(**kwargs) -> None:
    call_command("seed_demo", no_progress=True, verbosity=0, **kwargs)


def _snapshot() -> list[tuple]:
    return sorted(StockRecord.objects.values_list("partner_sku", "price", "num_in_stock"))


def test_seed_builds_every_part_of_the_demo_shop():
    _seed(products=20)

    assert Product.objects.filter(parent__isnull=True).count() == 20
    parents = Product.objects.filter(structure=Product.PARENT)
    assert parents.exists()
    assert all(parent.children.count() == 4 for parent in parents)
    assert Category.objects.filter(depth=1).count() == 3
    assert Category.objects.filter(depth=2).count() == 7
    assert ProductImage.objects.count() == 20
    assert StockRecord.objects.filter(price__gt=Decimal("0")).count() == StockRecord.objects.count() > 0
    assert WeightBased.objects.get(code="standard").bands.count() == 3
    assert OrderAndItemCharges.objects.filter(code="express").exists()
    ships_to = set(Country.objects.filter(is_shipping_country=True).values_list("iso_3166_1_a2", flat=True))
    assert ships_to == set(TaxRate.objects.values_list("country_id", flat=True)) == set(SHIPPING_COUNTRIES)
    assert Voucher.objects.get(code=DEMO_VOUCHER_CODE).offers.count() == 1
    admin = get_user_model().objects.get(email=DEMO_ADMIN_EMAIL)
    assert admin.is_superuser and admin.check_password(DEMO_ADMIN_PASSWORD)
    home = HomePage.objects.get()
    assert home.live and [block.block_type for block in home.body][:2] == ["hero", "latest_products"]
    colour_values = {
        child.attr.get_value_by_attribute(child.attr.get_attribute_by_code("size")).value_as_text
        for child in parents.first().children.all()
    }
    assert colour_values == {"S", "M", "L", "XL"}
    # the paid demo orders' invoices carry the merchant's contact details: the site content came first
    invoice = Document.objects.filter(kind="invoice").order_by("pk").first()
    assert invoice is not None and invoice.content["merchant"]["email"] == "hello@hypex.test"


def _counts() -> tuple:
    models = (Product, ProductImage, Voucher, Order, Line, ProductReview, get_user_model())
    return (_snapshot(), *(model.objects.count() for model in models), sorted(Product.objects.values_list(
        "upc", "rating", "reviews_count")))  # fmt: skip


def test_seed_is_idempotent():
    _seed(products=10)
    before = _counts()
    _seed(products=10)
    assert _counts() == before
    assert before[4] > 100 and before[6] > 0  # orders and reviews were there to be duplicated


def test_no_history_leaves_out_the_customers_past_and_a_later_seed_adds_it():
    _seed(products=2, no_history=True)
    assert not Order.objects.filter(number__startswith=HISTORY_PREFIX).exists()
    assert ProductReview.objects.count() == 0 and not get_user_model().objects.filter(email=CUSTOMER).exists()
    assert Order.objects.filter(user__email=DEMO_CUSTOMER_EMAIL).count() == 4  # the lifecycle orders stay

    _seed(products=2)
    assert Order.objects.filter(number__startswith=HISTORY_PREFIX).count() > 100
    assert ProductReview.objects.exists() and get_user_model().objects.filter(email=CUSTOMER).exists()


def test_seed_is_deterministic_for_a_seed_and_differs_across_seeds():
    _seed(products=12, seed=7, no_history=True)  # the catalogue's stream is its own (history and reviews aside)
    first = _snapshot()
    Product.objects.all().delete()
    _seed(products=12, seed=7, no_history=True)
    assert _snapshot() == first

    Product.objects.all().delete()
    _seed(products=12, seed=8, no_history=True)
    assert _snapshot() != first


def test_seed_grows_the_catalogue_without_touching_existing_products():
    _seed(products=5, no_history=True)
    existing = _snapshot()
    _seed(products=9, no_history=True)
    assert Product.objects.filter(parent__isnull=True).count() == 9
    assert set(existing) <= set(_snapshot())


def test_negative_product_count_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        _seed(products=-1)
    assert exc.value.code == 2


def test_top_level_product_titles_are_unique():
    _seed(products=120, no_history=True)
    titles = list(Product.objects.filter(parent__isnull=True).values_list("title", flat=True))
    assert len(titles) == len(set(titles)) == 120


def test_after_seeding_each_indexed_model_has_exactly_one_indexer_and_products_are_found():
    from django.db.models.signals import post_save
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    from dataexchange.search_index import _post_save

    call_command("seed_demo", products=4, no_history=True, no_progress=True, verbosity=0)

    for model in index.get_indexed_models():
        indexers = [
            receiver
            for receiver in post_save._live_receivers(model)[0]
            if receiver in (post_save_signal_handler, _post_save)
        ]
        assert len(indexers) == 1, (model, indexers)
    from wagtail.search.backends import get_search_backend

    top_level = Product.objects.filter(parent__isnull=True).first()
    assert top_level in list(get_search_backend().search(top_level.title, Product))


def test_seeded_products_are_searchable_and_their_stock_is_watched(client):
    """The products are written in bulk (no per-row save, so no signals): the seed indexes them for search
    itself and records each stock record's level, the baseline the back-in-stock mails compare with."""
    _seed(products=12, no_history=True)

    assert get_model("partner", "StockLevel").objects.count() == StockRecord.objects.count() > 12
    some = Product.objects.filter(parent__isnull=True).order_by("id").first()
    found = client.get("/api/v1/products/", {"q": some.title.split()[-1]}).json()
    assert some.pk in [product["id"] for product in found["results"]]
