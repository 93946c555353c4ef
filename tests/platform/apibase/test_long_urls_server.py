"""Hostile requests on the real servers (the production one, and daphne, which `runserver` uses):
over-long query strings get 414 and malformed multipart bodies 400, both in the error format, not a
dropped connection or Twisted's bare 400."""

from __future__ import annotations

import http.client
import json

import pytest
from django.contrib.auth import get_user_model

from tests.asgi_server import AsgiServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", params=["shipped", "daphne"])
def server(request, django_db_setup, django_db_blocker):
    """One server of each kind for the module: the requests here read nothing a test writes."""
    with django_db_blocker.unblock():
        server = AsgiServer(server=request.param)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def get(port: int, target: str, *, method: str = "GET", body: bytes | None = None, headers=None):
    """A real HTTP/1.1 request (http.client reads a chunked or a sized body alike); raises when the
    server hangs up without an answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, target, body=body, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_a_query_string_over_the_limit_gets_414_json(server):
    response = get(server.port, "/api/v1/products/?q=" + "a" * 9000)
    assert response.status == 414, response.body[:200]
    assert response.getheader("Content-Type", "").startswith("application/json")
    assert json.loads(response.body)["error"]["code"] == "query_string_too_long"


def test_a_page_query_string_over_the_limit_gets_414(server):
    assert get(server.port, "/catalogue/?q=" + "a" * 9000).status == 414


def test_a_query_string_within_the_limit_is_served(server):
    assert get(server.port, "/api/v1/products/?q=" + "a" * 8000).status == 200


@pytest.mark.parametrize(
    "body",
    [b"--b0undary--\r\n", b"not multipart at all", b'--b0undary\r\nContent-Disposition: form-data; name="body"\r\n'],
    ids=["no-parts", "no-boundary", "cut-short"],
)
def test_a_malformed_multipart_body_gets_400_in_the_error_format(server, body):
    """Twisted used to answer these itself: `400` with no headers and no body."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from support import services

    customer = get_user_model().objects.create_user(
        email=f"multipart-{len(body)}@example.com", password="x-long-pass-1"
    )
    conversation = services.conversation_start(customer=customer, subject="Photo", body="Here it comes")
    token = RefreshToken.for_user(customer).access_token
    response = get(
        server.port,
        f"/api/v1/support/conversations/{conversation.pk}/messages/",
        method="POST",
        body=body,
        headers={"Content-Type": "multipart/form-data; boundary=b0undary", "Authorization": f"Bearer {token}"},
    )
    assert response.status == 400, (response.status, response.getheaders(), response.body[:200])
    assert response.getheader("Content-Type", "").startswith("application/json")
    assert json.loads(response.body)["error"]["code"]  # parse_error, or message_empty where Django read no parts
    assert conversation.messages.count() == 1
