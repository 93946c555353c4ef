"""Versions in the cache (`ops.versioned_cache`): an entry under an old version is never read again, even
after the version key itself was lost (evicted by Redis under `maxmemory`, deleted by an operator)."""

from __future__ import annotations

from django.core.cache import cache

from ops import versioned_cache

KEY = "test:versioned-cache:version"


def test_a_lost_version_comes_back_greater_than_any_it_had():
    first = versioned_cache.version(KEY)
    for _ in range(3):
        versioned_cache.version_bump(KEY)
    assert versioned_cache.version(KEY) == first + 3

    cache.delete(KEY)

    assert versioned_cache.version(KEY) > first + 3


def test_a_bump_of_a_version_not_there_makes_one_greater_than_any_before():
    before = versioned_cache.version(KEY)
    cache.delete(KEY)

    versioned_cache.version_bump(KEY)

    assert versioned_cache.version(KEY) > before


def test_an_entry_is_built_once_per_version():
    built = []

    def build():
        built.append(1)
        return {"menu": len(built)}

    key = f"test:versioned-cache:{versioned_cache.version(KEY)}:menu"
    assert versioned_cache.cached(key, build, 60) == versioned_cache.cached(key, build, 60) == {"menu": 1}
    versioned_cache.version_bump(KEY)
    key = f"test:versioned-cache:{versioned_cache.version(KEY)}:menu"
    assert versioned_cache.cached(key, build, 60) == {"menu": 2}
