"""A merchandiser signs in to the back office, changes a product's price on its stock record in the
product screen, and the storefront product page shows the new price."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.test.factories import create_product

from backoffice.roles import MERCHANDISER, staff_roles_apply

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "merch@example.com"
PASSWORD = "price-tag-meadow-31"


def test_merchandiser_changes_a_price_and_the_shop_shows_it(page, live_server):
    staff_roles_apply()  # the migration made the roles; a transactional test's flush may have removed them
    product = create_product(title="Walnut Desk Lamp", price=Decimal("40.00"), num_in_stock=5, partner_name="Main")
    merchandiser = get_user_model().objects.create_user(email=EMAIL, password=PASSWORD)
    merchandiser.is_staff = True
    merchandiser.save()
    merchandiser.groups.add(Group.objects.get(name=MERCHANDISER))

    page.goto(product.get_absolute_url())
    assert "40.00" in page.locator("#product-price").inner_text()

    page.goto("/admin/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form#login-form button[type=submit], form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    page.locator("h2[x-on\\:click]", has_text="Catalogue").first.click()  # open the sidebar group
    page.get_by_role("link", name="Products").first.click()
    page.get_by_role("link", name="Walnut Desk Lamp").click()
    page.get_by_text("Stock and prices per partner").first.click()
    price = page.locator("input[name='stockrecords-0-price']")
    price.fill("34.50")
    page.locator("button[name=_save]").first.click()
    page.wait_for_url(re.compile(r".*/admin/catalogue/product/(#.*)?$"))
    assert "was changed successfully" in page.content()

    assert product.stockrecords.get().price == Decimal("34.50")
    page.goto(product.get_absolute_url())
    main = page.locator("#product-price").inner_text()
    assert "34.50" in main and "40.00" not in main
