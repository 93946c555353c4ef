"""Reads on the catalogue, and the product read model shared by pages, CMS blocks and the API.

A product is shaped once, here, for every reader (staff screens too: `product_stock_and_prices`
below gives the back office's product list and the CMS product chooser their figures):

- `ProductCard`: what a list shows (the products API, CMS product blocks, recommendations, recently
  viewed): id, title, slug, structure, path, primary image, price and availability.
  `product_cards(products=..., request=...)`.
- `ProductDetail`: a card plus what one product's page or API detail shows: images, attributes,
  categories, rating, stock and its public variants (`VariantRead`). `product_detail(product=...,
  request=...)` on a product fetched with `product_detail_queryset()` (or its row completed by
  `product_detail_rows`, fewer queries).

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

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from oscar.core.loading import get_class, get_model
from oscar.core.thumbnails import get_thumbnailer
from sorl.thumbnail import default
from sorl.thumbnail.conf import defaults as sorl_defaults
from sorl.thumbnail.conf import settings as sorl_settings
from sorl.thumbnail.images import ImageFile
from sorl.thumbnail.kvstores.base import add_prefix
from sorl.thumbnail.models import KVStore as KVStoreRow

from apibase.money import Money, money_display

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
Option = get_model("catalogue", "Option")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")


#: Every product card's image (category and search pages, CMS blocks, also bought, recently viewed): a
#: square of this size, so a card without an image is as tall as a card with one.
CARD_IMAGE_GEOMETRY = "300x300"
#: The square shown for a product without images (a static file: there whatever the media storage).
PLACEHOLDER_IMAGE = "hypex/img/placeholder-product.svg"


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int
    is_placeholder: bool


#: How a card's square and a gallery's rendition are made (sorl-thumbnail options).
SQUARE_OPTIONS = {"crop": "center"}
FIT_OPTIONS = {"upscale": False}

#: The product page's gallery: the image shown large, and the row of small ones under it.
GALLERY_IMAGE_GEOMETRY = "600x600"
GALLERY_THUMBNAIL_GEOMETRY = "100x100"
#: The products API's `thumbnail` (at most this size, never upscaled).
API_THUMBNAIL_GEOMETRY = "300x300"
#: Basket and checkout lines (`oscar_thumbnail image.original "100x100" upscale=False` in the basket's
#: template and Oscar's checkout and wishlist templates): the gallery's small rendition.
LINE_THUMBNAIL_GEOMETRY = "100x100"
#: Staff squares: the back office's product list, the CMS product chooser.
STAFF_LIST_SQUARE_GEOMETRY = "96x96"
CHOOSER_SQUARE_GEOMETRY = "80x80"


@dataclass(frozen=True)
class Rendition:
    geometry: str  # "300x300"
    square: bool  # cropped from the centre to the square (`square_thumbnail`), else fitted within it

    @property
    def options(self) -> dict:
        return dict(SQUARE_OPTIONS if self.square else FIT_OPTIONS)


#: Every rendition of a product image that pages, the API and staff screens show: made when the image
#: is written (`catalogue.image_renditions`), so that showing it only reads sorl's entry. One shown
#: elsewhere must be added here, or its first view makes it in the request again (ADR 58).
PRODUCT_IMAGE_RENDITIONS: tuple[Rendition, ...] = tuple(
    dict.fromkeys(  # the same size and options shown in two places is one rendition
        [
            Rendition(CARD_IMAGE_GEOMETRY, square=True),
            Rendition(GALLERY_IMAGE_GEOMETRY, square=False),
            Rendition(GALLERY_THUMBNAIL_GEOMETRY, square=False),
            Rendition(API_THUMBNAIL_GEOMETRY, square=False),
            Rendition(LINE_THUMBNAIL_GEOMETRY, square=False),
            Rendition(STAFF_LIST_SQUARE_GEOMETRY, square=True),
            Rendition(CHOOSER_SQUARE_GEOMETRY, square=True),
        ]
    )
)


def square_thumbnail(*, original, geometry: str = CARD_IMAGE_GEOMETRY) -> Thumbnail:
    """`original` (an image file or its name) cropped from its centre to the square `geometry`
    ("300x300"); the square placeholder, at the same size, when there is none or its file is gone."""
    side = int(geometry.split("x")[0])
    if original:
        made = get_thumbnailer().generate_thumbnail(original, size=geometry, **SQUARE_OPTIONS)
        if getattr(made, "size", None):  # sorl answers a file that does not exist when the source is gone
            return Thumbnail(url=made.url, width=side, height=side, is_placeholder=False)
    return Thumbnail(url=static(PLACEHOLDER_IMAGE), width=side, height=side, is_placeholder=True)


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
        return get_thumbnailer().generate_thumbnail(self.original, size=size, **FIT_OPTIONS).url

    def card_thumbnail(self) -> Thumbnail:
        """This image, or the placeholder, in a product card's square (`square_thumbnail`)."""
        return square_thumbnail(original=None if self.is_missing else self.original)


