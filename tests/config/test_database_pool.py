"""PostgreSQL connections stay bounded under the ASGI server (docs/adr/0028).

The production server against the test database takes bursts of 60 concurrent requests; its
connections (counted in pg_stat_activity by the `application_name` each server is given) never exceed
the pool's `max_size` plus a small constant. Configured as before the pool (`CONN_MAX_AGE=60`, no pool),
daphne with Django's own ASGI handler held far more: every request ran in its own thread, each thread
kept its own "persistent" connection, and nothing closed them when the thread went away. The shipped
handler runs requests on a fixed pool of threads (ADR 53), so even that setting holds one connection
per thread.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.asgi_server import AsgiServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

POOL_MAX = 4
SLACK = 1  # psycopg may open one connection past min_size while another is being returned
BURST = 60
BURSTS = 3
LEGACY_BURST = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("connection counting needs PostgreSQL's pg_stat_activity")


def server_connections(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application_name])
        return cursor.fetchone()[0]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - a local test server
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def burst(url: str, *, size: int = BURST) -> tuple[list[int], float]:
    """`size` GETs of `url` released at once; returns the statuses and the requests per second."""
    gate = threading.Barrier(size)

    def one(_: int) -> int:
        gate.wait()
        return _get(url)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=size) as pool:
        statuses = list(pool.map(one, range(size)))
    return statuses, size / (time.perf_counter() - started)


class PeakCounter:
    """Samples the server's connection count every 20 ms while bursts run (the test's own connection
    is used from this one thread only, after the bursts' threads have started)."""

    def __init__(self, application_name: str) -> None:
        self.application_name = application_name
        self.peak = 0

    def sample_until(self, done: threading.Event) -> None:
        while not done.is_set():
            self.peak = max(self.peak, server_connections(self.application_name))
            time.sleep(0.02)


def run_bursts(server: AsgiServer, name: str, path: str, *, size: int = BURST, bursts: int = BURSTS) -> dict:
    before = server_connections(name)
    done = threading.Event()
    counter = PeakCounter(name)
    results: dict = {"statuses": [], "rates": []}

    def fire() -> None:
        try:
            for _ in range(bursts):
                statuses, rate = burst(f"{server.url}{path}", size=size)
                results["statuses"] += statuses
                results["rates"].append(round(rate, 1))
        finally:
            done.set()

    firing = threading.Thread(target=fire)
    firing.start()
    counter.sample_until(done)  # the test's DB connection stays in this thread
    firing.join()
    time.sleep(1)
    results.update(before=before, peak=counter.peak, after=server_connections(name))
    return results


def _server(application_name: str, **env: str) -> AsgiServer:
    return AsgiServer(env={"DATABASE_APPLICATION_NAME": application_name, **env}).start()


def test_bursts_of_60_requests_never_hold_more_connections_than_the_pool():
    name = f"hypex-pool-{uuid.uuid4().hex[:8]}"
    server = _server(name, DATABASE_POOL_MIN_SIZE="1", DATABASE_POOL_MAX_SIZE=str(POOL_MAX), DATABASE_POOL_TIMEOUT="30")
    try:
        results = run_bursts(server, name, "/readyz")
        ready = _get(f"{server.url}/readyz")
    finally:
        server.stop()
    print("pool:", json.dumps({k: v for k, v in results.items() if k != "statuses"}))  # figures for the ADR

    assert len(results["statuses"]) == BURST * BURSTS
    assert set(results["statuses"]) == {200}, "no 5xx under bursts"
    assert results["peak"] <= POOL_MAX + SLACK
    assert results["after"] <= POOL_MAX + SLACK
    assert ready == 200


def test_the_shipped_handler_holds_one_connection_per_thread_even_without_the_pool():
    """The configuration before the pool, CONN_MAX_AGE=60 and no pool, leaked under Django's own ASGI
    handler: every request ran in a thread of its own, and each thread kept its "persistent" connection
    (20 concurrent requests left more idle connections than the pool allows). The shipped handler runs on
    `HTTP_THREADS` threads (ADR 53): at most one connection each.

    One burst of 20, not 60: the PostgreSQL server is shared (100 slots)."""
    name = f"hypex-nopool-{uuid.uuid4().hex[:8]}"
    server = _server(name, DATABASE_POOL="false", DATABASE_CONN_MAX_AGE="60", HTTP_THREADS=str(POOL_MAX))
    try:
        results = run_bursts(server, name, "/readyz", size=LEGACY_BURST, bursts=1)
    finally:
        server.stop()
    print("conn_max_age=60:", json.dumps({k: v for k, v in results.items() if k != "statuses"}))

    assert set(results["statuses"]) == {200}
    assert results["after"] <= POOL_MAX  # HTTP_THREADS threads, each with its one persistent connection


def test_an_exhausted_pool_answers_503_in_the_error_format_not_500():
    name = f"hypex-busy-{uuid.uuid4().hex[:8]}"
    server = _server(name, DATABASE_POOL_MIN_SIZE="1", DATABASE_POOL_MAX_SIZE="1", DATABASE_POOL_TIMEOUT="1")
    holder: dict = {}
    try:
        # Given the server's only connection stuck behind a table lock held by this test
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("LOCK TABLE order_order IN ACCESS EXCLUSIVE MODE")
            stuck = threading.Thread(
                target=lambda: holder.update(status=_post_json(f"{server.url}/api/v1/orders/lookup/", LOOKUP))
            )
            stuck.start()
            time.sleep(2)
            # When another request needs a connection
            status, body, headers = _post_json_full(f"{server.url}/api/v1/orders/lookup/", LOOKUP)
            page_status = _get(f"{server.url}/catalogue/")
            cursor.execute("ROLLBACK")
        stuck.join(timeout=30)
    finally:
        server.stop()

    # Then it is told the shop is busy (503, error format, Retry-After), and the stuck one completes
    assert status == 503
    assert body["error"]["code"] == "service_unavailable"
    assert headers.get("Retry-After") == "5"
    assert page_status == 503  # a page too
    assert holder["status"] == 404


LOOKUP = {"number": "100001", "email": "guest@example.com"}


def _post_json_full(url: str, body: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}"), _headers(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}"), _headers(exc.headers)


def _headers(message) -> dict[str, str]:
    """Header names in their canonical case (uvicorn sends them lower-case, as HTTP allows)."""
    return {name.title(): value for name, value in message.items()}


def _post_json(url: str, body: dict) -> int:
    return _post_json_full(url, body)[0]
