"""Search-box suggestions: products and CMS pages for a few typed letters, through Wagtail's search
backend (the engine of the product search handler). Used by the API and the `/ws/search/` socket."""

from __future__ import annotations

from oscar.core.loading import get_model
from wagtail.models import Page

from catalogue.search.ranking import product_ids_ranked, search_terms

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
    terms = search_terms(query)
    if not terms:
        return []
    pages = Page.objects.live().public().exclude(depth=1).specific()
    results = list(pages.autocomplete(terms)[:limit])
    if not results:
        results = list(pages.search(terms, operator="and")[:limit])
    return results


def search_suggestions(*, query: str, limit: int = SUGGEST_LIMIT) -> dict:
    """{"q", "products": [{id, title, url}], "pages": [{id, title, url}]}; a query shorter than
    SUGGEST_MIN_LENGTH letters gives empty lists (no full scan per keystroke)."""
    query = " ".join((query or "").split())[:SUGGEST_MAX_LENGTH]
    suggestions = {"q": query, "products": [], "pages": []}
    if len(query) < SUGGEST_MIN_LENGTH:
        return suggestions
    suggestions["products"] = [
        {"id": product.pk, "title": product.get_title(), "url": product.get_absolute_url()}
        for product in _products(query, limit)
    ]
    suggestions["pages"] = [{"id": page.pk, "title": page.title, "url": page.url} for page in _pages(query, limit)]
    return suggestions
