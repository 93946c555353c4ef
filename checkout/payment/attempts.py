"""Payment attempts: one try to pay an order's full total through one gateway. A gateway opens one when it
starts (`gateways/`); `services.payment_confirm` and `payment_fail` close it. Below both, so the gateways
and the services that drive them never import each other (ADR 0040).
"""

from __future__ import annotations

from django.db import transaction

from checkout.order.services import order_lock
from checkout.order.statuses import can_be_paid

from .errors import PaymentNotPayable
from .models import PaymentAttempt


def payment_attempt_create(*, order, gateway: str, token: str | None = None, reference: str = "") -> PaymentAttempt:
    """Record a new attempt for the order's full total. Only for an order waiting for payment.
    `token`/`reference`: when the gateway knows them before the attempt is written."""
    with transaction.atomic():
        locked = order_lock(order=order)
        if not can_be_paid(locked.status):
            raise PaymentNotPayable(f"Order {locked.number} is '{locked.status}', not waiting for payment.")
        attempt = PaymentAttempt(
            order=locked, gateway=gateway, amount=locked.total_incl_tax, currency=locked.currency, reference=reference
        )
        if token:
            attempt.token = token
        attempt.save()
        return attempt
