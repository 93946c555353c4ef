"""Facet counts: how many products each filter value would show, next to the filters (ADR 54).

A value's count is the number of products the listing would show with that value chosen instead of
the one chosen now: every other filter applies (the search words too), the facet's own does not. So
with `colour=Red` chosen, "Blue (7)" means the 7 products choosing Blue would show.

Queries, whatever the page size and the filters chosen: one statement counts everything (each count a
grouped subquery, their rows in one `UNION ALL`), and one more reads the categories to count when they
are asked for (call `ProductSearchHandler.search()` first: the counts reuse its ranked matches). Every
count starts from the listing's ids and reaches variants, values and stock records through their
indexes (`InArray`, sql.py; ADR 54 addendum).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from oscar.core.loading import get_model

from .handler import ProductSearchHandler
from .sql import InArray, in_named_ids

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
AttributeOption = get_model("catalogue", "AttributeOption")
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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


class _Statement:
    """One SQL statement for every count (ADR 54, addendum): each listing (the handler's matches without
    one filter, `ProductSearchHandler.matching`) is a named subquery, written once however many counts
    start from it, with its family (its products and their variants, each with its owner: the listed
    product) beside it; each count is a grouped SELECT over them, and the counts come back together
    through `UNION ALL` as rows (count number, key, key, count)."""

    def __init__(self, handler: ProductSearchHandler) -> None:
        self.handler = handler
        self.ctes: list[str] = []
        self.cte_params: list = []
        self.selects: list[str] = []
        self.select_params: list = []
        self.listings: dict[tuple, str] = {}  # the name of each listing subquery, by its SQL and parameters
        self.families: dict[str, str] = {}  # the name of each family subquery, by its listing's
        self.few: set[str] = set()  # the listings (and their families) of a search's matches, at most 1,000

    def listing(self, skip: str) -> str | None:
        """The name of the ids of the listing without `skip`'s filter (None when it can match nothing)."""
        matching = self.handler.matching(skip=skip)
        queryset = Product.objects.filter(InArray("pk", matching)) if isinstance(matching, list) else matching
        try:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # an unknown category, a value no product can have
            return None
        key = (sql, tuple(map(repr, params)))  # the same listing (most skips change nothing): named once
        if key not in self.listings:
            self.listings[key] = f"listing{len(self.listings)}"
            self.ctes.append(f"{self.listings[key]}(id) AS ({sql})")
            self.cte_params.extend(params)
            if isinstance(matching, list):
                self.few.add(self.listings[key])
        return self.listings[key]

    def through_index(self, column: str, name: str) -> str:
        """The join condition that reads `column` through its index from the ids of `name` when they
        are a search's few matches (`in_named_ids`), else nothing: over the whole catalogue, hash joins
        over whole tables are faster (measured on 10,000 products, ADR 54 second addendum)."""
        return f" AND {in_named_ids(column, name)}" if name in self.few else ""

    def family(self, skip: str) -> str | None:
        """The name of (id, owner) of the listing's products (owner: itself) and of all their variants
        (owner: their parent) - the rule of the attribute and in-stock filters."""
        listing = self.listing(skip)
        if listing is None:
            return None
        if listing not in self.families:
            name = f"family_{listing}"
            product, parent = _table(Product), _column(Product, "parent")
            self.ctes.append(
                f"{name}(id, owner) AS (SELECT id, id FROM {listing} UNION ALL "  # noqa: S608 - names from model metadata, values are parameters
                f"SELECT v.{_column(Product, 'id')}, v.{parent} FROM {product} v "
                f"JOIN {listing} l ON v.{parent} = l.id{self.through_index(f'v.{parent}', listing)})"
            )
            self.families[listing] = name
            if listing in self.few:
                self.few.add(name)
        return self.families[listing]

    def count(self, sql: str, params: list) -> int:
        """Add a count (a SELECT of columns k1, k2 and n); its number in the rows."""
        number = len(self.selects)
        self.selects.append(f"SELECT {number} AS part, k1, k2, n FROM ({sql}) AS count{number}")  # noqa: S608 - ours
        self.select_params.extend(params)
        return number

    def rows(self) -> list[tuple]:
        if not self.selects:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH " + ", ".join(self.ctes) + " " + " UNION ALL ".join(self.selects),
                [*self.cte_params, *self.select_params],
            )
            return cursor.fetchall()


