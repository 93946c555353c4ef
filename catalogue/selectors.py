"""Reads on the catalogue, and the product read model shared by pages, CMS blocks and the API.

A product is shaped once, here, for every reader:

- `ProductCard`: what a list shows (the products API, CMS product blocks, recommendations, recently
  viewed): id, title, slug, structure, path, primary image, price and availability.
  `product_cards(products=..., request=...)`.
- `ProductDetail`: a card plus what one product's page or API detail shows: images, attributes,
  categories, rating, stock and its public variants (`VariantRead`). `product_detail(product=...,
  request=...)` on a product fetched with `product_detail_queryset()`.

Prices and availability always come from Oscar's strategy (`partner.strategy`), never from a copy, as
`apibase.money.Money`; a parent's price is its lowest variant price (the strategy's rule). Both shapes
are built from prefetched rows: cards in a fixed number of queries whatever the number of products, a
detail whatever the number of variants (budgets: tests/catalogue/test_product_read.py). How a reader
formats them (page HTML, JSON-LD, API JSON) is the reader's; the money format is `apibase.money`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from oscar.core.loading import get_class, get_model
from oscar.core.thumbnails import get_thumbnailer

from apibase.money import Money

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")


@dataclass(frozen=True)
class ImageRead:
    original: Any  # the image file; for a product without images, the name of Oscar's placeholder
    caption: str  # as entered (may be empty)
    is_missing: bool = False

    @property
    def url(self) -> str:
        return self.original.url

    def thumbnail_url(self, size: str) -> str:
        """The URL of a rendition at most `size` ("300x300"), never upscaled."""
        return get_thumbnailer().generate_thumbnail(self.original, size=size, upscale=False).url


@dataclass(frozen=True)
class AttributeRead:
    code: str
    name: str
    value: str  # as text
    option_id: int | None  # an option attribute's option (its place in the option group), else None


@dataclass(frozen=True)
class CategoryRead:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class ProductCard:
    id: int
    title: str
    slug: str
    structure: str  # standalone or parent
    url: str  # path on this site
    primary_image: ImageRead  # the first image, else Oscar's placeholder (`is_missing`)
    price: Money
    is_available: bool
    availability: str  # the strategy's message, e.g. "In stock (4 available)"


@dataclass(frozen=True)
class VariantRead:
    id: int
    title: str
    upc: str | None
    attributes: tuple[AttributeRead, ...]
    price: Money
    is_available: bool
    availability: str
    low_stock_units: int | None  # units left when below the stock record's threshold, else None


@dataclass(frozen=True)
class ProductDetail(ProductCard):
    upc: str | None
    product_class: str | None
    description: str  # HTML, as entered
    images: tuple[ImageRead, ...]
    attributes: tuple[AttributeRead, ...]  # by code
    categories: tuple[CategoryRead, ...]
    rating: float | None
    reviews_count: int
    low_stock_units: int | None  # a standalone product's, as `VariantRead.low_stock_units`; None for a parent
    variants: tuple[VariantRead, ...]  # public variants by title


def product_strategy(*, request=None):
    """Oscar's strategy for this request's shopper (their tax country), made once per request and user:
    a page's product, its also-bought and recently viewed cards look the tax rate up once. (Not Oscar's
    `request.strategy`: its user is the session's, and an API request may sign in with a token.)"""
    if request is None:
        return Selector().strategy()
    user = getattr(request, "user", None)
    made = getattr(request, "_product_strategy", None)
    if made is not None and made[0] is user:
        return made[1]
    strategy = Selector().strategy(request=request, user=user)
    request._product_strategy = (user, strategy)
    return strategy


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


def _values_prefetch(lookup: str) -> Prefetch:
    return Prefetch(
        lookup,
        queryset=ProductAttributeValue.objects.select_related("attribute", "value_option").order_by("attribute__code"),
        to_attr="prefetched_values",
    )


