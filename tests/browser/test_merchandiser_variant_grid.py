"""A merchandiser changes three variants' prices and stock in the product screen's variant grid, saves
once, and the storefront's product page (read before, so cached for anonymous shoppers) shows the new
prices on the next request; and drags a product's images into a new order."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.core.loading import get_model

from backoffice.roles import MERCHANDISER, staff_roles_apply
from tests.platform.backoffice.conftest import variant_family

pytestmark = pytest.mark.django_db(transaction=True)
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
EMAIL = "grid@example.com"
PASSWORD = "size-chart-harbour-52"


def _variant_prices(shop_page) -> dict[str, str]:
    """The page's variant data (what the size picker switches to), price by size."""
    variants = json.loads(shop_page.locator("#product-variants").text_content())
    return {variant["values"]["size"]: variant["price"]["amount"] for variant in variants}


def test_merchandiser_edits_three_variants_in_the_grid_and_the_shop_shows_them(browser, page, live_server):
    staff_roles_apply()  # the migration made the roles; a transactional test's flush may have removed them
    parent, variants, _options = variant_family(title="Field Shirt", sizes=("S", "M", "L"), price="40.00")
    merchandiser = get_user_model().objects.create_user(email=EMAIL, password=PASSWORD)
    merchandiser.is_staff = True
    merchandiser.save()
    merchandiser.groups.add(Group.objects.get(name=MERCHANDISER))
    shopper = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    shop_page = shopper.new_page()
    shop_page.goto(parent.get_absolute_url())  # cached for anonymous shoppers from here on
    assert shop_page.locator("#product-price").inner_text() == "From £40.00"
    assert _variant_prices(shop_page) == {"S": "40.00", "M": "40.00", "L": "40.00"}

    page.goto("/admin/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form#login-form button[type=submit], form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.goto(f"/admin/catalogue/product/{parent.pk}/change/")
    page.get_by_role("link", name="Variants", exact=True).click()
    for row, (price, stock) in enumerate((("36.00", "8"), ("38.50", "0"), ("44.00", "15"))):
        page.locator(f"input[name='children-{row}-price_{variants[0].stockrecords.get().partner_id}']").fill(price)
        page.locator(f"input[name^='children-{row}-stock_']").fill(stock)
    page.locator("button[name=_save]").first.click()
    page.wait_for_url(re.compile(r".*/admin/catalogue/product/(\?.*)?(#.*)?$"))
    assert "was changed successfully" in page.content()

    records = StockRecord.objects.filter(product__parent=parent).order_by("product_id")
    assert [(r.price, r.num_in_stock) for r in records] == [
        (Decimal("36.00"), 8),
        (Decimal("38.50"), 0),
        (Decimal("44.00"), 15),
    ]
    shop_page.reload()
    assert shop_page.locator("#product-price").inner_text() == "From £36.00"
    assert _variant_prices(shop_page) == {"S": "36.00", "M": "38.50", "L": "44.00"}
    shopper.close()


def test_merchandiser_drags_the_back_view_first_and_it_becomes_the_primary_image(page, live_server):
    staff_roles_apply()
    parent, _variants, _options = variant_family(title="Field Shirt", sizes=("S",))
    for order, caption in enumerate(("Front view", "Back view")):
        ProductImage.objects.create(
            product=parent, original=f"images/{order}.jpg", caption=caption, display_order=order
        )
    merchandiser = get_user_model().objects.create_user(email=EMAIL, password=PASSWORD)
    merchandiser.is_staff = True
    merchandiser.save()
    merchandiser.groups.add(Group.objects.get(name=MERCHANDISER))

    page.goto("/admin/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form#login-form button[type=submit], form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.goto(f"/admin/catalogue/product/{parent.pk}/change/")
    page.get_by_role("link", name="Product images", exact=True).click()
    handles = page.locator("#images-group span.cursor-move")  # the rows' drag handles
    first, second = handles.nth(0).bounding_box(), handles.nth(1).bounding_box()
    page.mouse.move(second["x"] + 5, second["y"] + 5)
    page.mouse.down()
    page.mouse.move(first["x"] + 5, first["y"] - 10, steps=15)
    page.mouse.move(first["x"] + 5, first["y"] - 5, steps=5)
    page.mouse.up()
    page.locator("button[name=_save]").first.click()
    page.wait_for_url(re.compile(r".*/admin/catalogue/product/(\?.*)?(#.*)?$"))

    assert [image.caption for image in parent.images.all()] == ["Back view", "Front view"]
    assert Product.objects.get(pk=parent.pk).primary_image().caption == "Back view"
