"""The products API list read as rows: the page's products and their stock records in two `.values()`
queries, priced in bulk through the strategy's own policies (issue 17, ADR 57).

`product_cards` (catalogue/selectors.py) builds model instances, prefetches images, product types,
partners and variants, and asks the strategy `fetch_for_product`/`fetch_for_parent` per product: right
for pages and CMS blocks, which show images, but six times the work of the same 50 products read with
`.values()` (bench/README.md). The list API shows none of the images, so it reads:

1. the page's product rows (id, title, slug, structure, whether their product type tracks stock);
2. the stock records of those products and of their public variants, first record of each product by id
   (Oscar's `UseFirstStockRecord` takes a product's first record);

and hands them to the same strategy (`product_strategy`, the shopper's tax country) through its policies:
`pricing_policy`/`availability_policy` for a standalone product, `parent_pricing_policy`/
`parent_availability_policy` with the public variants' records for a parent. Prices, tax, availability
and their messages are the strategy's, as on every other reader; only the selection of the records is
done here, in bulk. `tests/catalogue/test_listing_rows.py` checks that the rows equal the read model's
cards for the same products.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from oscar.core.loading import get_model

from apibase.money import Money
from catalogue.search.sql import InArray
from catalogue.selectors import product_strategy

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

_SLUG_MARK, _PK_MARK = "slug-mark-0x2a", 987654321
_REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what `reverse` leaves unquoted (django.urls.resolvers)


@dataclass(frozen=True, slots=True)
class CardRow:
    """What the products API list shows of a product: a `ProductCard` without its image."""

    id: int
    title: str
    slug: str
    structure: str  # standalone or parent
    url: str  # path on this site
    price: Money
    is_available: bool
    availability: str


class _ProductType:
    __slots__ = ("track_stock",)

    def __init__(self, track_stock: bool) -> None:
        self.track_stock = track_stock


class _Product:
    """What the strategy's policies read of a product or variant: its product type (a variant's is its
    parent's, as `Product.get_product_class` answers)."""

    __slots__ = ("_product_type",)

    def __init__(self, product_type: _ProductType) -> None:
        self._product_type = product_type

    def get_product_class(self) -> _ProductType:
        return self._product_type


class _Record:
    """What the strategy's policies read of a stock record (`AbstractStockRecord.net_stock_level`'s rule)."""

    __slots__ = ("price", "price_currency", "net_stock_level")

    def __init__(self, row: dict) -> None:
        self.price = row["price"]
        self.price_currency = row["price_currency"]
        in_stock, allocated = row["num_in_stock"], row["num_allocated"]
        self.net_stock_level = 0 if in_stock is None else in_stock - (allocated or 0)


def _first_records(ids: list[int]) -> tuple[dict[int, _Record], dict[int, list[_Record]]]:
    """The first stock record (by id) of each product in `ids`, and of each public variant of them, by parent."""
    # The products and public variants first, then their records through the product index (InArray:
    # an OR over the join read every stock record and product, ADR 54 addendum).
    family = Product.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids, is_public=True)).order_by().values("pk")
    rows = (
        StockRecord.objects.filter(InArray("product_id", family))
        .order_by("product_id", "id")
        .values("product_id", "product__parent_id", "price", "price_currency", "num_in_stock", "num_allocated")
    )
    own: dict[int, _Record] = {}
    variants: dict[int, list[_Record]] = {}
    seen: set[int] = set()
    for row in rows:
        product_id = row["product_id"]
        if product_id in seen:
            continue
        seen.add(product_id)
        parent_id = row["product__parent_id"]
        if parent_id is None:
            own[product_id] = _Record(row)
        else:
            variants.setdefault(parent_id, []).append(_Record(row))
    return own, variants


def _path_maker():
    """`Product.get_absolute_url` for many products at the cost of one `reverse`."""
    pattern = reverse("catalogue:detail", kwargs={"product_slug": _SLUG_MARK, "pk": _PK_MARK})
    head, tail = pattern.split(_SLUG_MARK, 1)
    middle, end = tail.split(str(_PK_MARK), 1)

    def path(slug: str, pk: int) -> str:  # `reverse` percent-encodes a non-ASCII slug, with its safe characters
        return f"{head}{slug if slug.isascii() else quote(slug, safe=_REVERSE_SAFE)}{middle}{pk}{end}"

    return path


def _message(availability, messages: dict[tuple, str]) -> str:
    """`str(availability.message)`, memoised by policy class and stock level (what Oscar's messages read):
    gettext through the language's fallback catalogues is a tenth of a page's work otherwise."""
    key = (type(availability), getattr(availability, "num_available", None))
    if key not in messages:
        messages[key] = str(availability.message)
    return messages[key]


def _product_rows(products, fields: tuple[str, ...]) -> list[dict]:
    if isinstance(products, QuerySet):
        return list(products.values(*fields))
    # A relevance page (the search handler orders it in Python): its products, or only their ids
    ids = [getattr(product, "pk", product) for product in products]
    by_id = {row["id"]: row for row in Product.objects.filter(pk__in=ids).values(*fields)}
    return [by_id[pk] for pk in ids if pk in by_id]


def card_rows(*, products: QuerySet | list, request=None) -> list[CardRow]:
    """Rows for `products` (a queryset of standalone and parent products, sliced and ordered as the page
    shows them, or such a page's products, or their ids, in a list), in their order: two queries
    whatever their number and their variants' (three for a list)."""
    fields = ("id", "title", "slug", "structure", "product_class__track_stock")
    rows = _product_rows(products, fields)
    own, variants = _first_records([row["id"] for row in rows])
    strategy = product_strategy(request=request)
    path = _path_maker()
    messages: dict[tuple, str] = {}  # a policy's message, translated once per kind and stock level
    cards = []
    for row in rows:
        pk = row["id"]
        product = _Product(_ProductType(row["product_class__track_stock"] is not False))
        if row["structure"] == "parent":
            children_stock = [(product, record) for record in variants.get(pk, ())]
            price = strategy.parent_pricing_policy(product, children_stock)
            availability = strategy.parent_availability_policy(product, children_stock)
        else:
            record = own.get(pk)
            price = strategy.pricing_policy(product, record)
            availability = strategy.availability_policy(product, record)
        cards.append(
            CardRow(
                id=pk,
                title=row["title"],
                slug=row["slug"],
                structure=row["structure"],
                url=path(row["slug"], pk),
                price=Money.from_price(price),
                is_available=availability.is_available_to_buy,
                availability=_message(availability, messages),
            )  # fmt: skip
        )
    return cards
