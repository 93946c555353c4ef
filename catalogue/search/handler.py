"""The Oscar product search handler of Hypex: browse, filter, sort and search products through the
ORM and Wagtail's search backend (never Haystack: Oscar 4.2 shows 0 products through it, django-oscar#4366).

Query parameters (pages and the API share them):
  q            words that must all match (title, description, UPC, category and product type names);
               at most the 1,000 most relevant matches are filtered and paged
  category     a category slug (its subcategories included); pages pass the category instead
  min_price    lowest price (excl. tax) of the product or of any of its variants
  max_price
  in_stock     1 = only products (or variants) with stock to sell
  sort         relevance (default with q) | newest (default) | price-asc | price-desc | rating
  <attribute>  an attribute code with an option/text value, e.g. colour=Red&size=M (own or variants')
  facets       (the API's) 1 = also count the products each filter value would show (`facets.py`)

Relevance order never reaches SQL as one `CASE WHEN pk=...` per ranked id (compiling it cost half of a
search page): the ranked ids are paged in Python and only the page's rows are fetched (ADR 54).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from apibase.fields import decimal_parse
from catalogue.selectors import products_with_option_flags

from .ranking import product_ids_ranked

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")

SORTS = {
    "newest": ("-date_created", "-id"),
    "price-asc": (F("min_price").asc(nulls_last=True), "id"),
    "price-desc": (F("min_price").desc(nulls_last=True), "id"),
    "rating": (F("rating").desc(nulls_last=True), "-date_created"),
}
MAX_SEARCH_MATCHES = 1000  # the most relevant matches a query can page through
RESERVED = {"q", "category", "min_price", "max_price", "in_stock", "sort", "page", "page_size", "format", "facets"}
IN_STOCK_VALUES = ("1", "true", "yes")


@dataclass
class SearchOutcome:
    page: object
    paginator: Paginator
    query: str
    sort: str
    errors: dict[str, str] = field(default_factory=dict)
    suggested_categories: list = field(default_factory=list)


def _decimal(raw: str | None, name: str, errors: dict) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = decimal_parse(raw)
    except ValueError:
        errors[name] = "Enter a number."
        return None
    if value < 0:
        errors[name] = "Enter a number of 0 or more."
        return None
    return value


def _stock_exists(product_ref: str) -> Exists:
    return Exists(
        StockRecord.objects.filter(**{product_ref: OuterRef("pk")}, num_in_stock__gt=Coalesce("num_allocated", 0))
    )


def in_stock_condition() -> Q:
    """A product (or one of its variants) has stock to sell: the `in_stock=1` filter."""
    variant_in_stock = Product.objects.filter(parent=OuterRef("pk")).filter(_stock_exists("product"))
    return Q(_stock_exists("product")) | Q(Exists(variant_in_stock))


def ids_in(ids: list[int]):
    """The right-hand side of `pk__in` for up to MAX_SEARCH_MATCHES ids: on PostgreSQL one array
    parameter (`IN (SELECT unnest(%s))`), so a query naming the ranked ids compiles and sends one value
    instead of a thousand; elsewhere the list."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::integer[])", (list(ids),))
    return ids


def attribute_options_in_use(*, code: str, category=None) -> list[str]:
    """The option values of attribute `code` carried by browsable products, or their variants, in
    `category`'s subtree (all categories when None): the values a filter can find, in order."""
    public_own = Q(product__is_public=True, product__parent__isnull=True)
    public_variant = Q(product__parent__is_public=True)
    if category is not None:
        subtree = Category.get_tree(category).values("pk")
        public_own &= Q(product__categories__in=subtree)
        public_variant &= Q(product__parent__categories__in=subtree)
    values = ProductAttributeValue.objects.filter(attribute__code=code, value_option__isnull=False)
    own = values.filter(public_own).values_list("value_option__option", flat=True)
    variants = values.filter(public_variant).values_list("value_option__option", flat=True)
    return sorted(set(own.union(variants)))


