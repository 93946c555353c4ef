"""The header search box asks `/ws/search/` for suggestions when the socket is open (it answers faster
than HTTP: bench/search_socket_bench.py) and `GET /api/v1/search/suggest/` when it is not."""

import pytest
from oscar.test.factories import create_product

pytestmark = pytest.mark.django_db(transaction=True)


def _suggest(page) -> list[str]:
    asked_over_http = []
    page.on("request", lambda request: "/api/v1/search/suggest/" in request.url and asked_over_http.append(request.url))
    page.goto("/")
    box = page.locator(".hx-search input[name=q]")
    box.click()
    page.wait_for_timeout(300)  # the socket opens on focus
    box.press_sequentially("oxfo", delay=60)
    page.locator("#hx-search-suggestions [role=option]").first.wait_for()
    assert "Oxford" in page.locator("#hx-search-suggestions").inner_text()
    return asked_over_http


def test_suggestions_come_over_the_socket_when_it_is_open(browser, asgi_server):
    create_product(title="Blue Oxford Shirt", price=45, num_in_stock=3)
    context = browser.new_context(base_url=asgi_server.url)
    context.set_default_timeout(15_000)
    try:
        assert _suggest(context.new_page()) == []
    finally:
        context.close()


def test_suggestions_come_over_http_when_the_socket_cannot_open(page):
    create_product(title="Blue Oxford Shirt", price=45, num_in_stock=3)
    assert _suggest(page)  # Django's live server speaks no websocket: the box asks over HTTP
