"""Reads for one product as apps see it: everything a product page shows, in a fixed number of queries
whatever the number of variants (prefetched once, then read from memory)."""

from __future__ import annotations

from django.db.models import Prefetch
from oscar.core.loading import get_class, get_model
from oscar.core.thumbnails import get_thumbnailer

from .selectors import product_card

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

THUMBNAIL_SIZE = "300x300"


def _values_prefetch(lookup: str) -> Prefetch:
    return Prefetch(
        lookup,
        queryset=ProductAttributeValue.objects.select_related("attribute", "value_option").order_by("attribute__code"),
        to_attr="prefetched_values",
    )


def product_detail_queryset():
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


def _attributes(product) -> list[dict]:
    return [
        {"code": value.attribute.code, "name": value.attribute.name, "value": value.value_as_text}
        for value in getattr(product, "prefetched_values", [])
    ]


def product_detail(*, product, request) -> dict:
    strategy = Selector().strategy(request=request, user=getattr(request, "user", None))
    card = product_card(product=product, strategy=strategy)
    thumbnailer = get_thumbnailer()
    images = []
    for image in product.images.all():
        thumbnail = thumbnailer.generate_thumbnail(image.original, size=THUMBNAIL_SIZE, upscale=False)
        images.append(
            {
                "original": request.build_absolute_uri(image.original.url),
                "thumbnail": request.build_absolute_uri(thumbnail.url),
                "caption": image.caption,
            }
        )
    variants = []
    for child in product.get_public_children():
        child_card = product_card(product=child, strategy=strategy)
        variants.append(
            {
                "id": child.pk,
                "title": child.get_title(),
                "upc": child.upc,
                "attributes": _attributes(child),
                "price": child_card.price,
                "is_available": child_card.is_available,
                "availability": child_card.availability,
            }
        )
    return {
        "id": product.pk,
        "title": product.get_title(),
        "slug": product.slug,
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "structure": product.structure,
        "upc": product.upc,
        "product_class": product.product_class.name if product.product_class_id else None,
        "description": product.description,
        "images": images,
        "attributes": _attributes(product),
        "categories": [{"id": c.pk, "name": c.name, "slug": c.slug} for c in product.categories.all()],
        "price": card.price,
        "is_available": card.is_available,
        "availability": card.availability,
        "rating": product.rating,
        "reviews_count": product.reviews_count,
        "variants": variants,
    }
