"""Facet counts in the product list (`GET /api/v1/products/?facets=1`, ADR 54): what the list's
filters would show, next to its page. Asked for, because counting costs queries (catalogue/search/facets.py)."""

from __future__ import annotations

from apibase.pagination import PageNumberPagination
from catalogue.search.facets import search_facets
from catalogue.search.handler import ProductSearchHandler

FACETS_PARAM = "facets"
FACETS_ON = ("1", "true", "yes")

_VALUE = {
    "type": "object",
    "required": ["value", "label", "count"],
    "properties": {
        "value": {"type": "string", "description": "The filter's value: an attribute option, or a category slug."},
        "label": {"type": "string", "description": "What to show: the option, or the category's name."},
        "count": {"type": "integer", "description": "Products the list would show with this value chosen."},
    },
}
FACETS_SCHEMA = {
    "type": "object",
    "description": "Only with `facets=1`. Each count applies every other filter and the search words, "
    "but not the facet's own filter.",
    "required": ["attributes", "in_stock", "categories"],
    "properties": {
        "attributes": {
            "type": "object",
            "description": "By attribute code (colour, size): the options products of the list carry.",
            "additionalProperties": {"type": "array", "items": _VALUE},
        },
        "in_stock": {"type": "integer", "description": "Products with stock to sell (`in_stock=1`)."},
        "categories": {
            "type": "array",
            "description": "The subcategories of `category` (top-level categories without it), by slug.",
            "items": _VALUE,
        },
    },
}


class ProductListPagination(PageNumberPagination):
    """The product list's pages; their schema also tells of the optional `facets`."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["facets"] = FACETS_SCHEMA
        return paginated


def facets_wanted(params) -> bool:
    return params.get(FACETS_PARAM, "").lower() in FACETS_ON


def facets_payload(*, handler: ProductSearchHandler) -> dict:
    """The list's facets as JSON (`FACETS_SCHEMA`); call after `handler.search()`."""
    facets = search_facets(handler=handler, categories=True)

    def values(items) -> list[dict]:
        return [{"value": item.value, "label": item.label, "count": item.count} for item in items]

    return {
        "attributes": {code: values(items) for code, items in facets.attributes.items()},
        "in_stock": facets.in_stock,
        "categories": values(facets.categories),
    }
