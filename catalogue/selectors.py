"""Reads on the catalogue, shared by pages, CMS blocks and the API.

Prices and availability always come from Oscar's strategy (`oscar.apps.partner.strategy`), never from
a copy, so a page, a CMS block and the API show the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_class, get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")


@dataclass(frozen=True)
class ProductCard:
    product: object
    currency: str | None
    price_excl_tax: Decimal | None
    price_incl_tax: Decimal | None
    is_available: bool
    availability: str

    @property
    def price(self) -> dict:
        """Money as the API shows it: currency code, excl. and incl. tax (None when unknown)."""
        return {"currency": self.currency, "excl_tax": self.price_excl_tax, "incl_tax": self.price_incl_tax}


def listing_prefetches() -> list:
    """What a product card reads besides the product row: product type, images, stock, public variants
    with their stock (Oscar's strategy reads `_prefetched_public_children` instead of querying)."""
    stock = StockRecord.objects.select_related("partner")
    return [
        "product_class",
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        Prefetch("stockrecords", queryset=stock),
        Prefetch(
            "children",
            queryset=Product.objects.filter(is_public=True).prefetch_related(Prefetch("stockrecords", queryset=stock)),
            to_attr="_prefetched_public_children",
        ),
    ]


def product_queryset_for_listing() -> QuerySet:
    """Browsable products (standalone and parents) with what a card needs, in a fixed number of queries."""
    return Product.objects.browsable().prefetch_related(*listing_prefetches())


def product_card(*, product, strategy) -> ProductCard:
    info = strategy.fetch_for_parent(product) if product.is_parent else strategy.fetch_for_product(product)
    price = info.price
    return ProductCard(
        product=product,
        currency=price.currency if price.exists else None,
        price_excl_tax=price.excl_tax if price.exists else None,
        price_incl_tax=price.incl_tax if price.exists and price.is_tax_known else None,
        is_available=info.availability.is_available_to_buy,
        availability=str(info.availability.message),
    )


def product_cards_latest(*, request=None, limit: int = 8) -> list[ProductCard]:
    strategy = Selector().strategy(request=request, user=getattr(request, "user", None))
    products = product_queryset_for_listing().order_by("-date_created", "-id")[:limit]
    return [product_card(product=product, strategy=strategy) for product in products]


def category_queryset() -> QuerySet:
    return Category.objects.filter(is_public=True).order_by("path")
