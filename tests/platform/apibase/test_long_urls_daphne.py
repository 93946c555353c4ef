"""Over-long query strings on a real daphne: 414 in the error format, not a dropped connection."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.asgi_server import AsgiServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def daphne(django_db_setup, django_db_blocker):
    """One server for the module: the requests here read nothing a test writes."""
    with django_db_blocker.unblock():
        server = AsgiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def get(port: int, target: str) -> http.client.HTTPResponse:
    """A real HTTP/1.1 GET (http.client reads a chunked or a sized body alike); raises when the
    server hangs up without an answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", target)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_a_query_string_over_the_limit_gets_414_json_from_daphne(daphne):
    response = get(daphne.port, "/api/v1/products/?q=" + "a" * 9000)
    assert response.status == 414, response.body[:200]
    assert response.getheader("Content-Type", "").startswith("application/json")
    assert json.loads(response.body)["error"]["code"] == "query_string_too_long"


def test_a_page_query_string_over_the_limit_gets_414_from_daphne(daphne):
    assert get(daphne.port, "/catalogue/?q=" + "a" * 9000).status == 414


def test_a_query_string_within_the_limit_is_served(daphne):
    assert get(daphne.port, "/api/v1/products/?q=" + "a" * 8000).status == 200
