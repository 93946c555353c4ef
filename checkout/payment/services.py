"""Writes on payments: attempts, the one way an order becomes paid, failures, refunds.

`payment_confirm` is the only place an order moves to "Paid". It runs under the order's row lock (the
same lock as `order.services.order_status_set` and the unpaid-order expiry) and on the attempt's row,
so a webhook, a return callback and a retry of either, in any order and at the same moment, record the
payment once. The amount and currency paid must equal the attempt's, which equal the order's total.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify
from oscar.core.loading import get_model

from apibase.money import money_round
from checkout.invoices.services import credit_note_issue
from checkout.metrics import PAYMENTS
from checkout.order.events import order_event_publish, order_refund_data
from checkout.order.notifications import order_notifications_add
from checkout.order.services import order_lock, order_status_set
from checkout.order.statuses import PAID, REFUNDED, can_be_paid, can_move
from eventhooks.events import ORDER_REFUNDED

from .errors import RefundError
from .gateways import gateway_get, gateway_of_payment
from .gateways.stripe import StripeGateway, amount_from_minor
from .models import PaymentAttempt
from .selectors import REFUNDED_EVENT, line_refund_amount

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Transaction = get_model("payment", "Transaction")

PAID_EVENT = "Paid"


def payment_start(*, order, gateway_code: str, request=None):
    """Start paying `order` with the gateway `gateway_code`; returns a `PaymentAction`. The gateway records
    the attempt (`attempts.payment_attempt_create`)."""
    return gateway_get(gateway_code).payment_start(order=order, request=request)


def _event_type(name: str):
    event_type, _ = PaymentEventType.objects.get_or_create(name=name)
    return event_type


def _source_type(gateway: str):
    """The gateway's `SourceType`, found by its unique code: two first payments at once create one row (the
    loser's insert fails on the unique code and it reads the winner's). Oscar's `name` is not unique, so
    `get_or_create(name=...)` made two "dummy" rows under concurrency, and every later payment failed."""
    source_type, _ = SourceType.objects.get_or_create(code=slugify(gateway), defaults={"name": gateway})
    return source_type


def _note(order, message: str) -> None:
    OrderNote.objects.create(order=order, note_type="System", message=message)


def payment_confirm(*, attempt: PaymentAttempt, amount: Decimal, currency: str, by=None) -> str:
    """Record that the gateway verifiably took `amount` `currency` for `attempt`, and mark the order
    paid - once. Returns the outcome:

    - "paid": the order moved from "Pending payment" to "Paid";
    - "duplicate": this attempt was already recorded (a replayed webhook, callback after webhook, ...);
    - "mismatch": amount or currency differ from the attempt's; nothing is marked paid, a note is left;
    - "late": money was taken but the order is no longer waiting (cancelled by the expiry meanwhile,
      or paid by another attempt); the payment is recorded and a note asks staff to refund it.
    """
    outcome = _payment_confirm(attempt=attempt, amount=amount, currency=currency, by=by)
    gateway = attempt.gateway
    transaction.on_commit(lambda: PAYMENTS.labels(gateway=gateway, outcome=outcome).inc())
    return outcome


def _payment_confirm(*, attempt: PaymentAttempt, amount: Decimal, currency: str, by) -> str:
    currency = currency.upper()
    amount = money_round(Decimal(amount))
    with transaction.atomic():
        order = order_lock(order=attempt.order)
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status == PaymentAttempt.Status.SUCCEEDED:
            return "duplicate"
        if amount != attempt.amount or currency != attempt.currency.upper():
            attempt.status = PaymentAttempt.Status.FAILED
            attempt.failure_reason = f"paid {amount} {currency}, expected {attempt.amount} {attempt.currency}"
            attempt.save(update_fields=["status", "failure_reason", "updated_at"])
            _note(order, f"Payment {attempt.reference} refused: {attempt.failure_reason}.")
            return "mismatch"
        attempt.status = PaymentAttempt.Status.SUCCEEDED
        attempt.failure_reason = ""
        attempt.save(update_fields=["status", "failure_reason", "updated_at"])
        source_type = _source_type(attempt.gateway)
        source = Source.objects.create(
            order=order,
            source_type=source_type,
            currency=currency,
            amount_allocated=amount,
            amount_debited=amount,
            reference=attempt.reference,
            label=attempt.gateway,
        )
        Transaction.objects.create(
            source=source, txn_type=Transaction.DEBIT, amount=amount, reference=attempt.reference, status="succeeded"
        )
        event = PaymentEvent.objects.create(
            order=order, amount=amount, reference=attempt.reference, event_type=_event_type(PAID_EVENT)
        )
        for line in order.lines.all():
            PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
        if not can_be_paid(order.status):
            _note(order, f"Payment {attempt.reference} of {amount} {currency} arrived while the order was "
                         f"'{order.status}': refund it.")  # fmt: skip
            return "late"
        order_status_set(order=order, status=PAID, by=by, note=f"{attempt.gateway} {attempt.reference}")
    return "paid"


def payment_fail(*, attempt: PaymentAttempt, reason: str) -> bool:
    """Mark a started attempt failed (declined, abandoned). The order stays waiting for payment, so the
    customer can try again. Returns False when the attempt had already ended."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != PaymentAttempt.Status.STARTED:
            return False
        attempt.status = PaymentAttempt.Status.FAILED
        attempt.failure_reason = reason[:255]
        attempt.save(update_fields=["status", "failure_reason", "updated_at"])
        gateway = attempt.gateway
        transaction.on_commit(lambda: PAYMENTS.labels(gateway=gateway, outcome="failed").inc())
    return True


