"""The dummy gateway: a hosted payment page on our own site where the payer approves or declines.

For development, demos and tests. It moves no money, but it goes through the same path as a real
gateway: an attempt is recorded, the payer answers on the page (`payment:dummy-page`), and the answer
is handed to `payment.services.payment_confirm` / `payment_fail`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.urls import reverse

from ..attempts import payment_attempt_create
from ..models import PaymentAttempt, attempt_token_new
from .base import PaymentAction, PaymentGateway


class DummyGateway(PaymentGateway):
    code = "dummy"
    name = "Test payment (no money moves)"
    description = "You go to our test payment page and approve or decline the payment there. No money moves."

    def payment_start(self, *, order, request) -> PaymentAction:
        token = attempt_token_new()
        attempt = payment_attempt_create(order=order, gateway=self.code, token=token, reference=f"dummy_{token[:16]}")
        path = reverse("payment-dummy-page", kwargs={"token": attempt.token})
        url = request.build_absolute_uri(path) if request is not None else path
        return PaymentAction(gateway=self.code, type="redirect", redirect_url=url, attempt_token=attempt.token)

    def refund_create(self, *, order, attempt: PaymentAttempt, amount: Decimal, idempotency_key: str) -> str:
        return f"dummy_re_{uuid.uuid5(uuid.NAMESPACE_URL, idempotency_key).hex[:16]}"
