"""`{% order_tracking order %}`: the order's shipping events (carrier, tracking number) for customers."""

from django import template

from checkout.order.selectors import order_shipping_events

register = template.Library()


@register.inclusion_tag("order/partials/tracking.html")
def order_tracking(order):
    return {"order": order, "shipping_events": order_shipping_events(order=order)}
