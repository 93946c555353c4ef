"""The websocket Origin check matches scheme, host and port exactly (the same-origin rule Django's CSRF
check uses), on every websocket route; a session cookie without an Origin opens nothing."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.support.conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(path: str, headers: list[tuple[bytes, bytes]], scheme: str = "ws"):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["scheme"] = scheme
    connected, code = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected, code


@pytest.mark.parametrize(
    "origin",
    [
        b"http://testserver:9999",  # same host, another port
        b"https://testserver",  # same host, another scheme
        b"http://evil.example",  # another host
        b"http://testserver.evil.example",
        b"null",
        b"http://testserver/path",
    ],
)
async def test_cookie_with_a_foreign_origin_is_refused(client, user, conversation, origin):
    cookie = await session_cookie(client, user)
    headers = [(b"host", b"testserver"), (b"origin", origin), (b"cookie", cookie)]

    assert await _connect(f"/ws/support/{conversation.pk}/", headers) == (False, 4403)


@pytest.mark.parametrize("origin", [b"http://testserver", b"http://testserver:80", b"HTTP://TestServer"])
async def test_cookie_with_the_exact_origin_is_accepted(client, user, conversation, origin):
    cookie = await session_cookie(client, user)
    headers = [(b"host", b"testserver"), (b"origin", origin), (b"cookie", cookie)]

    assert (await _connect(f"/ws/support/{conversation.pk}/", headers))[0] is True


async def test_host_with_a_port_must_match_the_origin_port(client, user, conversation):
    cookie = await session_cookie(client, user)
    path = f"/ws/support/{conversation.pk}/"
    host = (b"host", b"testserver:8000")

    assert (await _connect(path, [host, (b"origin", b"http://testserver:8000"), (b"cookie", cookie)]))[0] is True
    assert await _connect(path, [host, (b"origin", b"http://testserver"), (b"cookie", cookie)]) == (False, 4403)


async def test_tls_behind_the_proxy_means_an_https_origin(client, user, conversation, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cookie = await session_cookie(client, user)
    path = f"/ws/support/{conversation.pk}/"
    headers = [(b"host", b"testserver"), (b"x-forwarded-proto", b"https"), (b"cookie", cookie)]

    assert (await _connect(path, [*headers, (b"origin", b"https://testserver")]))[0] is True
    assert await _connect(path, [*headers, (b"origin", b"http://testserver")]) == (False, 4403)
    assert (await _connect(path, [(b"host", b"testserver"), (b"origin", b"https://testserver"),
                                  (b"cookie", cookie)], scheme="wss"))[0] is True  # fmt: skip


async def test_csrf_trusted_origins_are_matched_exactly(client, user, conversation, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example", "https://*.shop.example"]
    cookie = await session_cookie(client, user)
    path = f"/ws/support/{conversation.pk}/"

    def headers(origin: bytes):
        return [(b"host", b"testserver"), (b"origin", origin), (b"cookie", cookie)]

    assert (await _connect(path, headers(b"https://app.example")))[0] is True
    assert (await _connect(path, headers(b"https://eu.shop.example")))[0] is True
    for origin in (b"http://app.example", b"https://app.example:8443", b"https://shop.example.evil"):
        assert await _connect(path, headers(origin)) == (False, 4403)


async def test_host_outside_allowed_hosts_has_no_own_origin(client, user, conversation):
    cookie = await session_cookie(client, user)
    headers = [(b"host", b"evil.example"), (b"origin", b"http://evil.example"), (b"cookie", cookie)]

    assert await _connect(f"/ws/support/{conversation.pk}/", headers) == (False, 4403)


async def test_cookie_without_origin_is_refused(client, user, conversation):
    cookie = await session_cookie(client, user)

    assert await _connect(f"/ws/support/{conversation.pk}/", [(b"host", b"testserver"), (b"cookie", cookie)]) == (
        False,
        4401,
    )


@pytest.mark.parametrize(
    ("origin", "expected"),
    [(b"http://testserver:9999", (False, 4403)), (b"https://testserver", (False, 4403)), (b"http://testserver", True)],
)
async def test_search_socket_checks_the_origin_too(origin, expected):
    result = await _connect("/ws/search/", [(b"host", b"testserver"), (b"origin", origin)])

    assert result[0] is True if expected is True else result == expected


async def test_apps_without_origin_still_use_the_public_search_socket():
    assert (await _connect("/ws/search/", [(b"host", b"testserver")]))[0] is True
