"""The storefront's cache of menus, announcement, footer and contact details.

One generation number in the cache is part of every key; saving or deleting a snippet, a contact
setting or a page bumps it, so every cached fragment is dropped at once (across processes too, with the
Redis cache).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

GENERATION_KEY = "hx:content:generation"
TIMEOUT_SECONDS = 60 * 60


def content_cache_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def content_cache_invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(GENERATION_KEY, 2, timeout=None)


def content_cache_get_or_set(*, key: str, compute: Callable[[], Any]) -> Any:
    full_key = f"hx:content:{content_cache_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=TIMEOUT_SECONDS)
    return value
