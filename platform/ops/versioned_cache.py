"""Cache entries made stale all at once by a version number kept in the cache and written into their keys:
bump the version and every entry under the old one is never read again (it expires by its timeout).
The catalogue's cache (`catalogue/cache.py`, ADR 0023) and the storefront content's (`content/cache.py`)
are built on it.

A version key can disappear while entries under it live on: Redis evicts it under `maxmemory`, or an
operator deletes it. It then comes back as a fresh value from the clock (microseconds since the epoch),
greater than any value it held before: those counted up by one per bump from an earlier clock reading.
So an entry stored under an old version is never served again, even after the version key was lost; a
version that started again from 1 would serve entries stored under 1 before (what the content cache did).

The cache is Django's default: local memory in the embedded default (per process), Redis in production
(shared by every process). While Redis is away the cache answers as an empty one (ADR 0025): a read
builds, a bump is lost, and the owners bump again on `ops.signals.cache_recovered`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache


def fresh_version() -> int:
    """A version greater than any an earlier `fresh_version()` (plus its bumps) gave."""
    return time.time_ns() // 1000


def version(key: str) -> int:
    """The version stored at `key`; a fresh one is stored first if there is none."""
    current = cache.get(key)
    if current is None:
        cache.add(key, fresh_version(), timeout=None)  # another process may have just added one: keep theirs
        current = cache.get(key) or fresh_version()
    return current


def version_bump(key: str) -> None:
    """Move the version at `key`: what was cached under the old one is not read again."""
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted, or a fresh cache): any fresh value is greater
        cache.set(key, fresh_version(), timeout=None)


def cached(key: str, build: Callable[[], Any], timeout: int) -> Any:
    """The value cached at `key`, or `build()`'s result, stored there for `timeout` seconds (a `None`
    result reads as a miss: it is built again on every call)."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value