def thumbnails_read_ahead(*, fitted: Iterable[tuple[ImageRead, str]] = (), squares: Iterable[ImageRead] = ()) -> None:
    """Read what sorl-thumbnail's key-value store knows of these thumbnails into its cache in one query
    (and one cache read), before they are made: `fitted` (image, size) as `ImageRead.thumbnail_url`
    makes them, `squares` as `ImageRead.card_thumbnail` does. Without it each thumbnail whose entry is
    not cached costs a query of its own (a cold product page: one per gallery image and size, one per
    card). The names are computed as sorl's `ThumbnailBackend.get_thumbnail` computes them; were they
    ever to differ, the thumbnails would still be right, only read one by one again (the product page's
    query budget would show it). Thumbnails not made yet are made as before, in the request (ADR 58)."""
    kvstore = default.kvstore
    sorl = getattr(settings, "OSCAR_THUMBNAILER", "") == "oscar.core.thumbnails.SorlThumbnail"
    if not sorl or not getattr(kvstore, "_cached_db_kvstore", False):
        return
    wanted = [(image, size, FIT_OPTIONS) for image, size in fitted]
    wanted += [(image, CARD_IMAGE_GEOMETRY, SQUARE_OPTIONS) for image in squares]
    backend, keys = default.backend, []
    for image, geometry, given in wanted:
        if image.is_missing or not image.original:
            continue
        source, options = ImageFile(image.original), dict(given)
        if sorl_settings.THUMBNAIL_PRESERVE_FORMAT:
            options.setdefault("format", backend._get_format(source))
        for key, value in backend.default_options.items():
            options.setdefault(key, value)
        for key, name in backend.extra_options:
            if getattr(sorl_settings, name) != getattr(sorl_defaults, name):
                options.setdefault(key, getattr(sorl_settings, name))
        thumbnail = ImageFile(backend._get_thumbnail_filename(source, geometry, options), default.storage)
        keys.append(add_prefix(thumbnail.key))
    if not keys:
        return
    cached = kvstore.cache.get_many(keys)
    missing = [key for key in keys if key not in cached]
    if missing:
        found = dict(KVStoreRow.objects.filter(key__in=missing).values_list("key", "value"))
        kvstore.cache.set_many(found, sorl_settings.THUMBNAIL_CACHE_TIMEOUT)


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


def products_with_option_flags(queryset: QuerySet) -> QuerySet:
    """`queryset` with the two flags Oscar's `Product.has_options` reads when they are there (as its own
    `base_queryset` adds them): a listing's card decides whether to show its "Add to basket" form without
    a query of its own (one per card before: 15 of the 25 queries of a warm `/catalogue/` page)."""
    return queryset.annotate(
        has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
    )


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


