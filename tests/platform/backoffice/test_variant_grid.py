"""The variant grid of a parent product's screen, "Add variants" and the image order, through the admin
as staff use it (the test client, real POSTs of the whole change form)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from oscar.test import factories

from backoffice.variant_grid import StockCell, VariantGridInvalid, VariantRow, product_variants_update
from catalogue.partner.stock_transitions import STOCK_BACK_IN_STOCK_TOPIC, stock_transitions_detect
from tests.platform.backoffice.admin_forms import change_form_data
from tests.platform.backoffice.conftest import variant_family

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def _url(product) -> str:
    return f"/admin/catalogue/product/{product.pk}/change/"


def _grid(response):
    return next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "children")


def _cells(variant) -> tuple:
    record = StockRecord.objects.get(product=variant)
    return record.partner_sku, record.price, record.num_in_stock


def test_the_grid_shows_each_variant_with_its_size_sku_price_and_stock(staff_client):
    parent, variants, options = variant_family(sizes=("S", "M"))
    partner = Partner.objects.get(name="Main")

    response = staff_client.get(_url(parent))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stock and prices per partner" not in html  # a parent's stock is its variants'
    assert "Price (GBP)" in html and "The price at Main, in GBP" in html and "Units in stock at Main" in html
    grid = _grid(response)
    assert [form.instance for form in grid.forms] == variants
    first = grid.forms[0]
    size = next(name for name in first.fields if name.startswith("attr_"))
    assert first[size].value() == options["S"].pk
    assert first[f"sku_{partner.pk}"].value() == "TEE-S"
    assert first[f"price_{partner.pk}"].value() == Decimal("20.00")
    assert first[f"stock_{partner.pk}"].value() == 5


def test_one_save_changes_prices_stock_and_values_of_several_variants(staff_client):
    parent, (small, medium, large), options = variant_family()
    partner = Partner.objects.get(name="Main")
    page = staff_client.get(_url(parent))
    size = next(name for name in _grid(page).forms[0].fields if name.startswith("attr_"))

    response = staff_client.post(
        _url(parent),
        change_form_data(
            page,
            **{
                f"children-0-price_{partner.pk}": "18.50",
                f"children-0-stock_{partner.pk}": "12",
                f"children-1-price_{partner.pk}": "21.00",
                f"children-1-sku_{partner.pk}": "TEE-MEDIUM",
                f"children-2-stock_{partner.pk}": "0",
                f"children-2-{size}": str(options["XL"].pk),
                "children-2-title": "Tee, size XL",
                "children-2-upc": "TEE-XL",
            },
        ),
    )

    assert response.status_code == 302
    assert _cells(small) == ("TEE-S", Decimal("18.50"), 12)
    assert _cells(medium) == ("TEE-MEDIUM", Decimal("21.00"), 5)
    assert _cells(large) == ("TEE-L", Decimal("20.00"), 0)
    large = Product.objects.get(pk=large.pk)
    assert (large.title, large.upc, large.attr.size) == ("Tee, size XL", "TEE-XL", options["XL"])


def test_each_wrong_cell_is_named_and_nothing_is_saved(staff_client):
    parent, variants, _options = variant_family()
    other = factories.create_product(title="Mug", upc="MUG-1", price=Decimal("4.00"), partner_name="Main")
    other.stockrecords.update(partner_sku="MUG-SKU")
    partner = Partner.objects.get(name="Main")
    before = [_cells(v) for v in variants]
    p = partner.pk

    response = staff_client.post(
        _url(parent),
        change_form_data(
            staff_client.get(_url(parent)),
            **{
                f"children-0-price_{p}": "-1",  # negative
                f"children-0-stock_{p}": "lots",  # not a number
                f"children-1-price_{p}": "NaN",
                f"children-1-stock_{p}": "-3",
                f"children-2-price_{p}": "19.00",  # a right cell: not saved either
                f"children-2-sku_{p}": "MUG-SKU",  # another product's SKU at this partner
                "children-2-upc": "MUG-1",  # another product's UPC
            },
        ),
    )

    assert response.status_code == 400
    errors = [form.errors for form in _grid(response).forms]
    assert errors[0] == {f"price_{p}": ["The price cannot be negative."], f"stock_{p}": ["Enter a whole number."]}
    assert errors[1] == {f"price_{p}": ["Enter a number."], f"stock_{p}": ["The stock cannot be negative."]}
    assert errors[2] == {
        "upc": ["UPC MUG-1 is already used by Mug."],
        f"sku_{p}": ["SKU MUG-SKU is already used by Mug at this partner."],
    }
    assert [_cells(v) for v in variants] == before
    html = response.content.decode()
    assert "The price cannot be negative." in html and "already used by Mug" in html


def test_the_same_sku_or_upc_in_two_rows_is_refused_on_both(staff_client):
    parent, variants, _options = variant_family(sizes=("S", "M"))
    p = Partner.objects.get(name="Main").pk

    response = staff_client.post(
        _url(parent),
        change_form_data(
            staff_client.get(_url(parent)),
            **{
                f"children-0-sku_{p}": "TEE-X",
                f"children-1-sku_{p}": "TEE-X",
                "children-0-upc": "TEE-U",
                "children-1-upc": "TEE-U",
            },
        ),
    )

    assert response.status_code == 400
    for form in _grid(response).forms:
        assert form.errors == {
            "upc": ["UPC TEE-U is in more than one row."],
            f"sku_{p}": ["SKU TEE-X is in more than one row for this partner."],
        }
    assert [_cells(v)[0] for v in variants] == ["TEE-S", "TEE-M"]


def test_stock_cannot_go_below_what_orders_hold(staff_client):
    parent, (small,), _options = variant_family(sizes=("S",))
    StockRecord.objects.filter(product=small).update(num_allocated=3)
    p = Partner.objects.get(name="Main").pk

    page = staff_client.get(_url(parent))
    response = staff_client.post(_url(parent), change_form_data(page, **{f"children-0-stock_{p}": "2"}))

    assert response.status_code == 400
    assert _grid(response).forms[0].errors == {
        f"stock_{p}": ["3 units are allocated to orders; the stock cannot be lower."]
    }
    assert _cells(small)[2] == 5


def test_a_new_row_makes_a_variant_stocked_at_the_partner_and_needs_its_sku(staff_client):
    parent, _variants, options = variant_family(sizes=("S",))
    p = Partner.objects.get(name="Main").pk
    page = staff_client.get(_url(parent))
    size = next(name for name in _grid(page).forms[0].fields if name.startswith("attr_"))
    new_row = {
        "children-TOTAL_FORMS": "2",
        "children-1-title": "Tee, size M",
        "children-1-is_public": "on",
        f"children-1-{size}": str(options["M"].pk),
        f"children-1-price_{p}": "22.00",
        f"children-1-stock_{p}": "7",
    }

    response = staff_client.post(_url(parent), change_form_data(page, **new_row))
    assert response.status_code == 400
    assert _grid(response).forms[1].errors == {f"sku_{p}": ["Enter the partner's SKU for this variant."]}
    assert parent.children.count() == 1

    response = staff_client.post(_url(parent), change_form_data(page, **new_row, **{f"children-1-sku_{p}": "TEE-M"}))
    assert response.status_code == 302
    medium = parent.children.get(title="Tee, size M")
    assert medium.attr.size == options["M"] and medium.structure == Product.CHILD
    assert _cells(medium) == ("TEE-M", Decimal("22.00"), 7)


def test_a_row_marked_for_deletion_deletes_the_variant(staff_client):
    parent, (small, medium), _options = variant_family(sizes=("S", "M"))

    page = staff_client.get(_url(parent))
    response = staff_client.post(_url(parent), change_form_data(page, **{"children-1-DELETE": "on"}))

    assert response.status_code == 302
    assert list(parent.children.all()) == [small]


def test_the_grid_service_refuses_a_wrong_cell_without_writing(db):
    parent, (small,), _options = variant_family(sizes=("S",))
    p = Partner.objects.get(name="Main").pk
    row = VariantRow(
        variant_id=small.pk, title=small.title, stock=(StockCell(partner_id=p, sku="TEE-S", price=Decimal("-2")),)
    )

    with pytest.raises(VariantGridInvalid) as refused:
        product_variants_update(product=parent, rows=[row])

    assert refused.value.errors == {(0, f"price_{p}"): "The price cannot be negative."}
    assert _cells(small)[1] == Decimal("20.00")


def _queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code in (200, 302)
    return len(queries)


def test_the_screen_and_its_save_take_as_many_queries_for_nine_variants_as_for_three(staff_client):
    small_family, *_ = variant_family(title="Tee", sizes=("S", "M", "L"))
    big_family, *_ = variant_family(title="Top", sizes=("S", "M", "L"))
    for n in range(6):
        variant = Product.objects.create(parent=big_family, structure=Product.CHILD, title=f"Top {n}")
        variant.stockrecords.create(partner=Partner.objects.get(name="Main"), partner_sku=f"TOP-{n}", price="1.00")
    p = Partner.objects.get(name="Main").pk
    counts = {}
    for family, rows in ((small_family, 3), (big_family, 9)):
        page = staff_client.get(_url(family))
        changes = {f"children-{i}-price_{p}": f"{i + 2}.00" for i in range(rows)}
        counts[rows] = (
            _queries(staff_client, "get", _url(family)),
            _queries(staff_client, "post", _url(family), change_form_data(page, **changes)),
        )

    assert counts[9] == counts[3], counts
    assert StockRecord.objects.get(product__parent=big_family, partner_sku="TOP-5").price == Decimal("10.00")


ADD = "/admin/catalogue/product/{}/add-variants/"


def _values(response, *names) -> list[str]:
    choices = response.context["form"].fields["values"].choices
    return [value for _group, options in choices for value, label in options if label.split(" ")[0] in names]


def test_add_variants_makes_one_per_missing_size_with_price_and_stock(staff_client):
    parent, _variants, options = variant_family(sizes=("S", "M"))
    partner = Partner.objects.get(name="Main")
    url = ADD.format(parent.pk)
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "M (has a variant)" in page.content.decode()

    response = staff_client.post(
        url,
        {"values": _values(page, "S", "M", "L", "XL"), "partner": partner.pk, "price": "24.00", "num_in_stock": "3"},
    )

    assert response.status_code == 302 and response["Location"] == _url(parent)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 variants added: Tee, size L, Tee, size XL."]
    added = list(parent.children.filter(title__in=["Tee, size L", "Tee, size XL"]).order_by("pk"))
    assert [v.attr.size for v in added] == [options["L"], options["XL"]]
    assert [_cells(v) for v in added] == [("TEE-L", Decimal("24.00"), 3), ("TEE-XL", Decimal("24.00"), 3)]
    assert all(v.is_public and v.structure == Product.CHILD for v in added)

    again = staff_client.post(url, {"values": _values(page, "L")})
    assert again.status_code == 302 and parent.children.count() == 4


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({}, "values", "Choose at least one value."),
        ({"price": "5.00"}, "partner", "Choose the partner that holds the price and stock."),
        ({"price": "-5"}, "price", "The price cannot be negative."),
    ],
)
def test_add_variants_refuses_bad_input_with_a_400_and_adds_nothing(staff_client, extra, field, message):
    parent, _variants, _options = variant_family(sizes=("S",))
    page = staff_client.get(ADD.format(parent.pk))
    data = {"values": _values(page, "XL"), **extra} if field != "values" else extra

    response = staff_client.post(ADD.format(parent.pk), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert parent.children.count() == 1


def test_add_variants_takes_the_values_of_one_attribute_only(staff_client):
    parent, _variants, _options = variant_family(sizes=("S",))
    colour_group = get_model("catalogue", "AttributeOptionGroup").objects.create(name="Colour")
    red = get_model("catalogue", "AttributeOption").objects.create(group=colour_group, option="Red")
    colour = parent.product_class.attributes.create(
        name="Colour", code="colour", type="option", option_group=colour_group
    )
    page = staff_client.get(ADD.format(parent.pk))

    response = staff_client.post(ADD.format(parent.pk), {"values": [*_values(page, "XL"), f"{colour.pk}:{red.pk}"]})

    assert response.status_code == 400
    assert response.context["form"].errors["values"] == [
        "Choose values of one attribute only (e.g. sizes, or colours)."
    ]


def test_add_variants_is_offered_on_parents_only(staff_client):
    parent, (small,), _options = variant_family(sizes=("S",))

    assert "add-variants" in staff_client.get(_url(parent)).content.decode()
    variant_screen = staff_client.get(_url(small)).content.decode()
    assert "add-variants" not in variant_screen
    assert "Stock and prices per partner" in variant_screen and 'id="children-group"' not in variant_screen
    assert staff_client.get(ADD.format(small.pk)).status_code == 403


def test_images_are_reordered_by_their_display_order_and_the_first_is_primary(staff_client):
    lamp = factories.create_product(title="Lamp", price=Decimal("9.00"))
    first, second, third = (
        ProductImage.objects.create(product=lamp, original=f"images/{c}.jpg", caption=c, display_order=n)
        for n, c in enumerate(("front", "side", "back"))
    )
    assert Product.objects.get(pk=lamp.pk).primary_image() == first
    page = staff_client.get(_url(lamp))
    images = next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "images")
    assert images.opts.ordering_field == "display_order" and images.opts.hide_ordering_field
    assert 'data-ordering-field="display_order"' in page.content.decode()
    order = {form.instance.caption: form.prefix for form in images.formset.forms}

    # What the drag leaves in the form: each row's new position in its display order field.
    moved = {
        f"{order['back']}-display_order": "0",
        f"{order['front']}-display_order": "1",
        f"{order['side']}-display_order": "2",
    }
    response = staff_client.post(_url(lamp), change_form_data(page, **moved))

    assert response.status_code == 302
    assert [image.caption for image in lamp.images.all()] == ["back", "front", "side"]
    assert Product.objects.get(pk=lamp.pk).primary_image() == third


def test_a_row_of_a_variant_deleted_meanwhile_is_refused_not_made_again(staff_client):
    parent, (small, medium), _options = variant_family(sizes=("S", "M"))
    page = staff_client.get(_url(parent))
    medium.delete()  # by someone else, after the page was read

    response = staff_client.post(_url(parent), change_form_data(page))

    assert response.status_code == 400
    assert _grid(response).forms[1].errors["id"] == ["This variant no longer exists; reload the page."]
    assert list(parent.children.all()) == [small]


def test_stock_raised_in_the_grid_is_reported_back_in_stock_at_commit(db, django_capture_on_commit_callbacks):
    parent, (small,), _options = variant_family(sizes=("S",), stock=0)
    stock_transitions_detect()  # sold out, seen
    p = Partner.objects.get(name="Main").pk
    row = VariantRow(
        variant_id=small.pk, title=small.title,
        stock=(StockCell(partner_id=p, sku=_cells(small)[0], price=Decimal("20.00"), num_in_stock=4),),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        product_variants_update(product=parent, rows=[row])
    messages = get_model("sideeffects", "OutboxMessage").objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC)
    assert [m.payload["product_id"] for m in messages] == [small.pk]
