"""The catalogue's cache for anonymous shoppers: one version number in the cache, part of every key.

Anything that changes what a product shows (the product, its stock record and price, its images,
categories, reviews' rating, the tax rate) bumps the version, so the next request misses and
recomputes: a price edit shows on the next request, never a stale one. Model saves and deletes bump
through the receivers in `catalogue/catalogue/receivers.py`; writes that send no signal (bulk
`QuerySet.update()`, `bulk_create`/`bulk_update`, raw SQL) call `catalogue_cache_invalidate()` in the
service that makes them (ADR 0023 lists every write path). Old entries are never read again and expire
by their timeout. Signed-in shoppers are not served from `cached_for_anonymous` (pages carry their
baskets); the products API, whose answers differ between shoppers only by their tax country, caches
per tax country for everyone (`cached_per_tax_country`, ADR 57).

The versions and the read-or-build are `ops.versioned_cache`'s (shared with the content cache): a version
key that is evicted comes back greater than before, so no old entry is read again. The cache is Django's
default: local memory by default (per process), Redis in production (shared).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from ops import versioned_cache

VERSION_KEY = "catalogue:version"
#: A second version for what shows categories only (the header's category menu): bumped by category
#: saves and deletes and by every bulk invalidation, not by product, stock or price changes.
CATEGORIES_VERSION_KEY = "catalogue:categories-version"
#: A third for the search box's suggestions (product and page titles, links, which are listed): bumped by
#: product and page changes and by every bulk invalidation, not by stock, price, image or category
#: changes, so the suggestions stay cached while orders move stock (ADR 23 addendum).
SEARCH_VERSION_KEY = "catalogue:search-version"
TIMEOUT_SECONDS = 600


def catalogue_version() -> int:
    return versioned_cache.version(VERSION_KEY)


def catalogue_version_bump() -> None:
    """Make every cached catalogue response and fragment stale at once."""
    versioned_cache.version_bump(VERSION_KEY)


def categories_version() -> int:
    return versioned_cache.version(CATEGORIES_VERSION_KEY)


def categories_version_bump() -> None:
    """Make what shows categories only (the category menu) stale; `catalogue_version_bump` does not."""
    versioned_cache.version_bump(CATEGORIES_VERSION_KEY)


def search_version() -> int:
    return versioned_cache.version(SEARCH_VERSION_KEY)


def search_version_bump() -> None:
    """Make the cached search suggestions stale; `catalogue_version_bump` does not."""
    versioned_cache.version_bump(SEARCH_VERSION_KEY)


def catalogue_versions_bump(*, categories: bool = True, search: bool = True) -> None:
    """Make what is cached of the catalogue stale, and the category menu and the search suggestions unless
    told they did not change (all three after a Redis outage, or a bulk write that does not say what it
    changed)."""
    catalogue_version_bump()
    if categories:
        categories_version_bump()
    if search:
        search_version_bump()


def catalogue_cache_invalidate(*, categories: bool = True, search: bool = True) -> None:
    """Make the catalogue cache stale when the current transaction commits (at once outside one).

    Call inside the transaction of a write that sends no model signal. After commit, because a request
    that read the old rows while the transaction was open must not leave them cached under the new
    version; a write that rolls back (an import's dry run) invalidates nothing. It never fails the
    write: the cache answers as an empty one while Redis is away (ADR 0025), and the callback is
    robust, so any other error is logged after the commit instead of raised to the caller.
    `categories=False` (the model receivers, for a change that is not a category's) leaves the category
    menu cached, `search=False` (a change to no product's or page's own row: stock moving with an order)
    the search suggestions; a bulk write does not say what it changed, so by default all versions move.
    """
    transaction.on_commit(partial(catalogue_versions_bump, categories=categories, search=search), robust=True)


def _digest(parts: tuple) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def catalogue_cache_key(name: str, *parts: Any, version: int | None = None) -> str:
    return f"catalogue:v{version or catalogue_version()}:{name}:{_digest(parts)}"


def request_catalogue_version(request) -> int:
    """The catalogue version, read once per request: a page's cached parts all use the same one (and a
    page of twenty cards reads it once, not twenty times)."""
    version = getattr(request, "_catalogue_version", None)
    if version is None:
        version = request._catalogue_version = catalogue_version()
    return version


def cached_for_anonymous(request, name: str, parts: tuple, build: Callable[[], Any]) -> Any:
    """`build()`'s result, from the cache for anonymous requests (keyed by name, parts and version)."""
    if request.user.is_authenticated:
        return build()
    key = catalogue_cache_key(name, *parts, version=request_catalogue_version(request))
    return versioned_cache.cached(key, build, TIMEOUT_SECONDS)


def cached_category_part(name: str, build: Callable[[], Any]) -> Any:
    """`build()`'s result, from the cache for every shopper, keyed by name and the categories version:
    for parts made of categories only (the header's category menu), which a product, stock or price
    change leaves as they are."""
    key = f"catalogue:categories:v{categories_version()}:{name}"
    return versioned_cache.cached(key, build, TIMEOUT_SECONDS)


def cached_search_part(name: str, parts: tuple, build: Callable[[], Any], *, timeout: int) -> Any:
    """`build()`'s result, from the cache for every shopper for `timeout` seconds, keyed by name, parts and
    the search version: for search suggestions, which show products' and pages' titles and links only."""
    return versioned_cache.cached(f"catalogue:search:v{search_version()}:{name}:{_digest(parts)}", build, timeout)


def cached_per_tax_country(name: str, parts: tuple, build: Callable[[], Any], *, tax_country: str) -> Any:
    """`build()`'s result, from the cache for every shopper, anonymous or signed in, keyed by name, parts,
    `tax_country` (the strategy's: prices include its tax) and the active language (availability
    messages are translated). Only for answers that depend on nothing else of the shopper (ADR 57)."""
    key = catalogue_cache_key(name, tax_country, translation.get_language(), *parts)
    return versioned_cache.cached(key, build, TIMEOUT_SECONDS)


def cached_many_for_anonymous(request, name: str, ids: list, build: Callable[[list], dict]) -> dict:
    """{id: value} for `ids`: for anonymous requests from the cache in one read (`get_many`, keyed by
    name, id and version), `build(missing ids)` -> {id: value} for the rest, stored in one write."""
    if request.user.is_authenticated:
        return build(ids)
    version = request_catalogue_version(request)
    keys = {f"catalogue:v{version}:{name}:{pk}": pk for pk in ids}
    values = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = [pk for pk in ids if pk not in values]
    if missing:
        built = build(missing)
        cache.set_many({key: built[pk] for key, pk in keys.items() if pk in built}, timeout=TIMEOUT_SECONDS)
        values.update(built)
    return values
