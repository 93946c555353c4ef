"""Django's Redis cache, made to degrade to a miss when Redis is away (ADR 0025).

Contract: no operation raises because Redis is unreachable or too slow. While it is away the cache
behaves like an empty cache that forgets every write:
- reads miss: `get` -> default, `get_many` -> {}, `has_key` -> False (so `get_or_set` computes);
- writes are dropped: `set`/`delete_many` -> None, `set_many` -> every key (not stored),
  `touch`/`delete`/`clear` -> False, and `add` -> True, as an empty cache answers (the key was not
  there). A lock taken with `add` (allauth's rate limits take one) therefore does not exclude while
  Redis is away instead of failing every caller: nothing in Hypex relies on such a lock for correctness;
- `incr`/`decr` raise ValueError, as Django does for a missing key, so a caller that already handles
  a missing counter handles an outage too.
Each failure is logged as a warning (rate-limited) and opens a circuit (ops/circuit.py): for
`CIRCUIT_OPEN_SECONDS` no call touches the socket, so a page making twenty cache calls does not wait
twenty socket timeouts. The first call after the window pings Redis; when it answers, the circuit
closes and `ops.signals.cache_recovered` is sent once, before that call's own operation runs.
Other errors (a bad value, a bug) still raise.

Options (in CACHES[...]["OPTIONS"], besides the redis-py ones): `CIRCUIT_OPEN_SECONDS` (default 5),
`LOG_INTERVAL_SECONDS` (default 60).

One Redis client, and so one connection pool, per process and configuration (`shared_client`). Django
makes a cache object per thread, and under ASGI per context: each HTTP request of the production server
(ADR 53) and each websocket consumer gets a new one. A pool of its own per cache object opened a new
Redis connection for each of them (its handshake cost more CPU than the request's cache reads).
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import cached_property
from redis.driver_info import DriverInfo

from .circuit import REDIS_OUTAGE_ERRORS, CircuitBreaker
from .metrics.cache import CountingCacheMixin
from .metrics.families import CACHE_ERRORS
from .signals import cache_recovered

logger = logging.getLogger("ops.cache")


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def cache_breaker(location: str, *, open_seconds: float, log_interval_seconds: float) -> CircuitBreaker:
    """The process-wide breaker for one Redis location (Django makes a cache object per thread)."""
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None:
            breaker = CircuitBreaker(
                name=f"Redis cache at {location}",
                logger=logger,
                open_seconds=open_seconds,
                log_interval_seconds=log_interval_seconds,
            )
            _breakers[location] = breaker
        return breaker


_clients: dict[tuple, RedisCacheClient] = {}
_clients_lock = threading.Lock()


def shared_client(client_class: type, servers: list[str], options: dict) -> RedisCacheClient:
    """The process-wide cache client (its connection pools) for one set of servers and options.

    Its connections share one `DriverInfo`: redis-py otherwise makes one per connection, reading the
    package's version with `importlib.metadata` (a new connection's CPU fell from 0.82 to 0.33 ms)."""
    key = (client_class, tuple(servers), repr(sorted(options.items())))
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = client_class(servers, **{"driver_info": _driver_info(), **options})
        return client


@functools.cache
def _driver_info() -> DriverInfo:
    return DriverInfo()  # reads redis-py's version once, when the first client is made


def cache_connections_open(count: int, alias: str = "default") -> int:
    """Open up to `count` connections in the process's pool for the cache `alias`, so that the first
    requests a new worker serves at once do not each pay a connection's handshake (config/warmup.py).
    Returns how many are open and idle in the pool; 0 for another backend or while Redis is away."""
    backend = caches[alias]
    if not isinstance(backend, DegradingRedisCache) or not backend.breaker.allow():
        return 0
    pool = backend._cache.get_client(write=True).connection_pool
    taken = []
    try:
        for _ in range(count):
            connection = pool.get_connection()
            taken.append(connection)
    except REDIS_OUTAGE_ERRORS as error:
        logger.warning("warm-up opened %d of %d cache connections: %s", len(taken), count, error)
    finally:
        for connection in taken:
            pool.release(connection)
    return len(taken)


@receiver(setting_changed)
def _forget_breakers_and_clients(*, setting: str, **kwargs) -> None:
    """New cache settings (tests override them) start with closed circuits and new clients."""
    if setting == "CACHES":
        with _breakers_lock:
            _breakers.clear()
        with _clients_lock:
            _clients.clear()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool.

    Django builds a new `redis.Redis` for every operation, and redis-py's constructor fills its table of
    response callbacks each time: about half of a cache read's CPU (0.1 ms of 0.25 ms; a catalogue page
    made 50 reads, issue 17). A `redis.Redis` holds no connection of its own (the pool does), so one
    per pool serves every operation and thread."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class _Unavailable(Exception):
    """Internal: the call was skipped or failed because Redis is away."""


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        open_seconds = float(options.pop("CIRCUIT_OPEN_SECONDS", 5))
        log_interval = float(options.pop("LOG_INTERVAL_SECONDS", 60))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self.location = ",".join(self._servers)
        self.breaker = cache_breaker(self.location, open_seconds=open_seconds, log_interval_seconds=log_interval)

    @cached_property
    def _cache(self) -> RedisCacheClient:
        return shared_client(self._class, self._servers, self._options)

    def _call(self, operation, *args, **kwargs) -> Any:
        if not self.breaker.allow():
            CACHE_ERRORS.inc()
            raise _Unavailable
        try:
            if self.breaker.is_down:
                # The first try after an outage: ping, and let the recovery receivers invalidate
                # what was missed *before* this operation reads anything.
                self._cache.get_client(write=True).ping()
                if self.breaker.success():
                    self._announce_recovery()
            return operation(*args, **kwargs)
        except REDIS_OUTAGE_ERRORS as exc:
            CACHE_ERRORS.inc()
            self.breaker.failure(exc)
            raise _Unavailable from exc

    def _announce_recovery(self) -> None:
        for handler, error in cache_recovered.send_robust(sender=type(self), location=self.location):
            if error is not None:
                logger.error("cache_recovered receiver %r failed", handler, exc_info=error)

    def _or(self, fallback, operation, *args, **kwargs) -> Any:
        try:
            return self._call(operation, *args, **kwargs)
        except _Unavailable:
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._or({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        try:
            return self._call(super().incr, key, delta, version)
        except _Unavailable:
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.") from None

    def counter_add(self, key, field: str, amount: int = 1) -> bool:
        """Add `amount` to the counter `field` of the hash `key` (no expiry: kept until taken). False
        when Redis is away: the caller writes the count itself. Not part of Django's cache API."""
        name = self.make_and_validate_key(key)
        return self._or(False, lambda: self._cache.get_client(write=True).hincrby(name, field, amount) is not None)

    def counters_take(self, key) -> dict[str, int]:
        """Every counter of the hash `key`, removed in the same step (MULTI: HGETALL, DEL), so a count
        added meanwhile waits for the next take; {} when Redis is away."""
        name = self.make_and_validate_key(key)

        def take() -> dict[str, int]:
            pipeline = self._cache.get_client(write=True).pipeline(transaction=True)
            values, _deleted = pipeline.hgetall(name).delete(name).execute()
            return {field.decode(): int(count) for field, count in values.items()}

        return self._or({}, take)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that failed to be inserted. All of them, when Redis is away.
        return self._or(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._or(None, super().delete_many, keys, version)

    def clear(self):
        return self._or(False, super().clear)


class FaultTolerantRedisCache(CountingCacheMixin, DegradingRedisCache):
    """The degrading Redis cache, with its reads counted as hits and misses (ops.metrics)."""
