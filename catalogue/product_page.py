"""What the storefront's product page shows, as plain data (cacheable for anonymous shoppers; see
catalogue/cache.py), shaped from the product read model (`catalogue.selectors.product_detail`): gallery,
variant picker, price and stock message, reviews summary, "customers also bought", and SEO data
(canonical URL, Open Graph, JSON-LD `Product` with offers). Page-only shaping lives here; prices,
stock and variants come from the read model, money formats from `apibase.money`.

Variant picker: the attributes whose values differ between a parent's public variants (e.g. size)
become groups of options. Each option is a link that keeps the other choices (`?size=M&colour=Red`),
so the page works without JavaScript; `static/hypex/js/variant-picker.js` switches in place.
A fully chosen combination selects that variant: its price, stock and the basket form's `child_id`.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.text import Truncator
from oscar.core.loading import get_model

from apibase.money import Money, money_text

from .cache import cached_cards_for_anonymous
from .recommendations import product_recommendations
from .reviews.selectors import reviews_approved
from .selectors import (
    GALLERY_IMAGE_GEOMETRY,
    GALLERY_THUMBNAIL_GEOMETRY,
    ProductCard,
    ProductDetail,
    VariantRead,
    category_ancestors_and_self,
    product_cards,
    product_categories_with_ancestors,
    product_detail,
    product_detail_rows,
    thumbnails_read_ahead,
)

Product = get_model("catalogue", "Product")

GALLERY_THUMBNAIL = GALLERY_THUMBNAIL_GEOMETRY
GALLERY_IMAGE = GALLERY_IMAGE_GEOMETRY
REVIEWS_ON_PAGE = 5
ALSO_BOUGHT_ON_PAGE = 4


def _values(item: ProductDetail | VariantRead) -> dict[str, tuple[str, str]]:
    """attribute code -> (attribute name, value as text)."""
    return {attribute.code: (attribute.name, attribute.value) for attribute in item.attributes}


def _price_json(price: Money) -> dict:
    """A price in the page's variant data (read by static/hypex/js/product-page.js)."""
    return {**price.as_api(), "amount": money_text(price.amount)}


def _stock_message(item: ProductDetail | VariantRead) -> str:
    if not item.is_available:
        return "Out of stock"
    if item.low_stock_units is not None:
        return f"Only {item.low_stock_units} left"
    return "In stock"


def _json_for_script(data: dict) -> str:
    """JSON safe inside <script> (no "</script>" or HTML can break out)."""
    text = json.dumps(data, cls=DjangoJSONEncoder)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def card_data(card: ProductCard) -> dict:
    """A product card as the page's card lists show it (recommendations, recently viewed)."""
    thumbnail = card.primary_image.card_thumbnail().url  # the placeholder too: every card is as tall
    return {"id": card.id, "title": card.title, "url": card.url, "thumbnail": thumbnail, "price": card.price,
            "availability": card.availability}  # fmt: skip


def page_cards(*, products, request) -> list[dict]:
    cards = product_cards(products=products, request=request)
    thumbnails_read_ahead(squares=[card.primary_image for card in cards])
    return [card_data(card) for card in cards]


def page_cards_by_id(*, ids: list[int], request) -> list[dict]:
    """Cards of the browsable products among `ids`, in that order; for anonymous shoppers from the
    catalogue cache in one read, only the missing ones read from the database (recently viewed)."""

    def build(missing: list[int]) -> dict[int, dict]:
        products = Product.objects.browsable().in_bulk(missing)
        return {card["id"]: card for card in page_cards(products=list(products.values()), request=request)}

    found = cached_cards_for_anonymous(request, "page-card", ids, build) if ids else {}
    return [found[pk] for pk in ids if pk in found]


def _breadcrumbs(product, categories_by_path: dict) -> list[dict]:
    """The product's first category and its ancestors, from the top, from the rows read with its
    categories (`product_categories_with_ancestors`). Each URL is made from the slugs of the ancestors
    before it (as Oscar's category tree does), not by looking its parent up."""
    categories = list(product.categories.all()[:1])
    if not categories:
        return []
    crumbs, parent_slug = [], None
    for category in category_ancestors_and_self(categories[0], categories_by_path):
        crumbs.append({"name": category.name, "url": category._get_absolute_url(parent_slug)})
        parent_slug = category.get_full_slug(parent_slug)
    return crumbs


def _variant_picker(
    variants: tuple[VariantRead, ...], selected: dict[str, str]
) -> tuple[list[dict], VariantRead | None]:
    values = {variant.id: _values(variant) for variant in variants}
    codes: list[tuple[str, str]] = []
    for variant in variants:
        for code, (name, _value) in values[variant.id].items():
            if (code, name) not in codes and len({values[v.id].get(code, ("", ""))[1] for v in variants}) > 1:
                codes.append((code, name))
    chosen = {code: selected[code] for code, _ in codes if selected.get(code)}
    groups = []
    for code, name in codes:
        options = []
        for variant in variants:
            value = values[variant.id].get(code, ("", ""))[1]
            if not value or value in [option["value"] for option in options]:
                continue
            wanted = {**chosen, code: value}
            matches = [v for v in variants if all(values[v.id].get(k, ("", ""))[1] == w for k, w in wanted.items())]
            options.append(
                {
                    "value": value,
                    "url": "?" + urlencode(dict(sorted(wanted.items()))),
                    "selected": chosen.get(code) == value,
                    "available": any(v.is_available for v in matches),
                    "variant_id": matches[0].id if len(matches) == 1 else None,
                }
            )
        order = {
            attribute.value: attribute.option_id or 0
            for v in variants
            for attribute in v.attributes
            if attribute.code == code
        }
        options.sort(key=lambda option: (order.get(option["value"], 0), option["value"]))
        groups.append({"code": code, "name": name, "options": options})
    match = None
    if codes and len(chosen) == len(codes):
        found = [v for v in variants if all(values[v.id].get(k, ("", ""))[1] == w for k, w in chosen.items())]
        match = found[0] if found else None
    return groups, match


