"""Over-long query strings on a real daphne: 414 in the error format, not a dropped connection."""

from __future__ import annotations

import json
import socket

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


def raw_get(port: int, target: str) -> bytes:
    """Send a GET as raw bytes and return whatever comes back (b"" when the server just hangs up)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_query_string_over_the_limit_gets_414_json_from_daphne(daphne):
    answer = raw_get(daphne.port, "/api/v1/products/?q=" + "a" * 9000)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414"), head[:100]
    assert b"application/json" in head
    assert json.loads(body)["error"]["code"] == "query_string_too_long"


def test_a_page_query_string_over_the_limit_gets_414_from_daphne(daphne):
    answer = raw_get(daphne.port, "/catalogue/?q=" + "a" * 9000)
    assert answer.startswith(b"HTTP/1.1 414")


def test_a_query_string_within_the_limit_is_served(daphne):
    answer = raw_get(daphne.port, "/api/v1/products/?q=" + "a" * 8000)
    assert answer.startswith(b"HTTP/1.1 200")