def payment_attempt_sync(*, attempt: PaymentAttempt) -> str:
    """Ask the gateway (server-side, with our secret key) how a Stripe attempt ended and record it:
    the return-URL callback uses this, so it never trusts what the browser says."""
    if attempt.gateway != StripeGateway.code:
        return attempt.status
    intent = StripeGateway().intent_fetch(reference=attempt.reference)
    if intent.status == "succeeded":
        currency = intent.currency.upper()
        return payment_confirm(
            attempt=attempt, amount=amount_from_minor(intent.amount_received, currency), currency=currency
        )
    if intent.status == "canceled" or (intent.status == "requires_payment_method" and intent.last_payment_error):
        payment_fail(attempt=attempt, reason=f"stripe: {intent.status}")
        return "failed"
    return "pending"


# Refunds ------------------------------------------------------------------------------------------


def order_refundable_amount(*, order) -> Decimal:
    totals = Source.objects.filter(order=order).aggregate(
        debited=Sum("amount_debited"), refunded=Sum("amount_refunded")
    )
    return money_round((totals["debited"] or Decimal(0)) - (totals["refunded"] or Decimal(0)))


def order_refund(
    *,
    order,
    amount: Decimal | None = None,
    lines: dict[int, int] | None = None,
    by=None,
    reason: str = "",
    notify: bool = True,
):
    """Give money back through the gateway that took it, and record it as a "Refunded" payment event.

    - `lines` ({line id: quantity}): refund those units at the price paid for them (after discounts);
      a unit is refunded at most once.
    - `amount`: refund this sum (not tied to lines).
    - neither: refund everything not yet refunded.

    When nothing is left to refund, a paid order moves to "Refunded". The customer is told of every
    refund (email, and SMS when they have a phone) through the outbox, in this transaction - unless
    `notify` is False: a caller that tells the customer itself (a return's "refunded" email, which
    carries the credit note) sends one message, not two. Raises
    `RefundError` when the refund is impossible (nothing paid, too much, unknown or over-refunded lines).
    """
    refunded_type = _event_type(REFUNDED_EVENT)
    with transaction.atomic():
        order = order_lock(order=order)
        available = order_refundable_amount(order=order)
        if available <= 0:
            raise RefundError(f"Nothing is left to refund on order {order.number}.", code="refund_nothing_left")
        quantities: dict = {}
        if lines:
            by_id = {line.pk: line for line in order.lines.all()}
            total = Decimal(0)
            for line_id, quantity in lines.items():
                line = by_id.get(int(line_id))
                if line is None:
                    raise RefundError(f"Line {line_id} is not on order {order.number}.", code="refund_line_unknown")
                if quantity < 1 or not line.is_payment_event_permitted(refunded_type, quantity):
                    raise RefundError(
                        f"Line {line_id} cannot have {quantity} more unit(s) refunded.", code="refund_line_quantity"
                    )
                quantities[line] = quantity
                already = line.payment_event_quantity(refunded_type)
                total += line_refund_amount(line, already=already, quantity=quantity)
            amount = min(total, available) if amount is None else amount
        elif amount is None:
            amount = available
            for line in order.lines.all():
                remaining = line.quantity - line.payment_event_quantity(refunded_type)
                if remaining > 0:
                    quantities[line] = remaining
        amount = money_round(Decimal(amount))
        if amount <= 0:
            raise RefundError("A refund must be more than zero.", code="refund_amount_invalid")
        if amount > available:
            raise RefundError(f"At most {available} {order.currency} can be refunded.", code="refund_too_much")

        references = []
        left = amount
        sequence = PaymentEvent.objects.filter(order=order, event_type=refunded_type).count() + 1
        for source in Source.objects.filter(order=order).order_by("pk"):
            part = min(left, source.amount_debited - source.amount_refunded)
            if part <= 0:
                continue
            attempt = PaymentAttempt.objects.filter(
                order=order, reference=source.reference, status=PaymentAttempt.Status.SUCCEEDED
            ).first()
            gateway = _gateway_for(attempt)
            reference = gateway.refund_create(
                order=order,
                attempt=attempt,
                amount=part,
                idempotency_key=f"hypex-refund-{order.pk}-{sequence}-{source.pk}",
            )
            source.refund(part, reference=reference, status="succeeded")
            references.append(reference)
            left -= part
            if left <= 0:
                break
        event = PaymentEvent.objects.create(
            order=order, amount=amount, reference=", ".join(references)[:128], event_type=refunded_type
        )
        for line, quantity in quantities.items():
            PaymentEventQuantity.objects.create(event=event, line=line, quantity=quantity)
        # each refund gets its numbered credit note, in this transaction (ADR 0045)
        credit_note_issue(refund=event)
        # the customer hears of every refund: written to the outbox in this transaction (ADR 0024)
        if notify:
            order_notifications_add(order_id=order.pk, kind="refund", reference=str(event.pk))
        who = getattr(by, "email", None) or "system"
        _note(order, f"Refunded {amount} {order.currency} by {who}" + (f": {reason}" if reason else "."))
        if order_refundable_amount(order=order) <= 0 and can_move(order.status, REFUNDED):
            order_status_set(order=order, status=REFUNDED, by=by, note=reason)
        # the merchant's apps hear of every refund too (ADR 0048)
        order_event_publish(
            order=order,
            event=ORDER_REFUNDED,
            extra=order_refund_data(order=order, payment_event=event, quantities=quantities, reason=reason),
        )
    return event


def _gateway_for(attempt):
    gateway = gateway_of_payment(attempt.gateway) if attempt is not None else None
    if gateway is None:
        raise RefundError("The payment to refund was not made through a known gateway.", code="refund_no_gateway")
    return gateway