def product_detail_queryset() -> QuerySet:
    """Browsable products with everything `product_detail` reads, whatever the number of variants."""
    stock = StockRecord.objects.select_related("partner")
    children = (
        Product.objects.filter(is_public=True)
        .order_by("title", "id")
        .prefetch_related(Prefetch("stockrecords", queryset=stock), _values_prefetch("attribute_values"))
    )
    return (
        Product.objects.browsable()
        .select_related("product_class")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "id")),
            Prefetch("stockrecords", queryset=stock),
            # Oscar's strategy reads `_prefetched_public_children` instead of querying per parent.
            Prefetch("children", queryset=children, to_attr="_prefetched_public_children"),
            _values_prefetch("attribute_values"),
            "categories",
        )
    )


def _offer(product, strategy) -> dict:
    """Price, availability and low stock of a product, a parent or a variant, from the strategy."""
    info = strategy.fetch_for_parent(product) if product.is_parent else strategy.fetch_for_product(product)
    record = info.stockrecord
    low = record is not None and record.net_stock_level is not None and record.is_below_threshold
    return {
        "price": Money.from_price(info.price),
        "is_available": info.availability.is_available_to_buy,
        "availability": str(info.availability.message),
        "low_stock_units": record.net_stock_level if low else None,
    }


def _images(product) -> tuple[ImageRead, ...]:
    return tuple(ImageRead(original=image.original, caption=image.caption or "") for image in product.images.all())


def _primary_image(images: tuple[ImageRead, ...], product) -> ImageRead:
    return images[0] if images else ImageRead(original=product.get_missing_image().name, caption="", is_missing=True)


def _card_fields(product, images: tuple[ImageRead, ...], offer: dict) -> dict:
    return {
        "id": product.pk,
        "title": product.get_title(),
        "slug": product.slug,
        "structure": product.structure,
        "url": product.get_absolute_url(),
        "primary_image": _primary_image(images, product),
        "price": offer["price"],
        "is_available": offer["is_available"],
        "availability": offer["availability"],
    }


def _card(product, strategy) -> ProductCard:
    return ProductCard(**_card_fields(product, _images(product), _offer(product, strategy)))


def product_cards(*, products: Iterable, request=None) -> list[ProductCard]:
    """Cards for `products` (standalone or parents), in their order. What cards read is prefetched here
    unless it already was, so any number of products costs the same queries."""
    products = list(products)
    prefetch_related_objects(products, *listing_prefetches())
    strategy = product_strategy(request=request)
    return [_card(product, strategy) for product in products]


def product_cards_latest(*, request=None, limit: int = 8) -> list[ProductCard]:
    products = product_queryset_for_listing().order_by("-date_created", "-id")[:limit]
    return product_cards(products=products, request=request)


def _attributes(product) -> tuple[AttributeRead, ...]:
    return tuple(
        AttributeRead(code=value.attribute.code, name=value.attribute.name, value=value.value_as_text,
                      option_id=value.value_option_id)
        for value in getattr(product, "prefetched_values", [])
    )  # fmt: skip


def _variant(child, strategy) -> VariantRead:
    offer = _offer(child, strategy)
    return VariantRead(id=child.pk, title=child.get_title(), upc=child.upc, attributes=_attributes(child), **offer)


def product_detail(*, product, request=None) -> ProductDetail:
    """`product` (standalone or parent, fetched with `product_detail_queryset()`) as one product's page
    and API detail read it; no query beyond the strategy's tax rate."""
    strategy = product_strategy(request=request)
    images = _images(product)
    offer = _offer(product, strategy)
    return ProductDetail(
        **_card_fields(product, images, offer),
        upc=product.upc,
        product_class=product.product_class.name if product.product_class_id else None,
        description=product.description or "",
        images=images,
        attributes=_attributes(product),
        categories=tuple(CategoryRead(id=c.pk, name=c.name, slug=c.slug) for c in product.categories.all()),
        rating=product.rating,
        reviews_count=product.reviews_count,
        low_stock_units=offer["low_stock_units"],
        variants=tuple(_variant(child, strategy) for child in product.get_public_children()),
    )


def category_queryset() -> QuerySet:
    return Category.objects.filter(is_public=True).order_by("path")
