"""Payment gateways: `gateway_get(code)` and `gateway_codes()` over the ones `PAYMENT_GATEWAYS` enables.

action = gateway_get("dummy").payment_start(order=order, request=request)
# action.type == "redirect" -> send the payer to action.redirect_url
# action.type == "client_secret" -> confirm with Stripe.js / the mobile SDK
"""

from __future__ import annotations

from django.conf import settings

from ..errors import PaymentGatewayUnknown
from .base import PaymentAction, PaymentGateway
from .dummy import DummyGateway
from .stripe import StripeGateway

__all__ = ["PaymentAction", "PaymentGateway", "gateway_codes", "gateway_get"]

_REGISTRY: dict[str, type[PaymentGateway]] = {DummyGateway.code: DummyGateway, StripeGateway.code: StripeGateway}


def gateway_codes() -> list[str]:
    """The codes of the gateways offered, in the order of `PAYMENT_GATEWAYS`."""
    return [code for code in settings.PAYMENT_GATEWAYS if code in _REGISTRY]


def gateway_get(code: str) -> PaymentGateway:
    """The enabled gateway named `code`, or `PaymentGatewayUnknown`."""
    if code not in gateway_codes():
        raise PaymentGatewayUnknown(f"'{code}' is not an offered payment method.")
    return _REGISTRY[code]()
