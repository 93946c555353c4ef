"""Cache reads counted as hits and misses, for both backends the project uses (local memory, and the
degrading Redis cache in ops.cache_backends, which also counts its errors)."""

from __future__ import annotations

from django.core.cache.backends.locmem import LocMemCache

from .families import CACHE_REQUESTS

MISSING = object()  # passed as the default so a stored None is still a hit


def cache_read_record(value, default):
    """`value` came from a backend's get(key, MISSING): count it, and return what get() must return."""
    if value is MISSING:
        CACHE_REQUESTS.labels(result="miss").inc()
        return default
    CACHE_REQUESTS.labels(result="hit").inc()
    return value


def cache_many_record(*, asked: int, found: int) -> None:
    if found:
        CACHE_REQUESTS.labels(result="hit").inc(found)
    if asked > found:
        CACHE_REQUESTS.labels(result="miss").inc(asked - found)


class CountingCacheMixin:
    """Put before the backend class: counts `get`/`get_many` (`get_or_set` reads through `get`)."""

    def get(self, key, default=None, version=None):
        return cache_read_record(super().get(key, MISSING, version), default)

    def get_many(self, keys, version=None):
        keys = list(keys)
        found = super().get_many(keys, version)
        cache_many_record(asked=len(keys), found=len(found))
        return found


class CountingLocMemCache(CountingCacheMixin, LocMemCache):
    """Django's local-memory cache (the embedded default), counted."""