def product_categories_with_ancestors(product) -> dict[str, Any]:
    """Read the product's categories and all their ancestors in one query (two before: the categories,
    then the ancestors of the first for the breadcrumbs). The product's own categories become its
    prefetched `categories` (as `prefetch_related_objects` leaves them: by path); the answer is every
    category read, by tree path, so a category's ancestors are found by the prefixes of its path."""
    links = ProductCategory.objects.filter(product_id=product.pk)
    rows = list(
        Category.objects.filter(Exists(links.filter(category__path__startswith=OuterRef("path"))))
        .annotate(is_linked=Exists(links.filter(category_id=OuterRef("pk"))))
        .order_by("path")
    )
    linked = product.categories.all()  # not evaluated: filled as Django's prefetch fills it
    linked._result_cache, linked._prefetch_done = [row for row in rows if row.is_linked], True
    if not hasattr(product, "_prefetched_objects_cache"):
        product._prefetched_objects_cache = {}
    product._prefetched_objects_cache["categories"] = linked
    return {row.path: row for row in rows}


def category_ancestors_and_self(category, by_path: dict[str, Any]) -> list:
    """`category` and its ancestors from the top, from `by_path` (`product_categories_with_ancestors`)."""
    step = category.steplen
    return [by_path[category.path[:end]] for end in range(step, len(category.path) + 1, step)]