class ProductSearchHandler:
    def __init__(self, *, params, category=None, per_page: int = 20, rows: bool = True) -> None:
        self.params = params
        self.category = category
        self.per_page = per_page
        self.rows = rows  # False: a relevance page holds its products' ids (a reader that reads its own rows)
        self.errors: dict[str, str] = {}
        self.query = (params.get("q") or "").strip()[:200]
        self.ranked_ids: list[int] | None = None  # the query's matches, most relevant first (after search())
        self._codes: set[str] | None = None
        self._category_resolved = category is not None

    def attribute_codes(self) -> set[str]:
        if self._codes is None:
            self._codes = set(ProductAttribute.objects.values_list("code", flat=True))
        return self._codes

    def selected_attributes(self) -> dict[str, str]:
        """The attribute filters asked for: {code: value}."""
        codes = self.attribute_codes()
        return {code: value for code, value in self.params.items()
                if code not in RESERVED and code in codes and value != ""}  # fmt: skip

    def resolved_category(self):
        """The page's category, else the `category` parameter's (None: all; an error when unknown)."""
        if not self._category_resolved:
            self._category_resolved = True
            slug = self.params.get("category")
            if slug:  # a NUL can be in no slug, and PostgreSQL refuses it in a parameter
                self.category = None if "\x00" in slug else Category.objects.filter(slug=slug).first()
                if self.category is None:
                    self.errors["category"] = "No such category."
        return self.category

    def filtered_queryset(self, *, sort: str = "", skip: str = "") -> QuerySet:
        """Browsable products passing every filter of the parameters but `skip` ("category", "in_stock"
        or an attribute code: a facet counts what choosing another value of its own filter would show).
        Without the search words: `search()` and the facets apply those."""
        params = self.params
        queryset = products_with_option_flags(Product.objects.browsable())  # cards read has_options
        if sort.startswith("price") or params.get("min_price") or params.get("max_price"):
            # Only when prices are asked for: the grouped join over stock records costs most of a page
            # on a big catalogue (bench/README.md). A parent's price is its lowest public variant's, as
            # its card shows it (catalogue/partner/strategy.py); hidden variants do not count.
            public_variant_price = Min("children__stockrecords__price", filter=Q(children__is_public=True))
            queryset = queryset.annotate(min_price=Coalesce(Min("stockrecords__price"), public_variant_price))
        category = self.resolved_category()
        if "category" in self.errors:
            return queryset.none()
        if category is not None and skip != "category":
            subtree = Category.get_tree(category).values("pk")
            queryset = queryset.filter(categories__in=subtree).distinct()

        min_price = _decimal(params.get("min_price"), "min_price", self.errors)
        max_price = _decimal(params.get("max_price"), "max_price", self.errors)
        if min_price is not None:
            queryset = queryset.filter(min_price__gte=min_price)
        if max_price is not None:
            queryset = queryset.filter(min_price__lte=max_price)

        if params.get("in_stock") in IN_STOCK_VALUES and skip != "in_stock":
            queryset = queryset.filter(in_stock_condition())

        for code, value in self.selected_attributes().items():
            if code == skip:
                continue
            if "\x00" in value:  # no value holds a NUL (nor can PostgreSQL take it as a parameter)
                return queryset.none()
            matches = ProductAttributeValue.objects.filter(attribute__code=code).filter(
                Q(value_option__option__iexact=value) | Q(value_text__iexact=value)
            )
            own = matches.filter(product=OuterRef("pk"))
            variants = matches.filter(product__parent=OuterRef("pk"))
            queryset = queryset.filter(Q(Exists(own)) | Q(Exists(variants)))
        return queryset

    def is_filtered(self, *, skip: str = "") -> bool:
        """Whether any filter besides the search words (and `skip`'s, as in `filtered_queryset`) narrows
        the products."""
        params = self.params
        return bool(
            (skip != "category" and (self.category is not None or params.get("category")))
            or params.get("min_price")
            or params.get("max_price")
            or (skip != "in_stock" and params.get("in_stock") in IN_STOCK_VALUES)
            or any(code != skip for code in self.selected_attributes())
        )

    def matching_queryset(self, *, skip: str = "") -> QuerySet:
        """`filtered_queryset(skip=...)` narrowed to the search words' matches (call after `search()`)."""
        queryset = self.filtered_queryset(skip=skip)
        return queryset.filter(pk__in=ids_in(self.ranked_ids)) if self.query else queryset

    def matching(self, *, skip: str = "") -> QuerySet | list[int]:
        """`matching_queryset(skip=...)`'s product ids: the ranked ids themselves when no other filter
        applies (they are all browsable), else a `values("pk")` queryset (for `InArray`, sql.py)."""
        if self.query and not self.errors and not self.is_filtered(skip=skip):
            return list(self.ranked_ids)
        return self.matching_queryset(skip=skip).order_by().values("pk")

    def _page_by_relevance(self, queryset: QuerySet) -> tuple[Paginator, Page]:
        """The ranked ids that pass the filters, paged in rank order; the page holds its products."""
        ids = self.ranked_ids
        if self.is_filtered():  # one query for the ids that pass (the ranked ids are all browsable)
            kept = set(queryset.filter(pk__in=ids_in(ids)).values_list("pk", flat=True))
            ids = [pk for pk in ids if pk in kept]
        paginator = Paginator(ids, self.per_page)
        page = paginator.get_page(self.params.get("page"))
        if not self.rows:  # the ids, in rank order (they passed the filters)
            page.object_list = list(page.object_list)
            return paginator, page
        rows = queryset.filter(pk__in=list(page.object_list)).in_bulk() if page.object_list else {}
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
        return paginator, page

    def search(self) -> SearchOutcome:
        query = self.query
        sort = self.params.get("sort") or ("relevance" if query else "newest")
        if sort not in SORTS and sort != "relevance":
            self.errors["sort"] = f"Sort by one of: relevance, {', '.join(SORTS)}."
            sort = "relevance" if query else "newest"
        queryset = self.filtered_queryset(sort=sort)
        if query:
            # The search index ranks the words (ranking.py); the ORM applies the filters (annotations
            # and subqueries the index cannot translate) to the ranked ids.
            self.ranked_ids = product_ids_ranked(query=query, limit=MAX_SEARCH_MATCHES)
            if sort == "relevance":
                paginator, page = self._page_by_relevance(queryset)
            else:
                results = queryset.filter(pk__in=ids_in(self.ranked_ids)).order_by(*SORTS[sort])
                paginator = Paginator(results, self.per_page)
                page = paginator.get_page(self.params.get("page"))
        else:
            results = queryset.order_by(*SORTS["newest" if sort == "relevance" else sort])
            paginator = Paginator(results, self.per_page)
            page = paginator.get_page(self.params.get("page"))
        outcome = SearchOutcome(page=page, paginator=paginator, query=query, sort=sort, errors=self.errors)
        if query and paginator.count == 0:
            outcome.suggested_categories = list(Category.objects.filter(depth=1, is_public=True).order_by("path"))
        return outcome
