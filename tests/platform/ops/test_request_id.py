"""Every answer carries an X-Request-ID and every log line of the request the same id: taken from a
trusted proxy when it is a sane token, made otherwise (docs/adr/0035)."""

from __future__ import annotations

import logging
import re

import pytest
from channels.testing import WebsocketCommunicator
from django.http import HttpResponse
from django.test import AsyncClient
from django.urls import path

from ops.request_id import current_request_id

MADE = re.compile(r"[0-9a-f]{32}")


def _boom(request):
    raise RuntimeError("a bug")


def _logs_from_sync_code(request):
    logging.getLogger("checkout.test").info("inside the view")
    return HttpResponse(current_request_id() or "")


# This module is also the URLconf of the tests marked `urls(__name__)`: the site's error handlers, a
# view that fails and a view that logs.
urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom), path("logs/", _logs_from_sync_code)]
handler404 = "apibase.views.not_found"
handler500 = "apibase.server_errors.server_error"


def test_an_id_is_made_when_none_is_given_and_echoed(client):
    response = client.get("/healthz")

    assert MADE.fullmatch(response["X-Request-ID"])
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_a_clients_id_is_refused_when_no_trusted_proxy_stands_in_front(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-client")

    assert MADE.fullmatch(response["X-Request-ID"])


def test_the_trusted_proxys_id_is_kept(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.get("/healthz", HTTP_X_REQUEST_ID="b2a0f1c9e8d7.nginx_id-1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response["X-Request-ID"] == "b2a0f1c9e8d7.nginx_id-1"


@pytest.mark.parametrize(
    "offered",
    ["", "x" * 129, "has space", "new\nline", "semi;colon", "<script>", "a,b", "ünïcode"],
    ids=["empty", "too-long", "space", "newline", "semicolon", "markup", "two-headers", "non-ascii"],
)
def test_a_malformed_id_is_replaced_even_from_a_trusted_proxy(client, settings, offered):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)

    assert MADE.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/no-such-page/", 404),
        ("/api/v1/no-such-thing/", 404),
        ("/api/v1/auth/token/", 405),  # GET on a POST-only endpoint: the API error format
        ("/api/v1/products/?q=" + "a" * 9000, 414),  # refused by the request guard
        ("/static/hypex/css/hypex.css", 200),  # WhiteNoise
    ],
)
def test_error_answers_and_static_files_carry_the_id_too(client, url, status):
    response = client.get(url)

    assert response.status_code == status
    assert MADE.fullmatch(response["X-Request-ID"])


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/boom/", "/api/v1/boom/"])
def test_the_500_answer_carries_the_id_and_djangos_error_line_has_it(client, project_log, url):
    log = project_log()
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    error = next(r for r in log.records() if r["logger"] == "django.request")
    assert error["request_id"] == request_id and "RuntimeError: a bug" in error["exception"]
    assert current_request_id() is None  # nothing after the request inherits its id


@pytest.mark.urls(__name__)
def test_every_line_of_the_request_has_its_id(client, project_log):
    log = project_log()

    response = client.get("/logs/")

    request_id = response["X-Request-ID"]
    assert response.content.decode() == request_id
    lines = {r["logger"]: r for r in log.records()}
    assert lines["checkout.test"]["request_id"] == request_id
    assert lines["ops.access"]["request_id"] == request_id


@pytest.mark.urls(__name__)
async def test_the_id_reaches_sync_code_under_the_async_handler(project_log):
    log = project_log()

    response = await AsyncClient().get("/logs/")

    request_id = response["X-Request-ID"]
    assert MADE.fullmatch(request_id) and response.content.decode() == request_id
    assert {r["logger"]: r["request_id"] for r in log.records()}["checkout.test"] == request_id


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("proxies", "kept"), [(1, True), (0, False)])
async def test_a_websocket_connection_logs_with_its_id(settings, project_log, proxies, kept):
    from config.asgi import application

    settings.TRUSTED_PROXY_COUNT = proxies
    log = project_log()
    communicator = WebsocketCommunicator(application, "/ws/search/", headers=[(b"x-request-id", b"ws-abc.1")])

    connected, _ = await communicator.connect()
    await communicator.disconnect()

    assert connected
    line = next(r for r in log.records() if r["logger"] == "ops.access")
    assert line["message"].startswith("websocket /ws/search/ accepted")
    if kept:
        assert line["request_id"] == "ws-abc.1"
    else:
        assert MADE.fullmatch(line["request_id"])
