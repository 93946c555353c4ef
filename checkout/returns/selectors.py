"""Reads on returns: the policy and reasons, what an order may still return and until when, an order's
or a customer's return requests, and what a return's refund comes to (docs/adr/0044)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from apibase.money import money_round
from checkout.order.statuses import DELIVERED
from checkout.payment.selectors import REFUNDED_EVENT, line_refund_amount

from .models import ReturnLine, ReturnPolicy, ReturnReason, ReturnRequest

OrderStatusChange = get_model("order", "OrderStatusChange")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

#: the requests that may still move (shown as open to the customer and staff)
OPEN_STATUSES = (ReturnRequest.Status.REQUESTED, ReturnRequest.Status.APPROVED, ReturnRequest.Status.RECEIVED)


def return_policy() -> ReturnPolicy:
    """The shop's return policy; an unsaved one with the defaults if the row is missing."""
    return ReturnPolicy.objects.order_by("pk").first() or ReturnPolicy()


def return_reasons_active() -> QuerySet:
    return ReturnReason.objects.filter(is_active=True).order_by("position", "pk")


def order_delivered_at(*, order) -> datetime | None:
    """When the order last became Delivered (its status history), or None if it never did."""
    change = (
        OrderStatusChange.objects.filter(order=order, new_status=DELIVERED).order_by("-date_created", "-pk").first()
    )
    if change is not None:
        return change.date_created
    return order.date_placed if order.status == DELIVERED else None


def order_return_deadline(*, order) -> datetime | None:
    """The last moment a return may be asked for: delivery plus the policy's window; None if not delivered."""
    delivered = order_delivered_at(order=order)
    if delivered is None:
        return None
    return delivered + timedelta(days=return_policy().window_days)


@dataclass(frozen=True)
class ReturnableLine:
    line: object
    returnable: int  # units that may still be asked for


def order_returnable_lines(*, order) -> list[ReturnableLine]:
    """Each line of the order with the units that may still be returned: bought, minus units in return
    requests not rejected, minus units refunded outside returns (a refund from the order screen)."""
    requested = dict(
        ReturnLine.objects.filter(order_line__order=order)
        .exclude(decision=ReturnLine.Decision.REJECTED)
        .values_list("order_line")
        .annotate(total=Sum("quantity"))
    )
    refunded_by_returns = dict(
        ReturnLine.objects.filter(
            order_line__order=order,
            decision=ReturnLine.Decision.APPROVED,
            request__status=ReturnRequest.Status.REFUNDED,
            request__refund_event__isnull=False,
        )
        .values_list("order_line")
        .annotate(total=Sum("quantity"))
    )
    refunded = dict(
        PaymentEventQuantity.objects.filter(line__order=order, event__event_type__name=REFUNDED_EVENT)
        .values_list("line")
        .annotate(total=Sum("quantity"))
    )
    result = []
    for line in order.lines.order_by("pk"):
        outside = max(0, refunded.get(line.pk, 0) - refunded_by_returns.get(line.pk, 0))
        left = line.quantity - requested.get(line.pk, 0) - outside
        result.append(ReturnableLine(line=line, returnable=max(0, left)))
    return result


@dataclass(frozen=True)
class ReturnEligibility:
    allowed: bool
    code: str  # "" when allowed; else why not (the error code the service raises)
    message: str
    deadline: datetime | None


def order_return_eligibility(*, order, now: datetime | None = None) -> ReturnEligibility:
    """May the customer ask to return something from `order` now? Delivered, inside the window, and
    with at least one unit left to return."""
    now = now or timezone.now()
    deadline = order_return_deadline(order=order)
    if order.status != DELIVERED or deadline is None:
        return ReturnEligibility(False, "return_order_not_delivered", "Only delivered orders can be returned.", None)
    if now > deadline:
        return ReturnEligibility(
            False, "return_window_closed", f"The return window closed on {deadline:%d %b %Y}.", deadline
        )
    if not any(item.returnable for item in order_returnable_lines(order=order)):
        return ReturnEligibility(False, "return_nothing_left", "Every item of this order is already in a return.",
                                 deadline)  # fmt: skip
    return ReturnEligibility(True, "", "", deadline)


def order_returns_overview(*, order) -> dict:
    """What the customer's returns view of an order needs: may they ask now, until when, the lines with
    units left, the accepted reasons and the order's requests."""
    eligibility = order_return_eligibility(order=order)
    return {
        "can_return": eligibility.allowed,
        "deadline": eligibility.deadline,
        "returnable_lines": [item for item in order_returnable_lines(order=order) if item.returnable],
        "reasons": return_reasons_active(),
        "returns": returns_of_order(order=order),
    }


def return_requests_queryset() -> QuerySet:
    return ReturnRequest.objects.select_related("order", "refund_event").prefetch_related(
        Prefetch("lines", queryset=ReturnLine.objects.select_related("order_line", "reason").order_by("pk"))
    )


def returns_of_order(*, order) -> QuerySet:
    return return_requests_queryset().filter(order=order).order_by("-created_at", "-pk")


def return_of_customer(*, user, return_id: int) -> ReturnRequest | None:
    """A return request on one of `user`'s orders; None for anybody else's (a 404, never a 403)."""
    return return_requests_queryset().filter(pk=return_id, order__user=user).first()


@dataclass(frozen=True)
class RefundQuote:
    """What refunding a return's approved lines comes to: the price paid for the units, the restocking
    fees kept, and what goes back to the customer, in the order's currency."""

    currency: str
    lines: dict[int, int]  # order line id -> units
    gross: Decimal
    fee: Decimal
    net: Decimal


def return_refund_quote(*, return_request) -> RefundQuote:
    lines = [line for line in return_request.lines.all() if line.decision == ReturnLine.Decision.APPROVED]
    already = dict(
        PaymentEventQuantity.objects.filter(
            line__in=[line.order_line_id for line in lines], event__event_type__name=REFUNDED_EVENT
        )
        .values_list("line")
        .annotate(total=Sum("quantity"))
    )
    gross = fee = Decimal("0.00")
    quantities: dict[int, int] = {}
    for line in lines:
        price = line_refund_amount(line.order_line, already=already.get(line.order_line_id, 0), quantity=line.quantity)
        gross += price
        fee += money_round(price * line.reason.restocking_fee_percent / Decimal(100))
        quantities[line.order_line_id] = quantities.get(line.order_line_id, 0) + line.quantity
    fee = min(fee, gross)
    return RefundQuote(
        currency=return_request.currency, lines=quantities, gross=gross, fee=fee, net=money_round(gross - fee)
    )
