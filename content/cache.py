"""The storefront's cache of menus, announcement, footer and contact details.

One version number in the cache is part of every key (`ops.versioned_cache`, as the catalogue's cache);
saving or deleting a snippet, a contact setting, a site or a page bumps it (`content/signals.py`), so every
cached fragment is dropped at once (across processes too, with the Redis cache). A version key evicted
from Redis comes back greater than before, so a fragment cached under an earlier version is never served.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ops import versioned_cache

VERSION_KEY = "hx:content:version"
TIMEOUT_SECONDS = 60 * 60


def content_cache_version() -> int:
    return versioned_cache.version(VERSION_KEY)


def content_cache_invalidate() -> None:
    versioned_cache.version_bump(VERSION_KEY)


def content_cache_get_or_set(*, key: str, compute: Callable[[], Any]) -> Any:
    return versioned_cache.cached(f"hx:content:{content_cache_version()}:{key}", compute, TIMEOUT_SECONDS)
