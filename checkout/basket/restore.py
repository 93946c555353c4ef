"""The page behind an abandoned-basket reminder's link: `/basket/restore/<token>/` (ADR 0046)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from . import errors
from .reminders import RestoreLinkInvalid, basket_restore
from .services import basket_offers_apply


def basket_restore_view(request, token: str):
    """Put the reminded basket's lines in this browser's basket and show the basket page. Works on any
    device, signed in or not; a forged or expired link is a 404."""
    basket = request.basket
    try:
        left_out = basket_restore(token=token, basket=basket)
    except RestoreLinkInvalid as exc:
        raise Http404("This link is not valid or has expired.") from exc
    except errors.BasketError as exc:
        messages.info(request, str(exc.detail))
        return redirect("basket:summary")
    basket_offers_apply(basket=basket, user=request.user, request=request)
    if left_out:
        messages.warning(request, "No longer available: " + ", ".join(left_out) + ".")
    else:
        messages.success(request, "Welcome back: your basket is as you left it.")
    return redirect("basket:summary")
