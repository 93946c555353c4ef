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

Product cards (`cached_cards_for_anonymous`) have their own version and a stock stamp per product: an
order's allocation (`catalogue_stock_invalidate`) moves the catalogue version (lists, pages and API
answers show the new stock) and only its products' stamps, so the other cards of every page stay cached.

The versions and the read-or-build are `ops.versioned_cache`'s (shared with the content cache): a version
key that is evicted comes back greater than before, so no old entry is read again. The cache is Django's
default: local memory by default (per process), Redis in production (shared).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
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
#: A fourth for product cards (`cached_cards_for_anonymous`): every change moves it, except stock moving
#: with orders. That moves the stock stamp of each product it touched instead (`catalogue:stock:<id>`:
#: the variant's and its parent's, whose card shows its variants' stock); a card carries the stamp it
#: was built under and is served only while it is current. So an order makes its own products' cards
#: stale, not every card of every page (ADR 23 addendum of 2026-12-07, later).
CARDS_VERSION_KEY = "catalogue:cards-version"
TIMEOUT_SECONDS = 600


def catalogue_version() -> int:
    return versioned_cache.version(VERSION_KEY)


def catalogue_version_bump() -> None:
    """Make every cached catalogue response and fragment stale at once, product cards included."""
    versioned_cache.version_bump(VERSION_KEY)
    versioned_cache.version_bump(CARDS_VERSION_KEY)


def cards_version() -> int:
    return versioned_cache.version(CARDS_VERSION_KEY)


def _stock_stamp_key(product_id: int) -> str:
    return f"catalogue:stock:{product_id}"


def catalogue_stock_bump(*, product_ids: Collection[int]) -> None:
    """Stock moved on `product_ids` and on nothing else (an order's allocation): what lists, pages and API
    answers show moves (the catalogue version), and those products' cards (their stock stamps, in one
    write); every other card, the category menu and the search suggestions stay cached."""
    versioned_cache.version_bump(VERSION_KEY)
    if product_ids:
        _stock_stamps_renew(product_ids)


def _stock_stamps_renew(product_ids: Collection[int]) -> int:
    """Give `product_ids` one new stock stamp, in one write, and return it: a value from the clock,
    greater than any stamp given before (`ops.versioned_cache.fresh_version`)."""
    stamp = versioned_cache.fresh_version()
    cache.set_many({_stock_stamp_key(pk): stamp for pk in product_ids}, timeout=None)
    return stamp


def catalogue_stock_invalidate(*, product_ids: Collection[int]) -> None:
    """`catalogue_stock_bump` when the current transaction commits (at once outside one), as
    `catalogue_cache_invalidate` does for other writes, and as robustly."""
    transaction.on_commit(partial(catalogue_stock_bump, product_ids=sorted(set(product_ids))), robust=True)


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


def _read_once_per_request(request, attribute: str, read: Callable[[], int]) -> int:
    """`read()`'s version, kept on the request: a page's cached parts all use the same one (and a page of
    twenty cards reads it once, not twenty times)."""
    version = getattr(request, attribute, None)
    if version is None:
        version = read()
        setattr(request, attribute, version)
    return version


def request_catalogue_version(request) -> int:
    """The catalogue version, read once per request."""
    return _read_once_per_request(request, "_catalogue_version", catalogue_version)


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


def request_cards_version(request) -> int:
    """The cards version, read once per request."""
    return _read_once_per_request(request, "_cards_version", cards_version)


def cached_cards_for_anonymous(request, name: str, ids: list, build: Callable[[list], dict]) -> dict:
    """{product id: value} for `ids`, one value per product (its card): for anonymous requests from the
    cache in one read (`get_many` of the entries, keyed by name, product and the cards version, and of
    the products' stock stamps), `build(missing ids)` -> {id: value} for the rest, stored in one write.

    An entry holds the stamp of its product's stock it was built under and is served only while that
    stamp is current. A product without a stamp (never moved, or evicted) is given a fresh one before
    its card is built, greater than any it had: an entry stored under an old stamp is never read again.
    Stamps are written before the rows are read, and moved after a write commits, so a card built from
    rows older than its stamp cannot exist."""
    if request.user.is_authenticated:
        return build(ids)
    version = request_cards_version(request)
    entry_keys = {pk: f"catalogue:cards:v{version}:{name}:{pk}" for pk in ids}
    stamp_keys = {pk: _stock_stamp_key(pk) for pk in ids}
    found = cache.get_many([*entry_keys.values(), *stamp_keys.values()])
    stamps = {pk: found.get(stamp_keys[pk]) for pk in ids}
    unstamped = [pk for pk in ids if stamps[pk] is None]
    if unstamped:
        stamps.update(dict.fromkeys(unstamped, _stock_stamps_renew(unstamped)))
    values, missing = {}, []
    for pk in ids:
        entry = found.get(entry_keys[pk])
        if entry is not None and entry[0] == stamps[pk]:
            values[pk] = entry[1]
        else:
            missing.append(pk)
    if missing:
        built = build(missing)
        cache.set_many(
            {entry_keys[pk]: (stamps[pk], built[pk]) for pk in missing if pk in built}, timeout=TIMEOUT_SECONDS
        )
        values.update(built)
    return values
