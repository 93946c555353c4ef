"""Receivers of the basket app: connected when the app is ready."""

from django.contrib.auth import user_logged_in
from django.dispatch import receiver

from .services import basket_merge_on_sign_in


@receiver(user_logged_in, dispatch_uid="checkout.basket.merge_on_sign_in")
def merge_anonymous_basket(sender, request=None, user=None, **kwargs) -> None:
    """Whoever signs in (a page, allauth, the token API) keeps the basket they filled before."""
    if request is not None and user is not None:
        basket_merge_on_sign_in(request=request, user=user)
