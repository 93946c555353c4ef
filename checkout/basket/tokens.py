"""Anonymous basket tokens: the signed basket id Oscar already puts in its basket cookie.

Pages carry it in the `oscar_open_basket` cookie; API clients may carry the same value in the
`X-Basket-Token` header instead, so a browser and an app can share one anonymous basket.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signing import BadSignature, Signer
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")

BASKET_TOKEN_HEADER = "X-Basket-Token"
BASKET_TOKEN_META = "HTTP_X_BASKET_TOKEN"


def basket_token(basket) -> str:
    return Signer().sign(basket.pk)


def basket_id_from_token(token: str) -> int | None:
    try:
        value = Signer().unsign(token)
    except BadSignature:
        return None
    return int(value) if value.isdigit() else None


def basket_from_token(token: str, *, statuses: tuple[str, ...] = (Basket.OPEN,)):
    """The anonymous basket a token names, or None (bad signature, owned, or not in `statuses`)."""
    basket_id = basket_id_from_token(token)
    if basket_id is None:
        return None
    return Basket.objects.filter(pk=basket_id, owner=None, status__in=statuses).first()


def request_basket_token(request) -> str | None:
    """The token a request carries: the header first, then Oscar's basket cookie."""
    return request.META.get(BASKET_TOKEN_META) or request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)


def request_anonymous_basket(request):
    """The anonymous open basket a client carries as Oscar's middleware reads it: the basket cookie first,
    then the `X-Basket-Token` header; None when neither names one."""
    for token in (request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN), request.META.get(BASKET_TOKEN_META)):
        basket = basket_from_token(token) if token else None
        if basket is not None:
            return basket
    return None
