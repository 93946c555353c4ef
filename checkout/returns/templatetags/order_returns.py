"""`{% order_returns order %}`: the order's return requests and their status, with the link to ask
for a return while the order can be returned (the guest's link carries the order's signed key)."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from checkout.returns import selectors

register = template.Library()


@register.inclusion_tag("order/partials/returns.html")
def order_returns(order):
    eligibility = selectors.order_return_eligibility(order=order)
    url = ""
    if eligibility.allowed:
        url = reverse("returns:order-return", kwargs={"number": order.number})
        if order.user_id is None:
            url += "?" + urlencode({"key": order.verification_hash()})
    return {
        "order": order,
        "returns": list(selectors.returns_of_order(order=order)),
        "eligibility": eligibility,
        "return_url": url,
    }
