"""Menus, announcement bar, footer and contact settings, as the storefront's template tags show them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from content import cache as content_cache
from content.models import ContentPage
from content.snippets import AnnouncementBar, Footer, NavigationMenu, SiteContactSettings
from tests.content.conftest import publish_child

pytestmark = pytest.mark.django_db


def _render(source: str) -> str:
    request = RequestFactory().get("/")
    return Template("{% load hypex_content %}" + source).render(Context({"request": request}))


def _published(obj):
    obj.save()
    obj.save_revision().publish()
    obj.refresh_from_db()
    return obj


@pytest.fixture
def header_menu(home):
    about = publish_child(home, ContentPage(title="About", slug="about"))
    return _published(
        NavigationMenu(
            handle="header",
            title="Header",
            items=[
                ("link", {"label": "Shop", "page": None, "url": "/catalogue/"}),
                ("link", {"label": "About us", "page": about, "url": ""}),
            ],
        )
    )


def test_nav_menu_renders_its_links_in_order(header_menu):
    html = _render('{% nav_menu "header" %}')
    assert '<nav class="hx-menu hx-menu--header"' in html
    assert html.index('href="/catalogue/">Shop</a>') < html.index('href="/about/">About us</a>')


def test_unknown_or_unpublished_menu_renders_nothing(header_menu):
    assert _render('{% nav_menu "sidebar" %}').strip() == ""
    header_menu.unpublish()
    assert _render('{% nav_menu "header" %}').strip() == ""


def test_menu_is_cached_and_refreshed_when_an_editor_publishes_a_change(header_menu):
    _render('{% nav_menu "header" %}')
    with CaptureQueriesContext(connection) as queries:
        _render('{% nav_menu "header" %}')
    assert len(queries) == 0

    header_menu.items = [("link", {"label": "Sale", "page": None, "url": "/sale/"})]
    header_menu.save_revision().publish()

    html = _render('{% nav_menu "header" %}')
    assert 'href="/sale/">Sale</a>' in html and "About us" not in html


def test_a_menu_cached_before_two_changes_is_not_served_when_the_cache_lost_its_version(header_menu):
    """Redis evicts the version key under `maxmemory` while the fragments cached under it live on: the
    version then comes back greater than any it had, never as one an old fragment was stored under."""
    first = _render('{% nav_menu "header" %}')
    cached_under = content_cache.content_cache_version()
    for label in ("Sale", "Outlet"):
        header_menu.items = [("link", {"label": label, "page": None, "url": f"/{label.lower()}/"})]
        header_menu.save_revision().publish()
    assert "Outlet" in _render('{% nav_menu "header" %}')

    cache.delete(content_cache.VERSION_KEY)
    while content_cache.content_cache_version() < cached_under:  # a count from 1 again would get there
        content_cache.content_cache_invalidate()

    html = _render('{% nav_menu "header" %}')
    assert "Shop" in first and 'href="/outlet/">Outlet</a>' in html and "Shop" not in html


def test_a_saved_draft_of_a_menu_does_not_change_the_live_menu(header_menu):
    _render('{% nav_menu "header" %}')
    header_menu.items = [("link", {"label": "Draft only", "page": None, "url": "/draft/"})]
    header_menu.save_revision()  # "Save draft" in the editor

    assert "Draft only" not in _render('{% nav_menu "header" %}')


def test_a_page_in_a_menu_leaves_it_when_unpublished(header_menu):
    ContentPage.objects.get(slug="about").unpublish()
    assert "About us" not in _render('{% nav_menu "header" %}')


def test_announcement_bar_shows_the_live_announcement_only(db):
    assert _render("{% announcement_bar %}").strip() == ""
    bar = _published(AnnouncementBar(text="Free delivery over £50", link_url="/delivery/", link_label="Details"))

    html = _render("{% announcement_bar %}")
    assert "Free delivery over £50" in html and '<a class="hx-announcement__link" href="/delivery/">Details</a>' in html

    bar.unpublish()
    assert "Free delivery" not in _render("{% announcement_bar %}")


def test_site_contact_shows_contact_details_and_social_links(home):
    contact = SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert _render("{% site_contact %}").strip() == ""

    contact.email = "hello@hypex.example"
    contact.phone = "+44 20 7946 0000"
    contact.instagram_url = "https://instagram.com/hypex"
    contact.save()

    html = _render("{% site_contact %}")
    assert '<a href="mailto:hello@hypex.example">' in html and 'href="tel:+442079460000"' in html
    assert '<a class="hx-social__link" href="https://instagram.com/hypex" rel="noopener">Instagram</a>' in html


def test_footer_shows_text_its_menu_contact_and_copyright(home):
    menu = _published(
        NavigationMenu(
            handle="footer", title="Footer", items=[("link", {"label": "FAQ", "page": None, "url": "/faq/"})]
        )
    )
    SiteContactSettings.objects.create(site=Site.objects.get(is_default_site=True), email="hello@hypex.example")
    _published(Footer(text="<p>Made in <b>Leeds</b>.</p>", menu=menu, copyright="Hypex Ltd"))

    html = _render("{% site_footer %}")
    assert "Made in <b>Leeds</b>." in html
    assert 'href="/faq/">FAQ</a>' in html and "hello@hypex.example" in html
    assert "Hypex Ltd" in html and "&copy;" in html


def test_editor_cannot_save_a_menu_link_with_a_javascript_url(client, staff_user):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client.force_login(staff_user)
    link = {"label": "Click", "page": "", "url": "javascript:alert(1)"}
    data = nested_form_data({"handle": "header", "title": "Header", "items": streamfield([("link", link)])})

    response = client.post("/cms/snippets/content/navigationmenu/add/", {**data, "action-publish": "publish"})

    assert response.status_code == 200  # the form again, with the error
    assert not NavigationMenu.objects.exists()


def test_announcement_link_must_be_a_path_or_a_web_url(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        AnnouncementBar(text="Hi", link_url="javascript:alert(1)").full_clean()
    AnnouncementBar(text="Hi", link_url="/sale/").full_clean()
