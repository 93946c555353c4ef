"""Every back-office write that changes what a shopper sees makes the anonymous catalogue cache stale
(ADR 0023): the product page and the products API, read (and so cached) before the write, show the
new state on the very next anonymous request after it.

Each write runs as staff do it (the admin through the test client; imports through upload, dry run
and confirm, whose tasks run after commit) inside `django_capture_on_commit_callbacks(execute=True)`,
because the invalidation runs after the write commits. The cache is the real one of the settings:
local memory on the embedded default, Redis with REDIS_URL.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from oscar.core.loading import get_model
from oscar.test import factories

from backoffice.variant_add import product_variants_add
from backoffice.variant_grid import StockCell, VariantRow, product_variants_update
from tests.platform.backoffice.bulk_steps import bulk_confirm
from tests.platform.backoffice.conftest import variant_family
from tests.platform.dataexchange.conftest import upload

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
Country = get_model("address", "Country")
TaxRate = get_model("checkout", "TaxRate")
Partner = get_model("partner", "Partner")
PRODUCTS_CHANGELIST = "/admin/catalogue/product/"
IMPORT_ADD = "/admin/dataexchange/importjob/add/"


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def shopper() -> Client:
    return Client()


def _lamp(**kwargs):
    return factories.create_product(
        title="Brass lamp", price=Decimal("20.00"), num_in_stock=10, partner_sku="LAMP-1", **kwargs
    )


def _page(shopper: Client, product) -> tuple[int, str]:
    response = shopper.get(product.get_absolute_url())
    return response.status_code, response.content.decode()


def _detail(shopper: Client, product) -> tuple[int, dict]:
    response = shopper.get(f"/api/v1/products/{product.pk}/")
    return response.status_code, response.json()


def _listed(shopper: Client, query: str = "") -> dict[int, dict]:
    response = shopper.get(f"/api/v1/products/{query}")
    assert response.status_code == 200
    return {card["id"]: card for card in response.json()["results"]}


def _act(staff_client: Client, django_capture_on_commit_callbacks, action: str, products, **extra) -> list[str]:
    if extra:  # the actions with a page of their own: preview, then confirm
        with django_capture_on_commit_callbacks(execute=True):
            return bulk_confirm(staff_client, action, products, **extra)
    data = {"action": action, "_selected_action": [p.pk for p in products], "index": 0, **extra}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(PRODUCTS_CHANGELIST, data, follow=True)
    assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def _import(staff_client: Client, django_capture_on_commit_callbacks, resource: str, rows: list[dict]) -> None:
    """Upload, dry run (after commit), confirm, import (after commit): the back office's import flow."""
    with django_capture_on_commit_callbacks(execute=True):
        data = {"resource": resource, "format": "", "import_file": upload(rows, "csv")}
        response = staff_client.post(IMPORT_ADD, data)
    assert response.status_code == 302
    job_url = response["Location"]
    assert b"Confirm the import" in staff_client.get(job_url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(job_url.replace("/change/", "/confirm/"))
    assert response.status_code == 302
    assert b"Imported." in staff_client.get(response["Location"]).content


def test_bulk_publish_shows_the_product_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    lamp = _lamp(is_public=False)
    assert _page(shopper, lamp)[0] == 404
    assert _detail(shopper, lamp)[0] == 404
    assert lamp.pk not in _listed(shopper)

    assert _act(staff_client, django_capture_on_commit_callbacks, "publish", [lamp]) == ["1 products published."]

    status, html = _page(shopper, lamp)
    assert status == 200 and "£20.00" in html
    assert _detail(shopper, lamp)[0] == 200
    assert lamp.pk in _listed(shopper)


def test_bulk_unpublish_hides_the_product_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    lamp = _lamp()
    assert _page(shopper, lamp)[0] == 200
    assert _detail(shopper, lamp)[0] == 200
    assert lamp.pk in _listed(shopper)

    assert _act(staff_client, django_capture_on_commit_callbacks, "unpublish", [lamp]) == ["1 products unpublished."]

    assert _page(shopper, lamp)[0] == 404
    assert _detail(shopper, lamp)[0] == 404
    assert lamp.pk not in _listed(shopper)


def test_bulk_price_change_shows_the_new_price_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    lamp = _lamp()
    assert "£20.00" in _page(shopper, lamp)[1]
    assert _detail(shopper, lamp)[1]["price"]["excl_tax"] == "20.00"
    assert _listed(shopper)[lamp.pk]["price"]["excl_tax"] == "20.00"

    messages = _act(staff_client, django_capture_on_commit_callbacks, "change_prices", [lamp], percent="-10")
    assert messages == ["1 stock records changed (-10%). Undo it within 24 hours."]

    status, html = _page(shopper, lamp)
    assert "£18.00" in html and "£20.00" not in html
    assert _detail(shopper, lamp)[1]["price"]["excl_tax"] == "18.00"
    assert _listed(shopper)[lamp.pk]["price"]["excl_tax"] == "18.00"


def test_stock_import_shows_the_new_availability_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    lamp = _lamp()
    assert "In stock" in _page(shopper, lamp)[1]
    assert _detail(shopper, lamp)[1]["is_available"] is True
    assert _listed(shopper)[lamp.pk]["is_available"] is True

    _import(staff_client, django_capture_on_commit_callbacks, "stock", [{"partner_sku": "LAMP-1", "num_in_stock": 0}])

    assert "Out of stock" in _page(shopper, lamp)[1]
    assert _detail(shopper, lamp)[1]["is_available"] is False
    assert _listed(shopper)[lamp.pk]["is_available"] is False


def test_price_import_shows_the_new_price_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    lamp = _lamp()
    assert "£20.00" in _page(shopper, lamp)[1]
    assert _detail(shopper, lamp)[1]["price"]["excl_tax"] == "20.00"
    assert _listed(shopper)[lamp.pk]["price"]["excl_tax"] == "20.00"

    rows = [{"partner_sku": "LAMP-1", "price": "27.50", "currency": "GBP"}]
    _import(staff_client, django_capture_on_commit_callbacks, "prices", rows)

    html = _page(shopper, lamp)[1]
    assert "£27.50" in html and "£20.00" not in html
    assert _detail(shopper, lamp)[1]["price"]["excl_tax"] == "27.50"
    assert _listed(shopper)[lamp.pk]["price"]["excl_tax"] == "27.50"


def test_tax_rate_change_shows_the_new_gross_price_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks, settings
):
    settings.SHOP_TAX_COUNTRY, settings.SHOP_PRICES_INCLUDE_TAX = "GB", False
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "printable_name": "United Kingdom"}
    )
    rate = TaxRate.objects.create(country=country, rate=Decimal("0.2000"), name="VAT")
    lamp = _lamp()
    assert "£24.00" in _page(shopper, lamp)[1]
    assert _detail(shopper, lamp)[1]["price"]["incl_tax"] == "24.00"
    assert _listed(shopper)[lamp.pk]["price"]["incl_tax"] == "24.00"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/checkout/taxrate/{rate.pk}/change/", {"country": "GB", "rate": "0.2500", "name": "VAT"}
        )
    assert response.status_code == 302

    html = _page(shopper, lamp)[1]
    assert "£25.00" in html and "£24.00" not in html
    assert _detail(shopper, lamp)[1]["price"]["incl_tax"] == "25.00"
    assert _listed(shopper)[lamp.pk]["price"]["incl_tax"] == "25.00"


