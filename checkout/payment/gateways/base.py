"""The gateway interface every payment provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class PaymentAction:
    """What the client does next to pay: follow `redirect_url` (a hosted page), or confirm the payment
    in the browser/app with `client_secret` (Stripe Elements / mobile SDK)."""

    gateway: str
    type: Literal["redirect", "client_secret"]
    redirect_url: str = ""
    client_secret: str = ""
    attempt_token: str = ""


class PaymentGateway:
    """A payment provider. Subclasses set `code` and `name` and implement the two calls below.

    The order is marked paid only by `payment.services.payment_confirm`, called when the provider's
    verified answer (our own pay page's POST, a signed webhook, or a server-side fetch) says so.
    """

    code: str = ""
    name: str = ""
    #: what the shopper is told on the payment step: what happens when they choose this gateway
    description: str = ""

    def payment_start(self, *, order, request) -> PaymentAction:
        """Begin paying `order` (status "Pending payment"); returns what the client must do next."""
        raise NotImplementedError

    def refund_create(self, *, order, attempt, amount: Decimal, idempotency_key: str) -> str:
        """Give `amount` back on a succeeded `attempt`; returns the provider's refund reference."""
        raise NotImplementedError
