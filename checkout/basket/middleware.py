"""Hypex's basket middleware: Oscar's, with one rule for merging baskets at sign-in.

Pages and the API both merge at sign-in (`basket.receivers`, on `user_logged_in`), and this middleware on
later requests, through
`merge_baskets`, so a shopper gets the same basket whichever way they sign in: quantities of the same
product are added together, then capped by what is in stock and by the basket's quantity limit.

An API client without cookies names its anonymous basket with the `X-Basket-Token` header (the same
signed value as Oscar's basket cookie, handed out by the basket API), so signing in through the API
merges that basket too.
"""

from django.db.models import prefetch_related_objects
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from checkout.basket.services import basket_merge
from checkout.basket.tokens import BASKET_TOKEN_META, basket_from_token


class BasketMiddleware(OscarBasketMiddleware):
    def merge_baskets(self, master, slave):
        basket_merge(target=master, source=slave)

    def get_basket(self, request):
        """Oscar's, with the basket's vouchers read once: offers are applied more than once in some
        requests, and each application read them again (ADR 0010, "Checkout queries"). Adding or
        removing a voucher drops what was read."""
        cached = request._basket_cache is not None
        basket = super().get_basket(request)
        if not cached and basket.pk and not basket.is_empty:  # an empty basket applies no offers
            prefetch_related_objects([basket], "vouchers")
        return basket

    def get_cookie_basket(self, cookie_key, request, manager):
        basket = super().get_cookie_basket(cookie_key, request, manager)
        if basket is None and request.META.get(BASKET_TOKEN_META):
            basket = basket_from_token(request.META[BASKET_TOKEN_META])
        return basket