def test_category_moved_in_the_admin_tree_shows_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    home = Category.add_root(name="Home", slug="home")
    garden = Category.add_root(name="Garden", slug="garden")
    lamps = home.add_child(name="Lamps", slug="lamps")
    lamp = _lamp()
    lamp.categories.add(lamps)
    assert "Home" in _page(shopper, lamp)[1]
    assert _detail(shopper, lamp)[0] == 200
    assert lamp.pk in _listed(shopper, "?category=home")
    assert lamp.pk not in _listed(shopper, "?category=garden")

    with django_capture_on_commit_callbacks(execute=True):  # a drag in the tree
        response = staff_client.post(
            "/admin/catalogue/category/move/", {"node_id": lamps.pk, "sibling_id": garden.pk, "as_child": 1}
        )
    assert response.status_code == 200

    html = _page(shopper, lamp)[1]
    assert Category.objects.get(pk=lamps.pk).get_absolute_url() in html
    assert _detail(shopper, lamp)[1]["categories"][0]["slug"] == "lamps"
    assert lamp.pk in _listed(shopper, "?category=garden")
    assert lamp.pk not in _listed(shopper, "?category=home")


def test_bulk_move_to_a_category_shows_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    garden = Category.add_root(name="Garden", slug="garden")
    lamp = _lamp()
    assert _page(shopper, lamp)[0] == 200
    assert _detail(shopper, lamp)[1]["categories"] == []
    assert lamp.pk not in _listed(shopper, "?category=garden")

    messages = _act(staff_client, django_capture_on_commit_callbacks, "move_to_category", [lamp], category=garden.pk)
    assert messages == ["1 products changed (to Garden). Undo it within 24 hours."]

    assert garden.get_absolute_url() in _page(shopper, lamp)[1]
    assert [c["slug"] for c in _detail(shopper, lamp)[1]["categories"]] == ["garden"]
    assert lamp.pk in _listed(shopper, "?category=garden")


