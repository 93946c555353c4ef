"""seed_demo builds a real demo site: home, campaign, about/FAQ pages, journal, menus, footer, announcement."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from content.models import CampaignPage, ContentPage, HomePage
from content.snippets import AnnouncementBar, Footer, NavigationMenu

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", products=8, no_progress=True, verbosity=0)


def test_seed_demo_builds_a_browsable_site_and_can_run_again(client):
    _seed()
    _seed()

    home = HomePage.objects.get()
    assert [b.block_type for b in home.body] == [
        "hero", "latest_products", "category_tiles", "promo_banner", "featured_products", "heading", "paragraph",
    ]  # fmt: skip
    assert CampaignPage.objects.count() == 1 and ContentPage.objects.count() == 4
    assert NavigationMenu.objects.count() == 2 and Footer.objects.count() == 1 and AnnouncementBar.objects.count() == 1
    for path in ["/", "/summer-edit/", "/about/", "/faq/", "/delivery-returns/", "/privacy/", "/journal/",
                 "/journal/how-we-choose-linen/"]:  # fmt: skip
        assert client.get(path).status_code == 200, path
    campaign = client.get("/summer-edit/").content.decode()
    assert "WELCOME10" in campaign and "hx-product__price" in campaign

    request = RequestFactory().get("/")
    chrome = Template('{% load hypex_content %}{% announcement_bar %}{% nav_menu "header" %}{% site_footer %}').render(
        Context({"request": request})
    )
    assert 'href="/summer-edit/">Summer edit</a>' in chrome and 'href="/faq/">FAQ</a>' in chrome
    assert "Free delivery over £50" in chrome and "hello@hypex.test" in chrome
