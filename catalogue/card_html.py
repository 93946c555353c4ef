"""Product cards of the catalogue, category and search pages as HTML, a page's worth at once.

A card is Oscar's product card (`oscar/catalogue/partials/hypex_product_card.html`: image, rating, title,
price and availability, the quick "Add to basket" form). For anonymous shoppers the cards come from the
catalogue cache in one read (`cached_cards_for_anonymous`: keyed by the cards version and product, and
served while the product's stock stamp is current: any catalogue change makes them all stale at once, an
order's stock only its own products'); only the missing ones are rendered, their
rows prefetched in a fixed number of queries whatever their number, and stored in one write. The form's
CSRF token is the shopper's own: a cached card holds `CSRF_HOLE` where the token goes, and the request's
token is put in when the card is served (ADR 0058). Signed-in shoppers' cards are always rendered (their
prices may differ); nothing of theirs is cached.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from .cache import cached_cards_for_anonymous
from .selectors import ImageRead, listing_prefetches, thumbnails_read_ahead

CARD_TEMPLATE = "oscar/catalogue/partials/hypex_product_card.html"
#: Where a cached card's form carries the CSRF token; never a valid token (tokens are letters and digits).
CSRF_HOLE = "{hypex-csrf-token}"


def _render(products: list, *, request, csrf_token: str) -> dict[int, str]:
    prefetch_related_objects(products, *listing_prefetches())  # only the rows not fetched yet
    thumbnails_read_ahead(squares=_card_images(products))  # one read, not one per card (a cold cache)
    template = get_template(CARD_TEMPLATE)
    # A plain context (no context processors per card): what the card's tags read is given here.
    return {p.pk: template.render({"product": p, "request": request, "csrf_token": csrf_token}) for p in products}


def _card_images(products: list) -> list[ImageRead]:
    """The images the cards show (`hypex_card_body.html`: the product's primary image), from the
    prefetched rows; Oscar's placeholder (a dict) has no thumbnail entry to read."""
    shown = [product.primary_image() for product in products]
    return [ImageRead(original=image.original, caption=image.caption) for image in shown if not isinstance(image, dict)]


def product_cards_html(*, products: list, request) -> list[SafeString]:
    """The cards of `products` (from the search handler's queryset: browsable, with Oscar's
    `has_options` flags), in their order."""
    if request.user.is_authenticated:
        rendered = _render(products, request=request, csrf_token=get_token(request))
        return [mark_safe(rendered[p.pk]) for p in products]  # noqa: S308 - rendered by our template
    by_id = {p.pk: p for p in products}
    cards = cached_cards_for_anonymous(
        request,
        "card",
        list(by_id),
        lambda missing: _render([by_id[pk] for pk in missing], request=request, csrf_token=CSRF_HOLE),
    )
    token = get_token(request) if any(CSRF_HOLE in card for card in cards.values()) else ""
    return [mark_safe(cards[p.pk].replace(CSRF_HOLE, token)) for p in products]  # noqa: S308 - our template
