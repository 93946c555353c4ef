"""Every link in the demo site's header and footer (the announcement, the account links, the CMS header
and footer menus) that stays on our site leads to a page that answers 200, signed out and signed in."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

CUSTOMER_EMAIL = "customer@hypex.test"  # seed_demo's demo customer


class FrameLinks(HTMLParser):
    """The `href` of every <a> inside the page's <header>, <footer> and the announcement bar (the frame
    around the page's own content), and every `id` on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._open: list[list] = []  # [tag, nesting depth] of the frame regions entered

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for region in self._open:
            if region[0] == tag:
                region[1] += 1
        if not self._open and (tag in ("header", "footer") or "hx-announcement" in (attrs.get("class") or "")):
            self._open.append([tag, 1])
        if tag == "a" and attrs.get("href") and self._open:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        for region in self._open:
            if region[0] == tag:
                region[1] -= 1
        self._open = [region for region in self._open if region[1] > 0]


def _frame(client) -> FrameLinks:
    response = client.get("/")
    assert response.status_code == 200
    parser = FrameLinks()
    parser.feed(response.content.decode())
    return parser


def _broken_links(client, parser: FrameLinks) -> list[str]:
    broken = []
    for href in dict.fromkeys(parser.links):
        url, fragment = urldefrag(href)
        if not url:  # a link within the page ("#main"): its target must exist
            if fragment not in parser.ids:
                broken.append(f"{href} -> no element with that id")
            continue
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel") or (parts.netloc and parts.netloc != "testserver"):
            continue
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), follow=True)
        if response.status_code != 200:
            broken.append(f"{href} -> {response.status_code} ({' -> '.join(u for u, _ in response.redirect_chain)})")
    return broken


def test_every_header_and_footer_link_on_the_demo_site_leads_to_a_page(client):
    call_command("seed_demo", products=8, no_progress=True, verbosity=0)

    anonymous = _frame(client)
    client.force_login(get_user_model().objects.get(email=CUSTOMER_EMAIL))
    signed_in = _frame(client)

    # The frame holds the CMS menus and the site's own links, signed out and in.
    for expected in ["/catalogue/", "/about/", "/faq/", "/delivery-returns/", "/privacy/", "/contact/"]:
        assert expected in anonymous.links, expected
    assert "/auth/login/" in anonymous.links and "/accounts/" in signed_in.links
    assert _broken_links(client, signed_in) == []
    client.logout()
    assert _broken_links(client, anonymous) == []
