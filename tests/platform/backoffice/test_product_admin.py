"""Product bulk actions and the category tree, through the admin changelist and forms."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from oscar.core.loading import get_model
from oscar.test import factories

from tests.platform.backoffice.admin_forms import change_form_data
from tests.platform.backoffice.bulk_steps import bulk_confirm, bulk_post, bulk_preview

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
CHANGELIST = "/admin/catalogue/product/"


def _act(client, action: str, products, **extra):
    data = {"action": action, "_selected_action": [p.pk for p in products], "index": 0, **extra}
    response = client.post(CHANGELIST, data, follow=True)
    assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_publish_and_unpublish_apply_to_products_and_their_variants(staff_client):
    parent = factories.create_product(title="Shirt", structure="parent", is_public=False)
    child = factories.create_product(title="Shirt L", parent=parent, is_public=False, price=Decimal("5.00"))
    other = factories.create_product(title="Other", is_public=False)

    assert _act(staff_client, "publish", [parent]) == ["2 products published."]
    assert Product.objects.get(pk=child.pk).is_public and not Product.objects.get(pk=other.pk).is_public

    _act(staff_client, "unpublish", [parent])
    assert not Product.objects.filter(pk__in=[parent.pk, child.pk], is_public=True).exists()


def test_change_prices_by_a_percentage_rounds_to_the_cent_for_every_partner_and_variant(staff_client):
    parent = factories.create_product(title="Mug", structure="parent")
    variant = factories.create_product(title="Mug blue", parent=parent, price=Decimal("9.99"), partner_name="A")
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"), partner_name="A")
    factories.create_stockrecord(lamp, price=Decimal("19.00"), partner_name="B")
    untouched = factories.create_product(title="Untouched", price=Decimal("7.00"))

    messages = bulk_confirm(staff_client, "change_prices", [parent, lamp], percent="12.5")

    assert messages == ["3 stock records changed (+12.5%). Undo it within 24 hours."]
    assert variant.stockrecords.get().price == Decimal("11.24")  # 11.23875 rounds half up
    assert sorted(lamp.stockrecords.values_list("price", flat=True)) == [Decimal("21.38"), Decimal("22.50")]
    assert untouched.stockrecords.get().price == Decimal("7.00")


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        ("", "This field is required."),
        ("lots", "Enter a number."),
        ("-100", "Ensure this value is greater than or equal to -99."),
        ("5000", "Ensure this value is less than or equal to 1000."),
    ],
)
def test_bad_percentages_are_form_errors_and_change_nothing(staff_client, percent, message):
    lamp = factories.create_product(title="Lamp", price=Decimal("20.00"))

    preview = bulk_preview(staff_client, "change_prices", [lamp], percent=percent)
    confirm = bulk_post(staff_client, "change_prices", [lamp], percent=percent, _stage="confirm")

    assert (preview.status_code, confirm.status_code) == (400, 400)
    assert message in preview.content.decode()
    assert lamp.stockrecords.get().price == Decimal("20.00")


def test_move_to_category_replaces_the_categories_of_the_selected_products(staff_client):
    old = Category.add_root(name="Old")
    new = Category.add_root(name="New")
    lamp = factories.create_product(title="Lamp")
    lamp.categories.add(old)
    chair = factories.create_product(title="Chair")

    assert bulk_confirm(staff_client, "move_to_category", [lamp, chair], category=new.pk) == [
        "2 products changed (to New). Undo it within 24 hours."
    ]
    assert list(lamp.categories.all()) == [new] and list(chair.categories.all()) == [new]

    missing = bulk_preview(staff_client, "move_to_category", [lamp], category="")
    assert missing.status_code == 400 and "This field is required." in missing.content.decode()
    assert list(lamp.categories.all()) == [new]


def test_changelist_search_and_filters(staff_client):
    factories.create_product(title="Green teapot", upc="TEA-1", price=Decimal("1.00"), num_in_stock=0)
    factories.create_product(title="Blue mug", upc="MUG-1", price=Decimal("1.00"), num_in_stock=4)

    found = staff_client.get(CHANGELIST, {"q": "teapot"}).content.decode()
    assert "Green teapot" in found and "Blue mug" not in found
    out_of_stock = staff_client.get(CHANGELIST, {"stock": "out"}).content.decode()
    assert "Green teapot" in out_of_stock and "Blue mug" not in out_of_stock


def test_a_category_is_added_under_a_parent_and_moved_in_the_tree(staff_client):
    home = Category.add_root(name="Home")
    garden = Category.add_root(name="Garden")
    base = {"name": "Lamps", "slug": "lamps", "is_public": "on", "description": "", "treebeard_position": "first-child"}

    response = staff_client.post("/admin/catalogue/category/add/", {**base, "treebeard_ref_node": home.pk})
    assert response.status_code == 302
    lamps = Category.objects.get(name="Lamps")
    assert lamps.get_parent() == home

    data = {**base, "treebeard_ref_node": garden.pk}
    response = staff_client.post(f"/admin/catalogue/category/{lamps.pk}/change/", data)
    assert response.status_code == 302
    assert Category.objects.get(pk=lamps.pk).get_parent() == garden
    assert "Lamps" in staff_client.get("/admin/catalogue/category/").content.decode()


def test_the_product_screen_edits_prices_per_partner_and_adds_a_variant(staff_client):
    parent = factories.create_product(title="Tee", structure="parent")
    standalone = factories.create_product(title="Desk", price=Decimal("80.00"), partner_name="Main")
    url = f"/admin/catalogue/product/{standalone.pk}/change/"

    response = staff_client.post(url, change_form_data(staff_client.get(url), **{"stockrecords-0-price": "75.50"}))
    assert response.status_code == 302
    assert standalone.stockrecords.get().price == Decimal("75.50")

    url = f"/admin/catalogue/product/{parent.pk}/change/"
    variant = {"children-TOTAL_FORMS": "1", "children-0-title": "Tee M", "children-0-upc": "TEE-M"}
    variant["children-0-is_public"] = "on"
    response = staff_client.post(url, change_form_data(staff_client.get(url), **variant))
    assert response.status_code == 302
    child = Product.objects.get(upc="TEE-M")
    assert child.parent == parent and child.structure == Product.CHILD and child.product_class is None


def test_stock_list_filters_low_stock_by_the_dashboard_rule(staff_client):
    factories.create_product(title="Nearly out", price=Decimal("1.00"), num_in_stock=2)
    factories.create_product(title="Plenty", price=Decimal("1.00"), num_in_stock=90)

    html = staff_client.get("/admin/partner/stockrecord/", {"level": "low"}).content.decode()

    assert "Nearly out" in html and "Plenty" not in html
