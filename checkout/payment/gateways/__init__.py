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

__all__ = ["PaymentAction", "PaymentGateway", "gateway_codes", "gateway_get", "gateway_name", "gateway_of_payment"]

_REGISTRY: dict[str, type[PaymentGateway]] = {DummyGateway.code: DummyGateway, StripeGateway.code: StripeGateway}


def gateway_codes() -> list[str]:
    """The codes of the gateways offered, in the order of `PAYMENT_GATEWAYS`. `dummy` only while
    `PAYMENT_DUMMY_GATEWAY_ENABLED` is on: it approves orders without payment (docs/adr/0013)."""
    return [
        code
        for code in settings.PAYMENT_GATEWAYS
        if code in _REGISTRY and (code != DummyGateway.code or settings.PAYMENT_DUMMY_GATEWAY_ENABLED)
    ]


def gateway_get(code: str) -> PaymentGateway:
    """The enabled gateway named `code`, or `PaymentGatewayUnknown`."""
    if code not in gateway_codes():
        raise PaymentGatewayUnknown(f"'{code}' is not an offered payment method.")
    return _REGISTRY[code]()


def gateway_name(code: str) -> str:
    """The name shoppers know the gateway `code` by (enabled or not, for past payments); else the code."""
    gateway = _REGISTRY.get(code)
    return gateway.name if gateway else code


def gateway_of_payment(code: str) -> PaymentGateway | None:
    """The gateway a past payment went through (offered now or not: refunds go back the same way), or
    None when no gateway has the code `code`."""
    gateway = _REGISTRY.get(code)
    return gateway() if gateway else None
