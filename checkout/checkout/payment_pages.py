"""Paying for an order on the storefront's pages (ADR 0032): which gateways the pages offer, starting a
payment and where the shopper lands after the gateway answers.

- `payment_begin` starts an attempt with the chosen gateway and sends the shopper on: to a hosted page
  (`redirect`), or to our Stripe card page (`client_secret`). A gateway that is down leaves the order
  waiting and the shopper on the order's pay page, told so.
- `payment_landing` is where the gateway's answer takes the shopper who placed (or is paying) the
  order in this browser: the thank-you page once paid or still processing; declined or failed, the
  order's pay page, to pay again or choose another gateway for the same order.
- `order_for_payer` finds the order a visitor may pay: the one this session placed or is paying, one of
  the signed-in customer's own, or a guest's with the signed key from their emails.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from oscar.core.loading import get_model

from checkout.order.links import order_pay_path, order_visible_to
from checkout.order.statuses import can_be_paid
from checkout.payment.errors import PaymentGatewayNotConfigured, PaymentGatewayUnknown, PaymentProviderError
from checkout.payment.gateways import gateway_codes, gateway_get
from checkout.payment.services import payment_start

Order = get_model("order", "Order")

SESSION_ORDER_KEY = "checkout_order_id"  # Oscar's thank-you page reads the same key


@dataclass(frozen=True)
class GatewayChoice:
    code: str
    name: str
    description: str


def gateway_choices() -> list[GatewayChoice]:
    """The gateways a shopper can pay with on our pages, in `PAYMENT_GATEWAYS` order. Stripe needs its
    publishable key as well as the secret one to show its card form."""
    choices = []
    for code in gateway_codes():
        if code == "stripe" and not settings.STRIPE_PUBLISHABLE_KEY:
            continue
        gateway = gateway_get(code)
        choices.append(GatewayChoice(code=code, name=gateway.name, description=gateway.description))
    return choices


def gateway_offered(code: str | None) -> bool:
    """True if the pages offer the gateway `code` now."""
    return code in {choice.code for choice in gateway_choices()}


def order_remember_payer(request: HttpRequest, order) -> None:
    """This browser is paying `order`: its thank-you and pay pages open without a key."""
    request.session[SESSION_ORDER_KEY] = order.pk
    if order.user_id is None:
        request.session["anon_order_email"] = order.email  # Oscar's guest order-status page


def order_for_payer(request: HttpRequest, number: str):
    """The order `number` if this visitor may see and pay it, else 404 (never telling which)."""
    order = Order.objects.filter(number=number).first()
    if order is not None and (request.session.get(SESSION_ORDER_KEY) == order.pk or order_visible_to(request, order)):
        return order
    raise Http404("No such order.")


def payment_begin(*, request: HttpRequest, order, gateway_code: str | None) -> HttpResponse:
    """Start paying `order` with `gateway_code` and send the shopper where that gateway continues."""
    order_remember_payer(request, order)
    if not can_be_paid(order.status):
        return HttpResponseRedirect(reverse("checkout:thank-you"))
    if not gateway_offered(gateway_code):
        messages.error(request, "Please choose how you would like to pay.")
        return HttpResponseRedirect(order_pay_path(order))
    try:
        action = payment_start(order=order, gateway_code=gateway_code, request=request)
    except (PaymentProviderError, PaymentGatewayNotConfigured, PaymentGatewayUnknown):
        messages.error(
            request,
            "We could not reach the payment provider just now. Your order is kept: try again in a moment, "
            "or choose another way to pay.",
        )
        return HttpResponseRedirect(order_pay_path(order))
    if action.type == "redirect":
        return HttpResponseRedirect(action.redirect_url)
    return HttpResponseRedirect(reverse("payment-stripe-page", kwargs={"token": action.attempt_token}))


LANDING_MESSAGES = {
    "declined": "Your payment was declined. Your order is kept: you can pay again or choose another way to pay.",
    "failed": "The payment did not go through. Your order is kept: you can pay again or choose another way to pay.",
    "mismatch": "The payment did not match your order and was not accepted. You can pay again.",
}


def payment_landing(request: HttpRequest, *, order, outcome: str) -> HttpResponse | None:
    """Where the shopper paying `order` in this browser goes after the gateway answered `outcome`, or
    None for a visitor this browser did not start the payment for (they see the gateway's own result)."""
    if request.session.get(SESSION_ORDER_KEY) != order.pk or outcome == "unavailable":
        return None  # "unavailable": the provider could not be asked; the result page says reload
    if outcome in LANDING_MESSAGES and can_be_paid(order.status):
        messages.warning(request, LANDING_MESSAGES[outcome])
        return HttpResponseRedirect(order_pay_path(order))
    return HttpResponseRedirect(reverse("checkout:thank-you"))
