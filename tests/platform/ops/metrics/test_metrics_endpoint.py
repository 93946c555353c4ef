"""Who may read /metrics (token, networks, never through a proxy), on web and on a worker's port, and
the deploy check that refuses an endpoint open to every address (ADR 0033)."""

from __future__ import annotations

import ipaddress
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ops.metrics.worker_server import metrics_server_start

pytestmark = pytest.mark.django_db  # the scrape-time collectors read the database

TOKEN = "s3cret-metrics-token-for-tests"


@pytest.fixture
def locked(settings):
    """Production-like: no network allowed, a token required."""
    settings.METRICS_ALLOWED_NETWORKS_PARSED = []
    settings.METRICS_TOKEN = TOKEN
    return settings


def test_loopback_may_read_metrics_in_the_default_settings(client):
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response["Cache-Control"] == "no-store"
    assert b"# TYPE hypex_http_requests_total counter" in response.content


def test_without_token_or_allowed_network_nothing_says_metrics_exist(client, locked):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404  # not a bearer header


def test_the_bearer_token_opens_it(client, locked):
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.parametrize("header", ["HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"])
def test_a_request_that_came_through_a_proxy_is_refused_even_with_the_token(client, locked, header):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **{header: "203.0.113.9"})

    assert response.status_code == 404


def test_networks_decide_by_the_socket_peer(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS_PARSED = [ipaddress.ip_network("10.0.0.0/8")]

    assert client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 404
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is not in 10/8 any more


def test_prometheus_addressing_a_pod_by_ip_is_not_refused_for_its_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["shop.example"]

    assert client.get("/metrics", HTTP_HOST="10.42.0.17:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST="10.42.0.17:8000").status_code == 400  # everything else is


def test_only_get_and_head(client):
    assert client.post("/metrics").status_code == 404


def test_check_deploy_refuses_metrics_open_to_every_address(settings):
    settings.METRICS_ALLOWED_NETWORKS_PARSED = [ipaddress.ip_network("0.0.0.0/0")]

    with pytest.raises(SystemCheckError, match="hypex.E010"):
        call_command("check", "--deploy", "--tag", "metrics")


def test_check_deploy_is_clean_with_a_token(locked):
    call_command("check", "--deploy", "--tag", "metrics")


def _get(url: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_worker_serves_the_same_metrics_on_its_port_with_the_same_rule(locked):
    server = metrics_server_start(port=0, host="127.0.0.1")
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        status, body = _get(url, Authorization=f"Bearer {TOKEN}")
        assert status == 200 and "hypex_task_runs_total" in body
        assert _get(url)[0] == 404
        assert _get(url, Authorization=f"Bearer {TOKEN}", **{"X-Forwarded-For": "203.0.113.9"})[0] == 404
        assert _get(url.replace("/metrics", "/other"), Authorization=f"Bearer {TOKEN}")[0] == 404
    finally:
        server.shutdown()
        server.server_close()
