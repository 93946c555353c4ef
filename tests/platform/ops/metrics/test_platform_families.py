"""Every platform metric family, scraped from /metrics after exercising what it measures: HTTP by route
name, database work per request, view exceptions, cache hits/misses/errors, websockets, huey tasks and
queue, the outbox (ADR 0033)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from huey import MemoryHuey, SqliteHuey
from oscar.test.factories import create_product

from ops.cache_backends import FaultTolerantRedisCache
from ops.metrics.tasks import task_metrics_install, task_queue_collect
from sideeffects.delivery import outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.metrics import scrape

pytestmark = pytest.mark.django_db


def test_requests_are_counted_and_timed_by_route_name_not_path(client):
    before = scrape(client)

    assert client.get("/healthz").status_code == 200
    assert client.get("/no/such/page/4242/").status_code == 404  # the CMS's catch-all route answers
    assert client.get("/search/4242/?q=a%00b").status_code == 400  # refused before any URL matched

    after = scrape(client)
    labels = {"route": "healthz", "method": "GET"}
    assert (
        after.value("hypex_http_requests_total", status="200", **labels)
        == before.value("hypex_http_requests_total", status="200", **labels) + 1
    )
    assert (
        after.value("hypex_http_request_duration_seconds_count", **labels)
        == before.value("hypex_http_request_duration_seconds_count", **labels) + 1
    )
    assert after.total("hypex_http_requests_total", status="404") > before.total(
        "hypex_http_requests_total", status="404"
    )
    assert after.total("hypex_http_requests_total", route="<unmatched>", status="400") > before.total(
        "hypex_http_requests_total", route="<unmatched>", status="400"
    )
    assert "no/such/page" not in after.text and "search/4242" not in after.text  # raw paths never become labels


def test_database_queries_and_time_per_request_by_route(client):
    create_product(title="Linen Shirt", price=Decimal("25.00"), num_in_stock=3)
    route = "api:product-list"
    before = scrape(client)

    assert client.get("/api/v1/products/").status_code == 200

    after = scrape(client)
    assert (
        after.value("hypex_http_request_db_queries_count", route=route)
        == before.value("hypex_http_request_db_queries_count", route=route) + 1
    )
    queries = after.value("hypex_http_request_db_queries_sum", route=route) - before.value(
        "hypex_http_request_db_queries_sum", route=route
    )
    assert queries >= 1
    assert after.value("hypex_http_request_db_seconds_sum", route=route) > before.value(
        "hypex_http_request_db_seconds_sum", route=route
    )


@pytest.mark.urls("tests.platform.ops.metrics.boom_urls")
def test_a_view_that_raises_is_counted_by_route_and_exception():
    client = Client(raise_request_exception=False)
    before = scrape(client)

    assert client.get("/boom/").status_code == 500

    after = scrape(client)
    labels = {"route": "boom", "exception": "RuntimeError"}
    assert (
        after.value("hypex_http_exceptions_total", **labels)
        == before.value("hypex_http_exceptions_total", **labels) + 1
    )
    assert (
        after.value("hypex_http_requests_total", route="boom", method="GET", status="500")
        == before.value("hypex_http_requests_total", route="boom", method="GET", status="500") + 1
    )


def test_cache_hits_and_misses(client):
    before = scrape(client)

    cache.set("metrics-test", None)
    assert cache.get("metrics-test", "default") is None  # a stored None is a hit
    assert cache.get("metrics-test-absent") is None
    assert cache.get_many(["metrics-test", "metrics-test-absent", "other-absent"]) == {"metrics-test": None}

    after = scrape(client)
    assert (
        after.value("hypex_cache_requests_total", result="hit")
        - before.value("hypex_cache_requests_total", result="hit")
        >= 2
    )
    assert (
        after.value("hypex_cache_requests_total", result="miss")
        - before.value("hypex_cache_requests_total", result="miss")
        >= 3
    )


def test_cache_errors_while_redis_is_away_count_as_errors_and_misses(client):
    down = FaultTolerantRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1, "CIRCUIT_OPEN_SECONDS": 30}}
    )
    before = scrape(client)

    assert down.get("anything", "fallback") == "fallback"
    assert down.get("anything-else") is None  # circuit open: skipped, still an error

    after = scrape(client)
    assert after.value("hypex_cache_errors_total") - before.value("hypex_cache_errors_total") == 2
    assert (
        after.value("hypex_cache_requests_total", result="miss")
        - before.value("hypex_cache_requests_total", result="miss")
        >= 2
    )


@pytest.mark.django_db(transaction=True)
async def test_websocket_connections_and_frames_by_route(settings):
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    route = {"route": "/ws/search/"}
    read = sync_to_async(scrape)
    before = await read()
    socket = WebsocketCommunicator(application, "/ws/search/", headers=[(b"host", b"testserver")])
    assert (await socket.connect())[0]
    await socket.send_json_to({"q": "shirt"})
    await socket.receive_json_from(timeout=5)

    during = await read()
    assert (
        during.value("hypex_websocket_connections", **route) == before.value("hypex_websocket_connections", **route) + 1
    )
    assert (
        during.value("hypex_websocket_frames_total", direction="received", **route)
        == before.value("hypex_websocket_frames_total", direction="received", **route) + 1
    )
    assert (
        during.value("hypex_websocket_frames_total", direction="sent", **route)
        >= before.value("hypex_websocket_frames_total", direction="sent", **route) + 1
    )
    assert (
        during.value("hypex_websocket_connects_total", outcome="accepted", **route)
        == before.value("hypex_websocket_connects_total", outcome="accepted", **route) + 1
    )

    await socket.disconnect()
    after = await read()
    assert after.value("hypex_websocket_connections", **route) == before.value("hypex_websocket_connections", **route)


@pytest.fixture
def huey():
    instance = MemoryHuey("metrics-test", immediate=True, results=False)
    task_metrics_install(instance)
    return instance


def test_task_runs_failures_retries_and_duration_by_task(huey, client):
    @huey.task(name="metrics_ok")
    def ok():
        return 1

    @huey.task(name="metrics_broken")
    def broken():
        raise ValueError("broken")

    @huey.task(name="metrics_flaky", retries=1)
    def flaky():
        raise ValueError("flaky")

    before = scrape(client)
    ok()
    broken()
    flaky()  # immediate mode: fails, is retried at once, fails for good

    after = scrape(client)

    def delta(name, **labels):
        return after.value(name, **labels) - before.value(name, **labels)

    assert delta("hypex_task_runs_total", task="metrics_ok", outcome="success") == 1
    assert delta("hypex_task_runs_total", task="metrics_broken", outcome="failure") == 1
    assert delta("hypex_task_runs_total", task="metrics_flaky", outcome="retry") == 1
    assert delta("hypex_task_runs_total", task="metrics_flaky", outcome="failure") == 1
    assert delta("hypex_task_duration_seconds_count", task="metrics_ok") == 1
    assert delta("hypex_task_duration_seconds_count", task="metrics_flaky") == 2


def test_queue_depth_is_read_from_the_queue_at_scrape_time(tmp_path):
    queue = SqliteHuey("metrics-queue", filename=str(tmp_path / "huey.sqlite3"))

    @queue.task()
    def later():
        return None

    later()
    later()
    later.schedule(delay=3600)
    queue.add_schedule(queue.dequeue())  # what a consumer does with a task that is not due yet

    families = {family.name: family.samples[0].value for family in task_queue_collect(queue)}
    assert families == {"hypex_task_queue_depth": 2, "hypex_task_scheduled": 1}


def test_outbox_backlog_and_delivery_failures(client):
    old = timezone.now() - timedelta(hours=2)
    OutboxMessage.objects.create(topic="metrics.pending", payload={}, created_at=old, next_attempt_at=old)
    before = scrape(client)
    with transaction.atomic():
        broken = OutboxMessage.objects.create(topic="metrics.no-such-handler", payload={})
    outbox_message_deliver(message_id=broken.pk)

    after = scrape(client)
    assert after.value("hypex_outbox_messages", status="pending") == 2
    assert after.value("hypex_outbox_oldest_pending_age_seconds") >= 2 * 3600
    assert (
        after.value("hypex_outbox_delivery_failures_total", topic="metrics.no-such-handler")
        == before.value("hypex_outbox_delivery_failures_total", topic="metrics.no-such-handler") + 1
    )


def test_a_failing_collector_is_counted_and_the_rest_still_answer(client, monkeypatch):
    from ops.metrics import exposition

    def broken():
        raise RuntimeError("database away")
        yield  # pragma: no cover

    monkeypatch.setitem(exposition._scrape_collectors, "broken_for_test", broken)
    before = scrape(client)
    after = scrape(client)

    assert (
        after.value("hypex_metrics_collector_errors_total", collector="broken_for_test")
        == before.value("hypex_metrics_collector_errors_total", collector="broken_for_test") + 1
    )
    assert "hypex_outbox_messages" in after.families


def test_the_database_pool_of_the_scraped_process(client):
    from django.db import connection

    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get("pool"):
        pytest.skip("the connection pool is PostgreSQL's (DATABASE_URL, DATABASE_POOL on)")
    client.get("/healthz")
    after = scrape(client)
    pid = str(__import__("os").getpid())

    assert after.value("hypex_db_pool_max", pid=pid) >= 1
    assert after.value("hypex_db_pool_size", pid=pid) >= 1
    assert after.value("hypex_db_pool_requests_total", pid=pid) >= 1


def test_dependencies_are_scraped_as_the_readiness_probes_see_them(client):
    after = scrape(client)

    assert after.value("hypex_dependency_up", dependency="database", critical="true") == 1
    assert after.value("hypex_dependency_up", dependency="cache", critical="false") == 1
