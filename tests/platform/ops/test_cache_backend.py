"""The fault-tolerant Redis cache against a real, stopped redis-server: misses, no errors, one
warning, a bounded number of connection attempts, and recovery by itself (ADR 0025)."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
import redis

from ops import cache_backends
from ops.cache_backends import FaultTolerantRedisCache
from ops.signals import cache_recovered

pytestmark = pytest.mark.redis


def _cache(url: str, **options) -> FaultTolerantRedisCache:
    return FaultTolerantRedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **options}, "KEY_PREFIX": "t"}
    )


@pytest.fixture(autouse=True)
def _fresh_breakers():
    """Breakers are process-wide per location; a port reused by a later test must start closed."""
    yield
    cache_backends._breakers.clear()
    cache_backends._clients.clear()


class CountingListener:
    """Something listening where Redis should be that never speaks Redis: it counts the connections
    it accepts and either closes them at once (`mode="close"`) or holds them silent (`"silent"`)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            if self.mode == "close":
                conn.close()
            else:
                self.held.append(conn)

    def stop(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_every_operation_degrades_when_redis_is_stopped_and_one_warning_is_logged(redis_server, caplog):
    cache = _cache(redis_server.url)
    cache.set("price", 10)
    assert cache.get("price") == 10
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="ops.cache"):
        assert cache.get("price", "miss") == "miss"
        assert cache.get_many(["price", "stock"]) == {}
        assert cache.has_key("price") is False
        assert ("price" in cache) is False
        assert cache.set("price", 11) is None
        assert cache.add("new", 1) is True  # as an empty cache: stored (and forgotten)
        assert cache.touch("price") is False
        assert cache.delete("price") is False
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete_many(["a", "b"]) is None
        assert cache.clear() is False
        assert cache.get_or_set("computed", lambda: 42) == 42
        with pytest.raises(ValueError):
            cache.incr("counter")
        with pytest.raises(ValueError):
            cache.decr("counter")

    warnings = [r for r in caplog.records if r.name == "ops.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "unavailable" in warnings[0].getMessage() and str(redis_server.port) in warnings[0].getMessage()


async def test_async_operations_degrade_too(redis_server):
    cache = _cache(redis_server.url)
    redis_server.stop()

    assert await cache.aget("price", "miss") == "miss"
    assert await cache.aset("price", 1) is None
    assert await cache.aget_or_set("computed", 7) == 7


@pytest.mark.parametrize("mode", ["close", "silent"])
def test_the_open_circuit_skips_the_socket_so_an_outage_costs_one_attempt_per_window(mode):
    listener = CountingListener(mode)
    try:
        cache = _cache(f"redis://127.0.0.1:{listener.port}/0", socket_timeout=0.3, CIRCUIT_OPEN_SECONDS=60)

        answers = [cache.get(f"card:{i}", "miss") for i in range(50)]

        assert answers == ["miss"] * 50
        assert listener.accepted == 1  # 50 reads, one connection attempt, one timeout at most
    finally:
        listener.stop()


def test_the_cache_reconnects_by_itself_when_redis_returns_and_says_so_once(redis_server, caplog):
    cache = _cache(redis_server.url, CIRCUIT_OPEN_SECONDS=0.2)
    recoveries = []

    def receiver(sender, location, **kwargs):
        recoveries.append(location)

    cache_recovered.connect(receiver)
    try:
        assert cache.set("k", "before") is None
        redis_server.stop()
        assert cache.get("k") is None
        redis_server.start()
        assert cache.get("k") is None  # the circuit is still open: no try yet
        time.sleep(0.3)

        with caplog.at_level(logging.WARNING, logger="ops.cache"):
            cache.set("k", "after")
            assert cache.get("k") == "after"
    finally:
        cache_recovered.disconnect(receiver)

    assert recoveries == [cache.location]
    assert any("available again" in r.getMessage() for r in caplog.records if r.name == "ops.cache")


def test_cache_objects_of_one_configuration_share_one_client_whose_connections_share_one_driver_info(
    redis_server,
):
    first, second = _cache(redis_server.url), _cache(redis_server.url)
    assert first._cache is second._cache  # one pool for every thread, request and consumer of a process
    pool = first._cache.get_client(write=True).connection_pool
    one, two = pool.get_connection(), pool.get_connection()
    try:
        # redis-py made a DriverInfo per connection, reading its version with importlib.metadata each time
        assert one.driver_info is two.driver_info
    finally:
        pool.release(one)
        pool.release(two)


def test_a_warm_up_opens_the_pools_connections_and_skips_them_while_redis_is_away(redis_server, settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
                                   "LOCATION": redis_server.url, "OPTIONS": {"socket_connect_timeout": 1}}}  # fmt: skip
    counter = redis.Redis.from_url(redis_server.url)
    before = counter.info("clients")["connected_clients"]

    assert cache_backends.cache_connections_open(3) == 3
    assert counter.info("clients")["connected_clients"] - before == 3  # open, idle in the pool
    counter.close()

    redis_server.stop()
    cache_backends._clients.clear()  # a new worker's pool: nothing open yet
    with caplog.at_level(logging.WARNING, logger="ops.cache"):
        assert cache_backends.cache_connections_open(3) == 0  # the worker starts anyway
    assert "warm-up opened 0 of 3 cache connections" in caplog.text
