"""What lets the suite run in parallel pytest-xdist workers that share one Redis (ADR 0030).

Each worker has its own test database (pytest-django suffixes the name with the worker id) and its own
namespace in Redis (config/settings/test.py: cache key prefix, channel layer prefix, huey queue name).
Django's `RedisCache.clear()` is `FLUSHDB`: it would empty the other workers' cache keys, channel
groups and task queues too. `redis_cache_clear_own_keys` replaces it for the test session: it deletes
the keys under the cache's own KEY_PREFIX and nothing else, so `cache.clear()` in a test means what
the test means by it (this cache is now empty) and no more.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache

_GLOB_SPECIALS = "\\*?[]"
_DELETE_BATCH = 500


def _glob_escape(text: str) -> str:
    return "".join(f"\\{char}" if char in _GLOB_SPECIALS else char for char in text)


def redis_cache_clear_own_keys(self: RedisCache) -> bool:
    """Delete every key of this cache (any version), leaving other users of the Redis database alone.

    Contract: after it returns, `get` of any key of this cache misses; keys outside `<KEY_PREFIX>:`
    are untouched. Redis errors propagate, as they do from `FLUSHDB`.
    """
    client = self._cache.get_client(None, write=True)
    batch: list[bytes] = []
    for key in client.scan_iter(match=f"{_glob_escape(self.key_prefix)}:*", count=_DELETE_BATCH):
        batch.append(key)
        if len(batch) == _DELETE_BATCH:
            client.delete(*batch)
            batch.clear()
    if batch:
        client.delete(*batch)
    return True