def _variant_prices(shopper: Client, product) -> dict[str, str]:
    status, detail = _detail(shopper, product)
    assert status == 200
    return {variant["title"]: variant["price"]["excl_tax"] for variant in detail["variants"]}


def _grid_form(staff_client: Client, product) -> dict:
    """The product screen's POST data as the browser sends it unchanged (the grid's rows included)."""
    response = staff_client.get(f"/admin/catalogue/product/{product.pk}/change/")
    data = {}
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    for form in [response.context["adminform"].form, *(f for fs in formsets for f in fs.forms)]:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for formset in formsets:
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = str(formset.management_form[name].value())
    return data


def test_variant_grid_save_shows_the_new_prices_on_the_next_anonymous_request(
    shopper, staff_client, django_capture_on_commit_callbacks
):
    parent, _variants, _options = variant_family(sizes=("S", "M"))
    p = Partner.objects.get(name="Main").pk
    assert "From £20.00" in _page(shopper, parent)[1]
    assert _variant_prices(shopper, parent) == {"Tee, size S": "20.00", "Tee, size M": "20.00"}

    data = {**_grid_form(staff_client, parent), f"children-0-price_{p}": "17.00", f"children-1-price_{p}": "23.00"}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/catalogue/product/{parent.pk}/change/", data)
    assert response.status_code == 302

    assert "From £17.00" in _page(shopper, parent)[1]
    assert _variant_prices(shopper, parent) == {"Tee, size S": "17.00", "Tee, size M": "23.00"}


def test_variant_grid_service_invalidates_by_itself(shopper, django_capture_on_commit_callbacks):
    """The service writes in bulk (no model signals): without its own invalidation the old price stays."""
    parent, (small,), _options = variant_family(sizes=("S",))
    p = Partner.objects.get(name="Main").pk
    assert _variant_prices(shopper, parent) == {"Tee, size S": "20.00"}

    row = VariantRow(
        variant_id=small.pk, title=small.title, stock=(StockCell(partner_id=p, sku="TEE-S", price=Decimal("15.50")),)
    )
    with django_capture_on_commit_callbacks(execute=True):
        product_variants_update(product=parent, rows=[row])

    assert _variant_prices(shopper, parent) == {"Tee, size S": "15.50"}
    assert "£15.50" in _page(shopper, parent)[1]


def test_added_variants_show_on_the_next_anonymous_request(shopper, django_capture_on_commit_callbacks):
    parent, _variants, options = variant_family(sizes=("S",))
    assert _variant_prices(shopper, parent) == {"Tee, size S": "20.00"}

    with django_capture_on_commit_callbacks(execute=True):
        product_variants_add(
            product=parent,
            attribute_id=parent.product_class.attributes.get(code="size").pk,
            option_ids=[options["XL"].pk],
            partner=Partner.objects.get(name="Main"),
            price=Decimal("25.00"),
            num_in_stock=2,
        )

    assert _variant_prices(shopper, parent) == {"Tee, size S": "20.00", "Tee, size XL": "25.00"}


@pytest.mark.redis
def test_bulk_changes_and_imports_commit_while_redis_is_down(
    staff_client, django_capture_on_commit_callbacks, redis_down
):
    lamp = _lamp()

    assert _act(staff_client, django_capture_on_commit_callbacks, "change_prices", [lamp], percent="10") == [
        "1 stock records changed (+10%). Undo it within 24 hours."
    ]
    _import(staff_client, django_capture_on_commit_callbacks, "stock", [{"partner_sku": "LAMP-1", "num_in_stock": 0}])
    assert _act(staff_client, django_capture_on_commit_callbacks, "unpublish", [lamp]) == ["1 products unpublished."]

    record = lamp.stockrecords.get()
    assert (record.price, record.num_in_stock) == (Decimal("22.00"), 0)
    lamp.refresh_from_db()
    assert lamp.is_public is False
