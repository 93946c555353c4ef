"""Pages of back-in-stock alerts, taking over Oscar's alert URLs (`/accounts/alerts/...`, mounted before
Oscar's in config/urls.py) so that every mail leaves through the outbox (ADR 0046)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST
from oscar.core.loading import get_model

from . import errors, services
from .forms import AlertForm

Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
_KEY = re.compile(r"[a-z0-9]{1,128}")  # Oscar's keys: 40 of [a-z0-9]; anything else (a NUL byte...) is a 404


def _key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise Http404("This link is not valid.")
    return key


@require_POST
def alert_create(request, pk: int):
    """The product page's "Email me when it's back" button (a guest also gives an email)."""
    page_product = get_object_or_404(Product.objects.browsable(), pk=pk)
    form = AlertForm(request.POST)
    if not form.is_valid() or (not request.user.is_authenticated and not form.cleaned_data["email"]):
        if form.is_valid():
            form.add_error("email", "Give your email address, and we will email you when it is back.")
        return render(request, "oscar/customer/alerts/hypex_alert_form.html",
                      {"form": form, "product": page_product}, status=400)  # fmt: skip
    product = page_product
    child_id = form.cleaned_data["child_id"]
    if child_id:
        product = get_object_or_404(Product.objects.filter(parent=page_product, is_public=True), pk=child_id)
    try:
        alert = services.product_alert_subscribe(product=product, user=request.user, email=form.cleaned_data["email"])
    except errors.AlertExists:
        messages.info(request, "You are already on the list: we will email you when it is back.")
    except errors.ProductInStock:
        messages.info(request, "Good news: it is in stock, you can buy it now.")
    except errors.EmailRequired as exc:
        messages.error(request, str(exc.detail))
    else:
        if alert.user_id:
            messages.success(request, "We will email you when it is back in stock.")
        else:
            messages.success(request, f"Please confirm: we have sent a link to {alert.email}.")
    return HttpResponseRedirect(product.get_absolute_url())


def alert_confirm(request, key: str):
    """The link in a guest's confirmation mail."""
    alert = services.product_alert_confirm(key=_key(key))
    if alert is None:
        raise Http404("This link is not valid.")
    return render(request, "oscar/customer/alerts/hypex_alert_done.html", {"alert": alert, "confirmed": True})


@require_http_methods(["GET", "POST"])
def alert_cancel(request, key: str):
    """The "no longer interested" link: a button confirms (POST)."""
    alert = ProductAlert.objects.filter(key=_key(key)).first()
    if alert is None:
        raise Http404("This link is not valid.")
    if request.method == "POST":
        alert = services.product_alert_cancel(key=alert.key)
    return render(request, "oscar/customer/alerts/hypex_alert_done.html", {"alert": alert, "confirmed": False})
