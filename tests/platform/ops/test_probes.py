"""/healthz says the process is up; /readyz names every dependency and answers 503 when one is down."""

import pytest
from channels.layers import channel_layers
from django.test import override_settings
from huey import RedisHuey

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
    assert response["Cache-Control"].startswith("max-age=0")


def _redis_backed_settings(url: str) -> dict:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        },
        "CHANNEL_LAYERS": {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}},
    }


@pytest.mark.django_db
@pytest.mark.redis
def test_readyz_reports_stopped_redis_as_down_and_recovers(client, redis_server, monkeypatch):
    timeout_url = f"{redis_server.url}?socket_connect_timeout=1&socket_timeout=1"
    monkeypatch.setattr("huey.contrib.djhuey.HUEY", RedisHuey("hypex-readyz", url=timeout_url))
    with override_settings(**_redis_backed_settings(redis_server.url)):
        channel_layers.backends.clear()
        try:
            assert client.get("/readyz").status_code == 200

            redis_server.stop()
            response = client.get("/readyz")
            assert response.status_code == 503
            checks = response.json()["checks"]
            assert response.json()["status"] == "unavailable"
            assert checks["database"]["status"] == "up"
            for name in ("cache", "channel_layer", "task_queue"):
                assert checks[name]["status"] == "down", checks[name]
                assert checks[name]["detail"]

            redis_server.start()
            channel_layers.backends.clear()
            response = client.get("/readyz")
            assert response.status_code == 200, response.json()
        finally:
            channel_layers.backends.clear()


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
