"""Where a customer follows an order: its status page and, while unpaid, its pay page.

Guests have no account, so their links carry the order's signed key (`Order.verification_hash`, a
signature of the order number with the site's secret): Oscar's guest status page asks for the order's
email as well; the pay page takes the key alone (it only lets the visitor pay or give the order up).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode


def order_status_path(order) -> str:
    """The customer's order page (signed in) or the guest's signed status page."""
    if order.user_id is not None:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})


def order_pay_path(order, *, with_key: bool = False) -> str:
    """The unpaid order's pay page; `with_key` adds the signed key for a guest in another browser."""
    path = reverse("checkout:order-pay", kwargs={"number": order.number})
    if with_key and order.user_id is None:
        path += "?" + urlencode({"key": order.verification_hash()})
    return path


def order_visible_to(request, order) -> bool:
    """Whether this visitor may open `order`'s own pages: its signed-in owner, or - for a guest's order -
    whoever brings the order's signed key (`?key=`, or `key` in the form). The pay and return pages ask
    this; anybody else gets the same 404 as for an order that does not exist."""
    if order.user_id is not None:
        return request.user.is_authenticated and request.user.pk == order.user_id
    key = request.POST.get("key") or request.GET.get("key") or ""
    return bool(key) and order.check_verification_hash(key)
