"""Reads on payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .gateways import gateway_name


@dataclass(frozen=True)
class PaymentReceived:
    amount: Decimal
    gateway: str  # the gateway's name, as the shopper chose it


def payments_received(*, order) -> list[PaymentReceived]:
    """The money taken for `order`, one entry per payment source, named as the payment step named it."""
    payments = []
    for source in order.sources.select_related("source_type").order_by("pk"):
        payments.append(PaymentReceived(amount=source.amount_debited, gateway=gateway_name(source.source_type.name)))
    return payments