def _attribute_count(statement: _Statement, codes: tuple[str, ...], *, skip: str = "") -> int | None:
    """Count the products of each option of `codes` (rows code, option, products) over the listing
    without `skip`'s filter: a product counts for an option it carries itself or through any of its
    variants (the attribute filter's rule). The count's number in the statement's rows.

    The family's values are read through their product index, each (product, attribute, option) once
    as integers, counted, and only then named: sorting and counting texts of every value cost more
    than the rest of the statement (ADR 54, second addendum). A product has one class, so one attribute
    per code: the counts of attributes and options that read the same add up without counting a
    product twice."""
    family = statement.family(skip)
    if family is None:
        return None
    value, attribute, option = ProductAttributeValue, ProductAttribute, AttributeOption
    product, attribute_id, option_id = (_column(value, name) for name in ("product", "attribute", "value_option"))
    indexed = statement.through_index(f"v.{product}", family)
    return statement.count(
        f"SELECT a.{_column(attribute, 'code')} AS k1, o.{_column(option, 'option')} AS k2, "  # noqa: S608 - names from model metadata, values are parameters
        "CAST(SUM(d.n) AS INTEGER) AS n FROM ("
        "SELECT attribute_id, option_id, COUNT(*) AS n FROM ("
        f"SELECT DISTINCT f.owner, v.{attribute_id} AS attribute_id, v.{option_id} AS option_id "
        f"FROM {family} f JOIN {_table(value)} v ON v.{product} = f.id{indexed} "
        f"WHERE v.{attribute_id} IN (SELECT {_column(attribute, 'id')} FROM {_table(attribute)} "
        f"WHERE {_column(attribute, 'code')} IN ({', '.join(['%s'] * len(codes))})) "
        f"AND v.{option_id} IS NOT NULL) owners GROUP BY 1, 2) d "
        f"JOIN {_table(attribute)} a ON a.{_column(attribute, 'id')} = d.attribute_id "
        f"JOIN {_table(option)} o ON o.{_column(option, 'id')} = d.option_id GROUP BY 1, 2",
        list(codes),
    )  # fmt: skip


def _in_stock_count(statement: _Statement) -> int | None:
    """Products of the listing (without its in-stock filter) with stock to sell themselves or through
    any variant (`in_stock_condition`'s rule), counted from the family's stock records."""
    family = statement.family("in_stock")
    if family is None:
        return None
    record = StockRecord
    return statement.count(
        f"SELECT NULL AS k1, NULL AS k2, COUNT(DISTINCT f.owner) AS n FROM {family} f "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {_table(record)} s ON s.{_column(record, 'product')} = f.id"
        f"{statement.through_index('s.' + _column(record, 'product'), family)} "
        f"WHERE s.{_column(record, 'num_in_stock')} > COALESCE(s.{_column(record, 'num_allocated')}, 0)",
        [],
    )  # fmt: skip


def _category_children(handler: ProductSearchHandler) -> list:
    """The public subcategories of the listing's category, or the top-level categories, in tree order."""
    parent = handler.resolved_category()
    children = Category.objects.filter(is_public=True).order_by("path")
    if parent is None:
        return list(children.filter(depth=1))
    return list(children.filter(path__startswith=parent.path, depth=parent.depth + 1))


def _category_count(statement: _Statement) -> int | None:
    """Products of the listing (without its category filter) in each public subcategory's subtree of
    the listing's category, or of each top-level category, by that child's path."""
    listing = statement.listing("category")
    if listing is None:
        return None
    parent = statement.handler.resolved_category()
    placed, category = ProductCategory, Category
    path, depth = f"c.{_column(category, 'path')}", f"c.{_column(category, 'depth')}"
    prefix = Category.steplen * (1 if parent is None else parent.depth + 1)
    under, params = "", [prefix]
    if parent is not None:
        under = f"WHERE SUBSTR({path}, 1, %s) = %s AND {depth} > %s "
        params += [len(parent.path), parent.path, parent.depth]
    return statement.count(
        f"SELECT SUBSTR({path}, 1, %s) AS k1, NULL AS k2, COUNT(DISTINCT pc.{_column(placed, 'product')}) AS n "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {listing} l JOIN {_table(placed)} pc ON pc.{_column(placed, 'product')} = l.id"
        f"{statement.through_index('pc.' + _column(placed, 'product'), listing)} "
        f"JOIN {_table(category)} c ON c.{_column(category, 'id')} = pc.{_column(placed, 'category')} "
        f"{under}GROUP BY 1",
        params,
    )  # fmt: skip


def search_facets(
    *, handler: ProductSearchHandler, codes: tuple[str, ...] = FACET_ATTRIBUTES, categories: bool = False
) -> Facets:
    """The facet counts of `handler`'s listing (after its `search()`): attribute options by code (only
    options some product of the listing carries), the in-stock count, and the categories if asked."""
    selected = handler.selected_attributes()
    statement = _Statement(handler)
    free = tuple(code for code in codes if code not in selected)
    attribute_counts = [_attribute_count(statement, free)] if free else []
    attribute_counts += [_attribute_count(statement, (code,), skip=code) for code in codes if code in selected]
    in_stock = _in_stock_count(statement)
    children = _category_children(handler) if categories else []
    category = _category_count(statement) if children else None

    counts: dict[str, dict[str, int]] = {code: {} for code in codes}
    facets = Facets()
    by_branch: dict[str, int] = {}
    for part, first, second, count in statement.rows():
        if part in attribute_counts:
            counts[first][second] = count
        elif part == in_stock:
            facets.in_stock = count
        elif part == category:
            by_branch[first] = count
    facets.attributes = {
        code: [FacetValue(value=option, label=option, count=n) for option, n in sorted(counts[code].items())]
        for code in codes
    }
    facets.categories = [
        FacetValue(value=child.slug, label=child.name, count=by_branch.get(child.path, 0)) for child in children
    ]
    return facets