def _json_ld(detail: ProductDetail, *, description: str, canonical: str, images: list[str]) -> dict:
    offers = []
    for offer in detail.variants or [detail]:
        if offer.price.currency is None:
            continue
        offers.append({
            "@type": "Offer", "sku": offer.upc or str(offer.id), "priceCurrency": offer.price.currency,
            "price": money_text(offer.price.amount),
            "availability": "https://schema.org/" + ("InStock" if offer.is_available else "OutOfStock"),
            "url": canonical,
        })  # fmt: skip
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": detail.title,
        "description": description,
        "sku": detail.upc or str(detail.id),
        "url": canonical,
        "image": images,
        "offers": offers,
    }
    if detail.reviews_count:
        json_ld["aggregateRating"] = {"@type": "AggregateRating", "ratingValue": round(detail.rating, 2),
                                      "reviewCount": detail.reviews_count}  # fmt: skip
    return json_ld


def product_page(*, product, request, selected: dict[str, str]) -> dict:
    """Everything the page shows for `product` (a browsable product's row, with its `product_class`),
    with `selected` attribute choices (e.g. {"size": "M"}). Its rows and those of its "also bought"
    cards are read together (`product_detail_rows`): a fixed number of queries whatever the variants,
    images, reviews and cards."""
    categories_by_path = product_categories_with_ancestors(product)  # its categories and the breadcrumbs
    picks = product_recommendations(product=product, limit=ALSO_BOUGHT_ON_PAGE)
    product_detail_rows(product, cards=[item for item, _reason in picks])
    detail = product_detail(product=product, request=request)
    variants = detail.variants
    variant_id = selected.get("variant")
    if variant_id and str(variant_id).isdigit():  # ?variant=<id> (e.g. from a variant's own URL)
        chosen_variant = next((v for v in variants if v.id == int(variant_id)), None)
        if chosen_variant is not None:
            selected = {code: text for code, (_name, text) in _values(chosen_variant).items()}
    picker, variant = _variant_picker(variants, selected) if variants else ([], None)

    buyable = variant or detail  # a parent's price is its lowest variant price ("From")
    cards = product_cards(products=[item for item, _reason in picks], request=request)
    gallery_sizes = (GALLERY_IMAGE, GALLERY_THUMBNAIL)
    thumbnails_read_ahead(  # the gallery's and the cards' thumbnails in one read
        fitted=[(image, size) for image in detail.images for size in gallery_sizes],
        squares=[card.primary_image for card in cards],
    )
    images = [
        {"full": image.thumbnail_url(GALLERY_IMAGE), "thumbnail": image.thumbnail_url(GALLERY_THUMBNAIL),
         "original": image.url, "caption": image.caption or detail.title}
        for image in detail.images
    ]  # fmt: skip
    description = Truncator(" ".join(strip_tags(detail.description).split())).chars(155)
    canonical = request.build_absolute_uri(detail.url)
    absolute_images = [request.build_absolute_uri(image["original"]) for image in images]
    json_ld = _json_ld(detail, description=description, canonical=canonical, images=absolute_images)
    reviews = (
        [
            {
                "title": r.title,
                "body": r.body,
                "score": r.score,
                "reviewer": str(r.reviewer_name),
                "date": r.date_created,
            }
            for r in reviews_approved(product=product)[:REVIEWS_ON_PAGE]
        ]
        if detail.reviews_count
        else []
    )  # the count of approved reviews moves with them (catalogue.reviews.services)
    also_bought = [{**card_data(card), "reason": reason} for card, (_item, reason) in zip(cards, picks, strict=True)]
    is_parent = detail.structure == "parent"
    return {
        "id": detail.id,
        "slug": detail.slug,
        "title": detail.title,
        "description": detail.description,
        "breadcrumbs": _breadcrumbs(product, categories_by_path),
        "description_text": description,
        "canonical": canonical,
        "og_image": absolute_images[0] if absolute_images else None,
        "json_ld": json_ld,
        "json_ld_text": _json_for_script(json_ld),
        "images": images,
        "picker": picker,
        "variant_id": variant.id if variant else None,
        "variant_title": variant.title if variant else None,
        "needs_choice": bool(picker) and variant is None,
        "price": buyable.price,
        "price_from": is_parent and variant is None,
        "is_available": buyable.is_available,
        "availability": buyable.availability,
        "stock_message": None if buyable is detail and is_parent else _stock_message(buyable),
        "rating": detail.rating,
        "reviews_count": detail.reviews_count,
        "reviews": reviews,
        "also_bought": also_bought,
        "variants_json": [
            {
                "id": v.id,
                "values": {code: text for code, (_n, text) in _values(v).items()},
                "price": _price_json(v.price),
                "stock_message": _stock_message(v),
            }
            for v in variants
        ],
    }
