"""/healthz says the process is up; /readyz names every dependency and its state, answers 503 when
the database is down and 200 "degraded" when only Redis is (ADR 0025)."""

import copy
import socket

import pytest
from channels.layers import channel_layers
from django.db import connections
from django.test import override_settings
from huey import RedisHuey

from config.settings.integrations.channels import channel_layers as channel_layer_settings

EXPECTED_CHECKS = {"database", "cache", "channel_layer", "task_queue"}


def test_healthz_touches_nothing_and_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_names_each_dependency_and_its_state(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == EXPECTED_CHECKS
    assert all(check["status"] == "up" for check in body["checks"].values())
    assert {name for name, check in body["checks"].items() if check["critical"]} == {"database"}
    assert response["Cache-Control"].startswith("max-age=0")


def _redis_backed_settings(url: str) -> dict:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "CIRCUIT_OPEN_SECONDS": 0},
            }
        },
        "CHANNEL_LAYERS": channel_layer_settings(url),
    }


@pytest.mark.django_db
@pytest.mark.redis
def test_readyz_reports_stopped_redis_as_down_but_stays_ready_and_recovers(client, redis_server, monkeypatch):
    timeout_url = f"{redis_server.url}?socket_connect_timeout=1&socket_timeout=1"
    monkeypatch.setattr("huey.contrib.djhuey.HUEY", RedisHuey("hypex-readyz", url=timeout_url))
    with override_settings(**_redis_backed_settings(redis_server.url)):
        channel_layers.backends.clear()
        try:
            assert client.get("/readyz").status_code == 200

            redis_server.stop()
            response = client.get("/readyz")
            assert response.status_code == 200  # the shop still sells: stay in the load balancer
            checks = response.json()["checks"]
            assert response.json()["status"] == "degraded"
            assert checks["database"]["status"] == "up"
            assert "Redis unreachable" in checks["cache"]["detail"]
            for name in ("cache", "channel_layer", "task_queue"):
                assert checks[name]["status"] == "down", checks[name]
                assert checks[name]["detail"]

            redis_server.start()
            channel_layers.backends.clear()
            response = client.get("/readyz")
            assert response.status_code == 200, response.json()
            assert response.json()["status"] == "ok"
        finally:
            channel_layers.backends.clear()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _disconnect(connection) -> None:
    """Close the connection and, on PostgreSQL, its pool: the next one is made from settings_dict."""
    connection.close()
    if getattr(connection, "pool", None) is not None:
        connection.close_pool()


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_when_the_database_is_down(client, tmp_path):
    connection = connections["default"]
    saved = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = _closed_port()
        if "pool" in connection.settings_dict["OPTIONS"]:
            connection.settings_dict["OPTIONS"]["pool"] = {**connection.settings_dict["OPTIONS"]["pool"], "timeout": 2}
    else:
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    _disconnect(connection)
    try:
        response = client.get("/readyz")
    finally:
        _disconnect(connection)
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {**body["checks"]["database"], "status": "down", "critical": True}
    assert body["checks"]["database"]["detail"]


@pytest.mark.redis
def test_readyz_can_be_told_that_redis_is_critical(client, settings, redis_server, db):
    settings.READYZ_CRITICAL_CHECKS = ["database", "cache"]
    settings.CACHES = _redis_backed_settings(redis_server.url)["CACHES"]
    redis_server.stop()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["critical"] is True


@pytest.mark.django_db
def test_readyz_warns_while_the_dummy_payment_gateway_is_on(client, settings):
    settings.DEBUG = False
    settings.PAYMENT_GATEWAYS = ["dummy"]

    settings.PAYMENT_DUMMY_GATEWAY_ENABLED = True
    on = client.get("/readyz")
    settings.PAYMENT_DUMMY_GATEWAY_ENABLED = False
    off = client.get("/readyz")

    assert on.status_code == 200 and off.status_code == 200
    assert any("dummy payment gateway is enabled" in warning for warning in on.json()["warnings"])
    assert off.json()["warnings"] == []
