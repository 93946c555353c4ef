"""Deployment checks and start-up notices for payments (docs/adr/0013).

- `hypex.E001` (`check --deploy`): the dummy gateway is offered; anyone can approve their own order.
- `hypex.E002` (`check --deploy`): no working gateway is offered; nobody can pay.
While the dummy gateway is offered with DEBUG off, start-up logs a warning and `/readyz` lists it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.checks import Error, register

from .gateways import gateway_codes

logger = logging.getLogger("checkout.payment")

DUMMY_WARNING = (
    "The dummy payment gateway is enabled (PAYMENT_DUMMY_GATEWAY_ENABLED): anyone can approve their own "
    "order without paying at /payments/dummy/<token>/. Never enable it on a shop that takes real orders."
)


def payment_gateways_working() -> list[str]:
    """The offered gateways that can take a payment (Stripe only with its secret key)."""
    return [code for code in gateway_codes() if code != "stripe" or settings.STRIPE_SECRET_KEY]


def dummy_gateway_notice() -> str | None:
    """The warning to show operators, or None. Silent with DEBUG on (a developer's machine)."""
    if "dummy" in gateway_codes() and not settings.DEBUG:
        return DUMMY_WARNING
    return None


@register("payments", deploy=True)
def check_payment_gateways(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    if "dummy" in gateway_codes():
        errors.append(
            Error(
                "The dummy payment gateway is enabled: orders can be approved without payment.",
                hint="Unset PAYMENT_DUMMY_GATEWAY_ENABLED (and remove 'dummy' from PAYMENT_GATEWAYS).",
                id="hypex.E001",
            )
        )
    if not payment_gateways_working():
        errors.append(
            Error(
                "No payment gateway is offered: checkout cannot take payment.",
                hint="Set STRIPE_SECRET_KEY (and STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET).",
                id="hypex.E002",
            )
        )
    return errors
