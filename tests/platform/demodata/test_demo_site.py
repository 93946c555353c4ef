"""seed_demo builds a real demo site: home, campaign, about/FAQ pages, journal, menus, footer, announcement."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from content.models import CampaignPage, ContentPage, HomePage
from content.snippets import AnnouncementBar, Footer, NavigationMenu

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", products=8, no_history=True, no_progress=True, verbosity=0)


def test_seed_demo_builds_a_browsable_site_and_can_run_again(client):
    _seed()
    _seed()

    home = HomePage.objects.get()
    assert [b.block_type for b in home.body] == [
        "hero", "latest_products", "category_tiles", "promo_banner", "featured_products", "heading", "paragraph",
    ]  # fmt: skip
    assert CampaignPage.objects.count() == 1 and ContentPage.objects.count() == 5
    assert NavigationMenu.objects.count() == 2 and Footer.objects.count() == 1 and AnnouncementBar.objects.count() == 1
    for path in ["/", "/summer-edit/", "/about/", "/faq/", "/delivery-returns/", "/privacy/", "/contact/", "/journal/",
                 "/journal/how-we-choose-linen/"]:  # fmt: skip
        assert client.get(path).status_code == 200, path
    campaign = client.get("/summer-edit/").content.decode()
    assert "WELCOME10" in campaign and "hx-product__price" in campaign

    request = RequestFactory().get("/")
    chrome = Template('{% load hypex_content %}{% announcement_bar %}{% nav_menu "header" %}{% site_footer %}').render(
        Context({"request": request})
    )
    assert 'href="/summer-edit/">Summer edit</a>' in chrome and 'href="/faq/">FAQ</a>' in chrome
    assert "Express delivery (next day) free over £75.00" in chrome and "hello@hypex.test" in chrome


def test_the_announcement_the_delivery_page_and_checkout_promise_the_same_delivery(client):
    """One place for delivery promises: the shipping methods checkout charges."""
    from oscar.core.loading import get_model
    from oscar.test.factories import create_basket, create_product

    from checkout.shipping.selectors import shipping_country_get, shipping_methods_for_basket

    _seed()
    bar = AnnouncementBar.objects.get().text
    page = client.get("/delivery-returns/").content.decode()
    express = page[page.index('data-delivery-method="express"') :].split("</tr>")[0]
    standard = page[page.index('data-delivery-method="standard"') :].split("</tr>")[0]
    assert "Express delivery (next day) free over £75.00" in bar
    # Charges as a GB customer pays them: entered with VAT included (the shop's default), as shown.
    assert "£7.95 + £1.00 per item" in express and "on orders over £75.00" in express
    assert "£3.50 to £12.50 by weight" in standard

    def express_charge(price: str):
        basket = create_basket(empty=True)
        basket.add_product(create_product(price=price, num_in_stock=5))
        charges = {m.code: c.incl_tax for m, c in shipping_methods_for_basket(basket=basket, country=gb)}
        return charges["express"]

    gb = shipping_country_get(code="GB")
    assert express_charge("80.00") == 0  # what the bar and the page promise
    assert express_charge("20.00") == Decimal("8.95")  # £7.95 + £1.00 for one item, VAT included

    # A merchandiser changes the method in the back office: the delivery page follows at once.
    get_model("shipping", "OrderAndItemCharges").objects.filter(code="express").update(
        free_shipping_threshold=Decimal("100.00")
    )
    assert "on orders over £100.00" in client.get("/delivery-returns/").content.decode()
