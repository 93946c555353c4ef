"""Search-box suggestions: products and CMS pages for a few typed letters, ranked by the search index
(`catalogue/search/ranking.py`, the engine of the product search handler). Used by the API and the
`/ws/search/` socket.

Every shopper typing "shi" asks the same question: answers are kept in the catalogue's cache
(catalogue/cache.py) for `SEARCH_SUGGEST_CACHE_SECONDS` under the search version, which a product's or
a page's change moves (a rename, a page published, unpublished or restricted shows at the next
keystroke) and stock moving with orders does not (catalogue/catalogue/receivers.py, ADR 23 addendum).
They are public data, the same for every shopper (ADR 0059)."""

from __future__ import annotations

from django.conf import settings
from oscar.core.loading import get_model
from wagtail.models import Page

from catalogue.cache import cached_search_part
from catalogue.search.ranking import page_ids_ranked, product_ids_ranked

Product = get_model("catalogue", "Product")

SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_LENGTH = 100
SUGGEST_LIMIT = 6


def _products(query: str, limit: int) -> list:
    # As-you-type first (the title's autocomplete field: "oxf" finds "Oxford"), whole words otherwise.
    ids = product_ids_ranked(query=query, limit=limit, autocomplete=True) or product_ids_ranked(
        query=query, limit=limit
    )
    by_id = Product.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _pages(query: str, limit: int) -> list:
    # As for products. The pages are read as Wagtail's base Page: a title and a URL need no specific page.
    ids = page_ids_ranked(query=query, limit=limit, autocomplete=True) or page_ids_ranked(query=query, limit=limit)
    by_id = Page.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def normalized_query(query: str | None) -> str:
    """The question a typed text asks: words separated by single spaces, at most SUGGEST_MAX_LENGTH."""
    return " ".join((query or "").split())[:SUGGEST_MAX_LENGTH]


def search_suggestions(*, query: str, limit: int = SUGGEST_LIMIT) -> dict:
    """{"q", "products": [{id, title, url}], "pages": [{id, title, url}]}; a query shorter than
    SUGGEST_MIN_LENGTH letters gives empty lists (no full scan per keystroke). From the cache when
    the same query was answered since the catalogue last changed (see the module docstring)."""
    query = normalized_query(query)
    if len(query) < SUGGEST_MIN_LENGTH:
        return {"q": query, "products": [], "pages": []}
    suggestions = cached_search_part(
        "suggest",
        (query, limit),
        lambda: _suggestions_built(query, limit),
        timeout=settings.SEARCH_SUGGEST_CACHE_SECONDS,
    )
    return {**suggestions, "q": query}


def _suggestions_built(query: str, limit: int) -> dict:
    suggestions = {"q": query, "products": [], "pages": []}
    suggestions["products"] = [
        {"id": product.pk, "title": product.get_title(), "url": product.get_absolute_url()}
        for product in _products(query, limit)
    ]
    suggestions["pages"] = [{"id": page.pk, "title": page.title, "url": page.url} for page in _pages(query, limit)]
    return suggestions


def search_backend_warm_up() -> None:
    """One suggestion search, neither read from nor written to the cache: loads the search backend and
    the content types, and compiles the queries, before a server worker takes traffic (config/warmup.py)."""
    _suggestions_built("warm", SUGGEST_LIMIT)
