"""Reads on payments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from oscar.core.loading import get_model

from apibase.money import Money, money_round

from .gateways import gateway_name
from .refund_prices import line_refund_amount

Source = get_model("payment", "Source")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

#: the payment event type a refund is recorded as (`services.order_refund`)
REFUNDED_EVENT = "Refunded"


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


@dataclass(frozen=True)
class LineRefundState:
    line: object
    paid: Money
    refunded_units: int
    refunded: Money
    refundable_units: int
    refundable: Money


@dataclass(frozen=True)
class RefundState:
    """What was paid for an order, what was refunded so far and what can still be refunded, in total and
    per line, in the order's currency (what the refund form shows)."""

    paid: Money
    refunded: Money
    refundable: Money
    lines: tuple[LineRefundState, ...]


def _money(currency: str, amount: Decimal) -> Money:
    return Money(currency=currency, excl_tax=None, incl_tax=money_round(amount))


def order_refund_state(*, order) -> RefundState:
    """The refund form's figures; a fixed number of queries whatever the number of lines. Totals come
    from the payment sources (what the gateways took and gave back); lines from the "Refunded" payment
    events' quantities, priced as `order_refund` prices them."""
    totals = Source.objects.filter(order=order).aggregate(
        debited=Sum("amount_debited"), refunded=Sum("amount_refunded")
    )
    debited, refunded = totals["debited"] or Decimal(0), totals["refunded"] or Decimal(0)
    units = dict(
        PaymentEventQuantity.objects.filter(event__order=order, event__event_type__name=REFUNDED_EVENT)
        .values_list("line_id")
        .annotate(units=Sum("quantity"))
    )
    lines = []
    for line in order.lines.order_by("pk"):
        done = min(units.get(line.pk, 0), line.quantity)
        left = line.quantity - done
        lines.append(
            LineRefundState(
                line=line,
                paid=_money(order.currency, line.line_price_incl_tax),
                refunded_units=done,
                refunded=_money(order.currency, line_refund_amount(line, already=0, quantity=done)),
                refundable_units=left,
                refundable=_money(order.currency, line_refund_amount(line, already=done, quantity=left)),
            )
        )
    return RefundState(
        paid=_money(order.currency, debited),
        refunded=_money(order.currency, refunded),
        refundable=_money(order.currency, debited - refunded),
        lines=tuple(lines),
    )