def product_detail_rows(product, *, cards: Iterable = ()) -> None:
    """Fetch onto `product` (a browsable product's row, with its `product_class`) everything
    `product_detail` reads, whatever the number of variants: its public variants, then the stock records
    and attribute values of the product and its variants together (one query each, not one per level as
    `product_detail_queryset` does), its images and its categories (unless already there). `cards`:
    products the same page shows as cards (with their `product_class`), whose card rows (variants, stock,
    images) come in the same queries instead of three of their own. The product page reads the row
    first (ADR 58) and completes it here only when its page data is not cached."""
    tops = [product, *(card for card in cards if card.pk != product.pk)]
    children = Product.objects.filter(is_public=True).order_by("title", "id")
    # Oscar's strategy reads `_prefetched_public_children` instead of querying per parent; the prefetch
    # also gives each variant its parent without a query.
    prefetch_related_objects(tops, Prefetch("children", queryset=children, to_attr="_prefetched_public_children"))
    family = [*tops, *(child for top in tops for child in top._prefetched_public_children)]
    prefetch_related_objects(family, Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")))
    prefetch_related_objects([product, *product._prefetched_public_children], _values_prefetch("attribute_values"))
    images = ProductImage.objects.order_by("display_order", "id")
    prefetch_related_objects(tops, Prefetch("images", queryset=images))
    prefetch_related_objects([product], "categories")


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
    unless it already was, so any number of products costs the same queries: as `listing_prefetches`,
    except that the stock records of the products and of their variants are read in one query."""
    products = list(products)
    stock = StockRecord.objects.select_related("partner")
    children = Prefetch(
        "children", queryset=Product.objects.filter(is_public=True), to_attr="_prefetched_public_children"
    )
    prefetch_related_objects(products, "product_class", listing_prefetches()[1], children)
    family = [*products, *(child for product in products for child in product._prefetched_public_children)]
    prefetch_related_objects(family, Prefetch("stockrecords", queryset=stock))
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
    """`product` (standalone or parent, fetched with `product_detail_queryset()` or completed by
    `product_detail_rows`) as one product's page
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


# -- Stock and price figures for staff screens (the back office's product list, the CMS chooser) --

#: A stock record without its own `low_stock_threshold` is low below this many free units (ADR 16).
DEFAULT_LOW_STOCK_THRESHOLD = 5
STOCK_IN, STOCK_LOW, STOCK_OUT = "in", "low", "out"


def stock_free_expression():
    """A stock record's free units: in stock - allocated."""
    return F("num_in_stock") - Coalesce(F("num_allocated"), 0)


def stock_threshold_expression():
    """A stock record's low-stock threshold: its own, else DEFAULT_LOW_STOCK_THRESHOLD. A record is low
    when its free units are below it (the dashboard, the stock list and the product list agree)."""
    return Coalesce(F("low_stock_threshold"), Value(DEFAULT_LOW_STOCK_THRESHOLD), output_field=IntegerField())


def _family_records() -> QuerySet:
    """Stock records of the outer query's product or of its variants."""
    return StockRecord.objects.filter(Q(product_id=OuterRef("pk")) | Q(product__parent_id=OuterRef("pk"))).order_by()


def _one_value(queryset: QuerySet, aggregate) -> Subquery:
    """`aggregate` over all rows of `queryset`, as a scalar subquery (grouped by a constant: one row)."""
    return Subquery(queryset.annotate(whole=Value(1)).values("whole").annotate(result=aggregate).values("result"))


def product_stock_and_prices(*, products: QuerySet, currency: str | None = None) -> QuerySet:
    """`products` annotated, in the same one query (subqueries, no GROUP BY on the products), with:

    - `price_min`, `price_max`: the lowest and highest stock record price of the product or its
      variants in `currency` (default: the shop's; records in other currencies are left out, as on the
      dashboard), as entered (what staff edit; shoppers see them through the strategy); `price_currency`;
    - `stock_free`: units in stock minus allocated over the stock records of the product or its
      variants (records that track no stock count as none);
    - `stock_state`: `out` when no unit is free, else `low` when one of those records is low
      (`stock_threshold_expression`), else `in`;
    - `variant_count`: how many variants a parent has."""
    currency = currency or settings.OSCAR_DEFAULT_CURRENCY
    priced = _family_records().filter(price__isnull=False, price_currency=currency)
    low = _family_records().alias(free=stock_free_expression(), threshold=stock_threshold_expression())
    tracked = _family_records().filter(num_in_stock__isnull=False)
    variants = Product.objects.filter(parent_id=OuterRef("pk")).order_by()
    return products.annotate(
        price_min=_one_value(priced, Min("price")),
        price_max=_one_value(priced, Max("price")),
        price_currency=Value(currency, output_field=CharField()),
        stock_free=Coalesce(_one_value(tracked, Sum(stock_free_expression())), 0, output_field=IntegerField()),
        stock_low=Exists(low.filter(free__lt=F("threshold"))),
        variant_count=Coalesce(_one_value(variants, Count("pk")), 0, output_field=IntegerField()),
    ).annotate(
        stock_state=Case(
            When(stock_free__lte=0, then=Value(STOCK_OUT)),
            When(stock_low=True, then=Value(STOCK_LOW)),
            default=Value(STOCK_IN),
            output_field=CharField(),
        )
    )


def product_price_range_display(product) -> str:
    """A product of `product_stock_and_prices` priced for staff: "£12.50", a range "£9.00 – £14.00"
    when its variants (or partners) differ, "" without a price."""
    low, high = product.price_min, product.price_max
    if low is None:
        return ""
    if high is None or high == low:
        return money_display(low, product.price_currency)
    return f"{money_display(low, product.price_currency)} – {money_display(high, product.price_currency)}"


def primary_image_prefetch() -> Prefetch:
    """Each product's first image only, as `primary_images` (a list of at most one)."""
    images = ProductImage.objects.order_by("display_order", "pk")[:1]
    return Prefetch("images", queryset=images, to_attr="primary_images")


def product_thumbnail(*, product, geometry: str) -> Thumbnail:
    """The product's primary image (or the placeholder) in the square `geometry` (`square_thumbnail`).
    Reads `primary_images` when prefetched (`primary_image_prefetch`)."""
    images = getattr(product, "primary_images", None)
    if images is None:
        images = list(product.images.order_by("display_order", "pk")[:1])
    return square_thumbnail(original=images[0].original if images else None, geometry=geometry)
