"""Facet counts: how many products each filter value would show, next to the filters (ADR 54).

A value's count is the number of products the listing would show with that value chosen instead of
the one chosen now: every other filter applies (the search words too), the facet's own does not. So
with `colour=Red` chosen, "Blue (7)" means the 7 products choosing Blue would show.

Queries, whatever the page size: one for all attribute facets whose filter is not chosen, one more for
each chosen one, one for the in-stock count and, when asked, two for the categories (call
`ProductSearchHandler.search()` first: the counts reuse its ranked matches).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, Substr
from oscar.core.loading import get_model

from .handler import ProductSearchHandler

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

#: The attributes the storefront's filters offer and the API counts.
FACET_ATTRIBUTES = ("colour", "size")


@dataclass(frozen=True)
class FacetValue:
    value: str  # an attribute option as shown, or a category slug
    label: str  # what a shopper reads: the option, or the category's name
    count: int


@dataclass
class Facets:
    attributes: dict[str, list[FacetValue]] = field(default_factory=dict)  # by code; values by option
    in_stock: int = 0  # products with stock to sell (or a variant with some)
    categories: list[FacetValue] = field(default_factory=list)  # subcategories (top level without one)

    def counts(self, code: str) -> dict[str, int]:
        """{option: count} of attribute `code`, for a template's lookups."""
        return {item.value: item.count for item in self.attributes.get(code, [])}


def _family(handler: ProductSearchHandler, *, skip: str = ""):
    """Ids of the listing's products (without `skip`'s filter) and of their variants, as a subquery:
    counting starts from them (indexes on id and parent), never from every row of the catalogue."""
    products = handler.matching_queryset(skip=skip).order_by().values("pk")
    return Product.objects.filter(Q(pk__in=products) | Q(parent_id__in=products)).order_by().values("pk")


def _in_stock_count(handler: ProductSearchHandler) -> int:
    """Products of the listing (without its in-stock filter) with stock to sell themselves or through
    any variant (`in_stock_condition`'s rule), counted from the family's stock records."""
    records = StockRecord.objects.filter(
        product_id__in=_family(handler, skip="in_stock"), num_in_stock__gt=Coalesce("num_allocated", 0)
    )
    owners = records.annotate(owner=Coalesce(F("product__parent_id"), F("product_id")))
    return owners.aggregate(products=Count("owner", distinct=True))["products"]


def _attribute_counts(handler: ProductSearchHandler, codes: tuple[str, ...], *, skip: str = "") -> dict:
    """{code: {option: products}} over the listing without `skip`'s filter: a product counts for an
    option it carries itself or through any of its variants (the attribute filter's rule)."""
    family = _family(handler, skip=skip)
    rows = (
        ProductAttributeValue.objects.filter(
            attribute__code__in=codes, value_option__isnull=False, product_id__in=family
        )
        .annotate(owner=Coalesce(F("product__parent_id"), F("product_id")))
        .values("attribute__code", "value_option__option")
        .annotate(products=Count("owner", distinct=True))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {code: {} for code in codes}
    for row in rows:
        counts[row["attribute__code"]][row["value_option__option"]] = row["products"]
    return counts


def _category_counts(handler: ProductSearchHandler) -> list[FacetValue]:
    """Products of the listing (without its category filter) in each public subcategory's subtree of
    the listing's category, or of each top-level category."""
    parent = handler.resolved_category()
    children = Category.objects.filter(is_public=True).order_by("path")
    children = (
        children.filter(depth=1)
        if parent is None
        else children.filter(path__startswith=parent.path, depth=parent.depth + 1)
    )
    children = list(children)
    if not children:
        return []
    prefix_length = Category.steplen * children[0].depth
    products = handler.matching_queryset(skip="category").order_by().values("pk")
    placed = ProductCategory.objects.filter(product__in=products)
    if parent is not None:
        placed = placed.filter(category__path__startswith=parent.path, category__depth__gt=parent.depth)
    rows = (
        placed.annotate(branch=Substr("category__path", 1, prefix_length))
        .values("branch")
        .annotate(products=Count("product", distinct=True))
        .order_by()
    )
    by_branch = {row["branch"]: row["products"] for row in rows}
    return [FacetValue(value=child.slug, label=child.name, count=by_branch.get(child.path, 0)) for child in children]


def search_facets(
    *, handler: ProductSearchHandler, codes: tuple[str, ...] = FACET_ATTRIBUTES, categories: bool = False
) -> Facets:
    """The facet counts of `handler`'s listing (after its `search()`): attribute options by code (only
    options some product of the listing carries), the in-stock count, and the categories if asked."""
    selected = handler.selected_attributes()
    counts: dict[str, dict[str, int]] = {}
    free = tuple(code for code in codes if code not in selected)
    if free:
        counts.update(_attribute_counts(handler, free))
    for code in codes:
        if code in selected:
            counts.update(_attribute_counts(handler, (code,), skip=code))
    facets = Facets(
        attributes={
            code: [FacetValue(value=option, label=option, count=n) for option, n in sorted(counts[code].items())]
            for code in codes
        },
        in_stock=_in_stock_count(handler),
    )
    if categories:
        facets.categories = _category_counts(handler)
    return facets
