"""Only the configured proxy hops are trusted to name the client (docs/adr/0027): a forged
`X-Forwarded-For` does not make one client many, for the login/register/order-lookup throttles, the
phone-code limits and the websocket handshake limit."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model

from apibase.client_ip import client_ip, websocket_scheme
from apibase.websocket_ratelimit import CLOSE_RATE_LIMITED
from config.asgi import application
from tests.api_errors import assert_api_error

TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
LOOKUP = "/api/v1/orders/lookup/"
OTP_REQUEST = "/api/v1/auth/otp/request/"
AUTH_IP_LIMIT = 30  # THROTTLE_AUTH_IP's default, 30/minute
CLIENT = "203.0.113.7"
PROXY = "192.0.2.1"


def _forged(i: int) -> str:
    return f"198.51.{i // 250}.{i % 250 + 1}"


def _statuses(api_client, path: str, bodies, forwarded) -> list[int]:
    return [
        api_client.post(path, body, format="json", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=xff).status_code
        for body, xff in zip(bodies, forwarded, strict=True)
    ]


@pytest.mark.django_db
def test_35_logins_from_35_forged_addresses_are_one_client_without_a_proxy(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    bodies = [{"email": f"shopper{i}@example.com", "password": "wrong-password"} for i in range(35)]

    statuses = _statuses(api_client, TOKEN, bodies, [_forged(i) for i in range(35)])

    assert statuses[:AUTH_IP_LIMIT] == [401] * AUTH_IP_LIMIT
    assert statuses[AUTH_IP_LIMIT:] == [429] * (35 - AUTH_IP_LIMIT)


@pytest.mark.django_db
def test_register_from_forged_addresses_is_one_client(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    bodies = [{"email": f"new{i}@example.com", "password": "plum-orchard-lantern-42"} for i in range(35)]

    statuses = _statuses(api_client, REGISTER, bodies, [_forged(i) for i in range(35)])

    assert statuses.count(429) == 35 - AUTH_IP_LIMIT and statuses[-1] == 429
    assert get_user_model().objects.count() == AUTH_IP_LIMIT


@pytest.mark.django_db
def test_behind_one_proxy_the_right_most_entry_is_the_client(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    bodies = [{"email": f"shopper{i}@example.com", "password": "wrong-password"} for i in range(35)]
    # The proxy appended what it saw (CLIENT); the client wrote the rest, different every time.
    statuses = _statuses(api_client, TOKEN, bodies, [f"{_forged(i)}, {CLIENT}" for i in range(35)])

    assert statuses[AUTH_IP_LIMIT:] == [429] * (35 - AUTH_IP_LIMIT)
    # Another client behind the same proxy (same REMOTE_ADDR) is not affected.
    other = api_client.post(
        TOKEN, bodies[0], format="json", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"{CLIENT}, 192.0.2.9"
    )
    assert_api_error(other, 401, "no_active_account")


@pytest.mark.django_db
def test_guest_order_lookup_from_forged_addresses_is_throttled(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    bodies = [{"number": f"1000{i}", "email": "guest@example.com"} for i in range(35)]

    statuses = _statuses(api_client, LOOKUP, bodies, [_forged(i) for i in range(35)])

    assert statuses[:30] == [404] * 30
    assert statuses[30:] == [429] * 5


@pytest.mark.django_db(transaction=True)
def test_phone_codes_from_one_client_with_rotating_forwarded_for_are_limited(api_client, sms_provider, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.OTP_RESEND_SECONDS = 0
    settings.OTP_IP_PER_HOUR = 20
    bodies = [{"phone": f"+4479111234{i:02d}"} for i in range(25)]

    statuses = _statuses(api_client, OTP_REQUEST, bodies, [f"{_forged(i)}, {CLIENT}" for i in range(25)])

    assert statuses[:20] == [202] * 20
    assert statuses[20:] == [429] * 5
    assert len(sms_provider.messages) == 20


def _scope_app(client: tuple[str, int]):
    async def app(scope, receive, send):
        return await application({**scope, "client": client}, receive, send)

    return app


async def _handshake(peer: str, forwarded: str) -> tuple[bool, object]:
    communicator = WebsocketCommunicator(
        _scope_app((peer, 50000)), "/ws/search/", headers=[(b"x-forwarded-for", forwarded.encode())]
    )
    connected, detail = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected, detail


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [(0, _forged), (1, lambda i: f"{_forged(i)}, {CLIENT}")],
    ids=["no-proxy", "one-proxy"],
)
async def test_websocket_handshakes_from_forged_addresses_are_one_client(settings, proxies, forwarded):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.WS_CONNECT_PER_IP_PER_MINUTE = 5

    peer = PROXY if proxies else CLIENT

    results = [await _handshake(peer, forwarded(i)) for i in range(8)]

    assert [connected for connected, _ in results] == [True] * 5 + [False] * 3
    assert results[-1][1] == CLOSE_RATE_LIMITED
    # Another client (through the same proxy, or from its own address) is still let in.
    assert (await _handshake(PROXY, f"{CLIENT}, 192.0.2.50") if proxies else await _handshake("192.0.2.50", CLIENT))[0]


def test_client_ip_reads_requests_and_scopes_alike(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    scope = {
        "type": "websocket",
        "client": ("10.0.0.2", 1234),
        "headers": [
            (b"x-forwarded-for", b"1.2.3.4"),
            (b"x-forwarded-for", b"203.0.113.7"),
            (b"x-forwarded-proto", b"https"),
        ],
    }
    assert client_ip(request) == client_ip(scope) == "203.0.113.7"
    assert websocket_scheme(scope) == "wss"
    assert client_ip(request, trusted_proxies=0) == client_ip(scope, trusted_proxies=0) == "10.0.0.2"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 0
    assert websocket_scheme({**scope, "scheme": "ws"}) == "ws"  # no proxy: X-Forwarded-Proto is not believed
