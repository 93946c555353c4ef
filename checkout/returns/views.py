"""The storefront's return page: a signed-in customer from their order page, or a guest through the
order's signed key (the `?key=` of `order.links`, as the pay page). Anybody else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from oscar.core.loading import get_model

from apibase.errors import ApiError
from checkout.order.links import order_status_path, order_visible_to

from . import selectors
from .forms import ReturnRequestForm
from .services import return_request_create

Order = get_model("order", "Order")


def order_for_returner(request: HttpRequest, number: str):
    """The order `number` if this visitor may ask to return its items, else 404 (never telling which)."""
    order = Order.objects.filter(number=number).first()
    if order is not None and order_visible_to(request, order):
        return order
    raise Http404("No such order.")


def order_return_request(request: HttpRequest, number: str) -> HttpResponse:
    """GET: the lines that can be returned, a quantity and a reason each. POST: ask for the return and
    go back to the order's page, which shows it."""
    order = order_for_returner(request, number)
    eligibility = selectors.order_return_eligibility(order=order)
    form = None
    status = 200
    if eligibility.allowed:
        form = ReturnRequestForm(
            request.POST if request.method == "POST" else None,
            returnable=selectors.order_returnable_lines(order=order),
            reasons=selectors.return_reasons_active(),
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    created = return_request_create(
                        order=order, lines=form.cleaned_data["lines"], by=request.user,
                        comment=form.cleaned_data["comment"],
                    )  # fmt: skip
                except ApiError as exc:
                    form.add_error(None, str(exc.detail))
                    status = exc.status_code
                else:
                    messages.success(request, f"Return {created.pk} requested. We have emailed you the details.")
                    return redirect(order_status_path(order))
            else:
                status = 400
    elif request.method == "POST":
        status = 409
    context = {
        "order": order,
        "eligibility": eligibility,
        "form": form,
        "policy": selectors.return_policy(),
        "key": request.GET.get("key") or request.POST.get("key") or "",
        "back_url": order_status_path(order),
    }
    return render(request, "oscar/customer/order/return_request.html", context, status=status)
