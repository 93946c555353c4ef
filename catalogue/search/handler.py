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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Case, Exists, F, Min, OuterRef, Q, QuerySet, When
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
RESERVED = {"q", "category", "min_price", "max_price", "in_stock", "sort", "page", "page_size", "format"}


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
    def __init__(self, *, params, category=None, per_page: int = 20) -> None:
        self.params = params
        self.category = category
        self.per_page = per_page
        self.errors: dict[str, str] = {}

    def filtered_queryset(self, *, sort: str = "") -> QuerySet:
        params = self.params
        queryset = products_with_option_flags(Product.objects.browsable())  # cards read has_options
        if sort.startswith("price") or params.get("min_price") or params.get("max_price"):
            # Only when prices are asked for: the grouped join over stock records costs most of a page
            # on a big catalogue (bench/README.md). A parent's price is its lowest public variant's, as
            # its card shows it (catalogue/partner/strategy.py); hidden variants do not count.
            public_variant_price = Min("children__stockrecords__price", filter=Q(children__is_public=True))
            queryset = queryset.annotate(min_price=Coalesce(Min("stockrecords__price"), public_variant_price))
        category = self.category
        if category is None and params.get("category"):
            category = Category.objects.filter(slug=params["category"]).first()
            if category is None:
                self.errors["category"] = "No such category."
                return queryset.none()
        if category is not None:
            subtree = Category.get_tree(category).values("pk")
            queryset = queryset.filter(categories__in=subtree).distinct()

        min_price = _decimal(params.get("min_price"), "min_price", self.errors)
        max_price = _decimal(params.get("max_price"), "max_price", self.errors)
        if min_price is not None:
            queryset = queryset.filter(min_price__gte=min_price)
        if max_price is not None:
            queryset = queryset.filter(min_price__lte=max_price)

        if params.get("in_stock") in ("1", "true", "yes"):
            variant_in_stock = Product.objects.filter(parent=OuterRef("pk")).filter(_stock_exists("product"))
            queryset = queryset.filter(Q(_stock_exists("product")) | Q(Exists(variant_in_stock)))

        codes = set(ProductAttribute.objects.values_list("code", flat=True))
        for code, value in params.items():
            if code in RESERVED or code not in codes or value == "":
                continue
            matches = ProductAttributeValue.objects.filter(attribute__code=code).filter(
                Q(value_option__option__iexact=value) | Q(value_text__iexact=value)
            )
            own = matches.filter(product=OuterRef("pk"))
            variants = matches.filter(product__parent=OuterRef("pk"))
            queryset = queryset.filter(Q(Exists(own)) | Q(Exists(variants)))
        return queryset

    def search(self) -> SearchOutcome:
        query = (self.params.get("q") or "").strip()[:200]
        sort = self.params.get("sort") or ("relevance" if query else "newest")
        if sort not in SORTS and sort != "relevance":
            self.errors["sort"] = f"Sort by one of: relevance, {', '.join(SORTS)}."
            sort = "relevance" if query else "newest"
        queryset = self.filtered_queryset(sort=sort)
        if query:
            # The search backend ranks the words against the index; the ORM applies the filters
            # (annotations and subqueries the backend cannot translate) to the ranked ids.
            ranked_ids = product_ids_ranked(query=query, limit=MAX_SEARCH_MATCHES)
            queryset = queryset.filter(pk__in=ranked_ids)
            if sort == "relevance":
                rank = Case(
                    *[When(pk=pk, then=position) for position, pk in enumerate(ranked_ids)], default=len(ranked_ids)
                )
                results = queryset.order_by(rank, "id") if ranked_ids else queryset
            else:
                results = queryset.order_by(*SORTS[sort])
        else:
            results = queryset.order_by(*SORTS["newest" if sort == "relevance" else sort])
        paginator = Paginator(results, self.per_page)
        page = paginator.get_page(self.params.get("page"))
        outcome = SearchOutcome(page=page, paginator=paginator, query=query, sort=sort, errors=self.errors)
        if query and paginator.count == 0:
            outcome.suggested_categories = list(Category.objects.filter(depth=1, is_public=True).order_by("path"))
        return outcome
