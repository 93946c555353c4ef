"""Receivers of the basket app: connected when the app is ready."""

from django.contrib.auth import user_logged_in
from django.dispatch import receiver
from oscar.apps.analytics import receivers as oscar_analytics
from oscar.apps.basket.signals import basket_addition

from checkout.order.analytics import product_basket_addition_record

from .services import basket_merge_on_sign_in

# Oscar's analytics receiver counts an addition in two queries (update, then create when missing) and
# a third for the customer; ours upserts (ADR 0010, "Checkout queries").
basket_addition.disconnect(oscar_analytics.receive_basket_addition)


@receiver(basket_addition, dispatch_uid="checkout.basket.addition_analytics")
def basket_addition_analytics(sender, product, user=None, **kwargs) -> None:
    if not kwargs.get("raw", False):
        product_basket_addition_record(product=product, user=user)


@receiver(user_logged_in, dispatch_uid="checkout.basket.merge_on_sign_in")
def merge_anonymous_basket(sender, request=None, user=None, **kwargs) -> None:
    """Whoever signs in (a page, allauth, the token API) keeps the basket they filled before."""
    if request is not None and user is not None:
        basket_merge_on_sign_in(request=request, user=user)
