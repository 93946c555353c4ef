"""What the product page shows, as plain data (cacheable for anonymous shoppers; see catalogue/cache.py):
gallery, variant picker, price and availability from Oscar's strategy, stock message, reviews summary,
"customers also bought" and SEO data (canonical URL, Open Graph, JSON-LD `Product` with offers).

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
from oscar.core.loading import get_class
from oscar.core.thumbnails import get_thumbnailer

from .recommendations import product_recommendations
from .reviews.selectors import reviews_approved
from .selectors import product_card

Selector = get_class("partner.strategy", "Selector")

GALLERY_THUMBNAIL = "100x100"
GALLERY_IMAGE = "600x600"
CARD_THUMBNAIL = "300x300"
REVIEWS_ON_PAGE = 5
ALSO_BOUGHT_ON_PAGE = 4


def _image(thumbnailer, image, size: str) -> str:
    return thumbnailer.generate_thumbnail(image.original, size=size, upscale=False).url


def _values(product) -> dict[str, tuple[str, str]]:
    """attribute code -> (attribute name, value as text), from the prefetched values."""
    return {value.attribute.code: (value.attribute.name, value.value_as_text) for value in product.prefetched_values}


def _money(card) -> dict:
    return {
        "currency": card.currency,
        "excl_tax": card.price_excl_tax,
        "incl_tax": card.price_incl_tax,
        "amount": card.price_incl_tax if card.price_incl_tax is not None else card.price_excl_tax,
    }


def _stock_message(info) -> str:
    record = info.stockrecord
    if not info.availability.is_available_to_buy:
        return "Out of stock"
    if record is not None and record.net_stock_level is not None and record.is_below_threshold:
        return f"Only {record.net_stock_level} left"
    return "In stock"


def _json_for_script(data: dict) -> str:
    """JSON safe inside <script> (no "</script>" or HTML can break out)."""
    text = json.dumps(data, cls=DjangoJSONEncoder)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def card_data(*, product, strategy, request) -> dict:
    """A product card as plain data (recommendations, recently viewed)."""
    card = product_card(product=product, strategy=strategy)
    images = list(product.images.all())
    thumbnail = _image(get_thumbnailer(), images[0], CARD_THUMBNAIL) if images else None
    return {"id": product.pk, "title": product.get_title(), "url": product.get_absolute_url(),
            "thumbnail": thumbnail, "price": _money(card), "availability": card.availability}  # fmt: skip


def _value_of(product, code: str):
    return next((value for value in product.prefetched_values if value.attribute.code == code), None)


def _variant_picker(product, children, selected: dict[str, str], strategy) -> tuple[list[dict], object | None]:
    values = {child.pk: _values(child) for child in children}
    codes: list[tuple[str, str]] = []
    for child in children:
        for code, (name, _value) in values[child.pk].items():
            if (code, name) not in codes and len({values[c.pk].get(code, ("", ""))[1] for c in children}) > 1:
                codes.append((code, name))
    available = {child.pk: strategy.fetch_for_product(child).availability.is_available_to_buy for child in children}
    chosen = {code: selected[code] for code, _ in codes if selected.get(code)}
    groups = []
    for code, name in codes:
        options = []
        for child in children:
            value = values[child.pk].get(code, ("", ""))[1]
            if not value or value in [option["value"] for option in options]:
                continue
            wanted = {**chosen, code: value}
            matches = [c for c in children if all(values[c.pk].get(k, ("", ""))[1] == v for k, v in wanted.items())]
            options.append(
                {
                    "value": value,
                    "url": "?" + urlencode(dict(sorted(wanted.items()))),
                    "selected": chosen.get(code) == value,
                    "available": any(available[c.pk] for c in matches),
                    "variant_id": matches[0].pk if len(matches) == 1 else None,
                }
            )
        order = {
            values[c.pk][code][1]: (getattr(_value_of(c, code), "value_option_id", None) or 0)
            for c in children
            if code in values[c.pk]
        }
        options.sort(key=lambda option: (order.get(option["value"], 0), option["value"]))
        groups.append({"code": code, "name": name, "options": options})
    match = None
    if codes and len(chosen) == len(codes):
        found = [c for c in children if all(values[c.pk].get(k, ("", ""))[1] == v for k, v in chosen.items())]
        match = found[0] if found else None
    return groups, match


def product_page(*, product, request, selected: dict[str, str]) -> dict:
    """Everything the page shows for `product` (a standalone or parent product from
    `product_detail_queryset()`), with `selected` attribute choices (e.g. {"size": "M"})."""
    strategy = Selector().strategy(request=request, user=getattr(request, "user", None))
    thumbnailer = get_thumbnailer()
    children = list(product.get_public_children()) if product.is_parent else []
    variant_id = selected.get("variant")
    if variant_id and str(variant_id).isdigit():  # ?variant=<id> (e.g. from a variant's own URL)
        chosen_child = next((c for c in children if c.pk == int(variant_id)), None)
        if chosen_child is not None:
            selected = {code: text for code, (_name, text) in _values(chosen_child).items()}
    picker, variant = _variant_picker(product, children, selected, strategy) if children else ([], None)

    buyable = variant or product
    card = product_card(product=buyable, strategy=strategy)
    price = _money(card)
    if children and variant is None:  # "From": the lowest price of the variants
        prices = [_money(product_card(product=child, strategy=strategy)) for child in children]
        prices = [p for p in prices if p["amount"] is not None]
        if prices:
            price = min(prices, key=lambda p: p["amount"])
    info = strategy.fetch_for_product(buyable) if not buyable.is_parent else strategy.fetch_for_parent(buyable)
    images = [
        {"full": _image(thumbnailer, image, GALLERY_IMAGE), "thumbnail": _image(thumbnailer, image, GALLERY_THUMBNAIL),
         "original": image.original.url, "caption": image.caption or product.get_title()}
        for image in product.images.all()
    ]  # fmt: skip
    description = Truncator(" ".join(strip_tags(product.description or "").split())).chars(155)
    canonical = request.build_absolute_uri(product.get_absolute_url())
    offers = []
    for offer_product in children or [product]:
        offer_card = product_card(product=offer_product, strategy=strategy)
        if offer_card.currency is None:
            continue
        offers.append({
            "@type": "Offer", "sku": offer_product.upc or str(offer_product.pk), "priceCurrency": offer_card.currency,
            "price": str(offer_card.price_incl_tax if offer_card.price_incl_tax is not None
                         else offer_card.price_excl_tax),
            "availability": "https://schema.org/" + ("InStock" if offer_card.is_available else "OutOfStock"),
            "url": canonical,
        })  # fmt: skip
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "description": description,
        "sku": product.upc or str(product.pk),
        "url": canonical,
        "image": [request.build_absolute_uri(image["original"]) for image in images],
        "offers": offers,
    }
    if product.reviews_count:
        json_ld["aggregateRating"] = {"@type": "AggregateRating", "ratingValue": round(product.rating, 2),
                                      "reviewCount": product.reviews_count}  # fmt: skip
    reviews = [
        {"title": r.title, "body": r.body, "score": r.score, "reviewer": str(r.reviewer_name), "date": r.date_created}
        for r in reviews_approved(product=product)[:REVIEWS_ON_PAGE]
    ]
    also_bought = [
        {**card_data(product=item, strategy=strategy, request=request), "reason": reason}
        for item, reason in product_recommendations(product=product, limit=ALSO_BOUGHT_ON_PAGE)
    ]
    return {
        "id": product.pk,
        "title": product.get_title(),
        "description_text": description,
        "canonical": canonical,
        "og_image": json_ld["image"][0] if json_ld["image"] else None,
        "json_ld": json_ld,
        "json_ld_text": _json_for_script(json_ld),
        "images": images,
        "picker": picker,
        "variant_id": variant.pk if variant else None,
        "variant_title": variant.get_title() if variant else None,
        "needs_choice": bool(picker) and variant is None,
        "price": price,
        "price_from": product.is_parent and variant is None,
        "is_available": card.is_available,
        "availability": card.availability,
        "stock_message": _stock_message(info) if not buyable.is_parent else None,
        "rating": product.rating,
        "reviews_count": product.reviews_count,
        "reviews": reviews,
        "also_bought": also_bought,
        "variants_json": [
            {
                "id": child.pk,
                "values": {code: text for code, (_n, text) in _values(child).items()},
                "price": _money(product_card(product=child, strategy=strategy)),
                "stock_message": _stock_message(strategy.fetch_for_product(child)),
            }
            for child in children
        ],  # fmt: skip
    }
