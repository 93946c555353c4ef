"""Writes on orders: status changes, cancellation, notes, shipping events. Keyword-only, typed,
named <entity>_<action>.

Every status change goes through `order_status_set`, which holds a row lock on the order (SELECT ... FOR
UPDATE) while it checks the pipeline (`OSCAR_ORDER_STATUS_PIPELINE`) and records who changed it and why.
Payment (checkout.payment.services) and the unpaid-order expiry take the same lock, so a payment and a
cancellation of one order never interleave.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from checkout.invoices.services import invoice_issue
from eventhooks.events import ORDER_CANCELLED, ORDER_PAID, ORDER_SHIPPED

from .errors import OrderStatusError, ShippingEventError
from .events import order_event_publish, order_shipping_events_data
from .notifications import order_notifications_add
from .statuses import CANCELLED, PAID, PIPELINE, PROCESSING, SHIPPED, can_be_paid, can_move, can_ship

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
OrderStatusChange = get_model("order", "OrderStatusChange")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")
ConditionalOffer = get_model("offer", "ConditionalOffer")
StockRecord = get_model("partner", "StockRecord")


def order_lock(*, order) -> Order:
    """Return a fresh copy of `order` holding its row lock. Call inside transaction.atomic()."""
    return Order.objects.select_for_update().get(pk=order.pk)


def _sync(target, source) -> None:
    """Let the caller's instance see what was written through the locked copy."""
    target.status = source.status


def order_status_set(*, order, status: str, by=None, note: str = "") -> Order:
    """Move `order` to `status` if the pipeline allows it from its current status, else raise
    `OrderStatusError`. Locks the order row; records an `OrderStatusChange` with `by` (None = the
    system) and `note`; cascades the status to the lines. Returns the locked, updated order and
    updates the given instance's `status` too."""
    with transaction.atomic():
        locked = order_lock(order=order)
        old_status = locked.status
        allowed = PIPELINE.get(old_status, ())
        if not can_move(old_status, status):
            raise OrderStatusError(
                f"Order {locked.number} cannot go from '{old_status}' to '{status}'."
                + (f" Allowed: {', '.join(allowed)}." if allowed else " It is final.")
            )
        locked.status = status
        locked.save(update_fields=["status"])
        line_status = locked.cascade.get(status)
        if line_status:
            locked.lines.update(status=line_status)
        OrderStatusChange.objects.create(
            order=locked,
            old_status=old_status,
            new_status=status,
            changed_by=by if by is not None and by.is_authenticated else None,
            note=note,
        )
        order_status_changed.send(sender=locked, order=locked, old_status=old_status, new_status=status)
        if status == PAID:
            # the invoice is numbered in this transaction, before the paid email that attaches it (ADR 0045)
            invoice_issue(order=locked)
            order_notifications_add(order_id=locked.pk, kind="payment")
            order_event_publish(order=locked, event=ORDER_PAID)
        elif status == CANCELLED:
            order_notifications_add(order_id=locked.pk, kind="cancellation")
            order_event_publish(order=locked, event=ORDER_CANCELLED, extra={"reason": note})
        elif status == SHIPPED:
            order_event_publish(
                order=locked, event=ORDER_SHIPPED, extra=lambda: order_shipping_events_data(order=locked)
            )
    _sync(order, locked)
    return locked


def _release_vouchers_and_offers(*, order) -> None:
    for discount in order.discounts.all():
        if discount.voucher_id:
            removed, _ = VoucherApplication.objects.filter(voucher_id=discount.voucher_id, order=order).delete()
            if removed:
                Voucher.objects.filter(pk=discount.voucher_id).update(
                    num_orders=Greatest(F("num_orders") - 1, 0),
                    total_discount=Greatest(F("total_discount") - discount.amount, 0),
                )
        if discount.offer_id:
            ConditionalOffer.objects.filter(pk=discount.offer_id).update(
                num_applications=Greatest(F("num_applications") - discount.frequency, 0),
                num_orders=Greatest(F("num_orders") - 1, 0),
                total_discount=Greatest(F("total_discount") - discount.amount, 0),
            )


def _lock_in_placement_order(*, order) -> None:
    voucher_ids = order.discounts.exclude(voucher_id=None).values_list("voucher_id", flat=True)
    list(Voucher.objects.select_for_update().filter(pk__in=list(voucher_ids)).order_by("pk").values_list("pk"))
    record_ids = order.lines.exclude(stockrecord_id=None).values_list("stockrecord_id", flat=True)
    list(StockRecord.objects.select_for_update().filter(pk__in=list(record_ids)).order_by("pk").values_list("pk"))


def order_cancel(*, order, by=None, reason: str = "") -> Order:
    """Cancel `order` (only from a status whose pipeline allows "Cancelled", else `OrderStatusError`):
    release each line's stock allocation (Oscar's `Line.cancel_allocation`, which also releases the
    stock record) and the usage of vouchers and offers, then record the change. Money already taken is
    not refunded here: use `payment.services.order_refund`.

    Row locks follow placement's order (ADR 0010): the order, then its vouchers by id, then all its
    stock records by id, before anything is released; offers last."""
    with transaction.atomic():
        locked = order_lock(order=order)
        if not can_move(locked.status, CANCELLED):
            raise OrderStatusError(f"Order {locked.number} cannot be cancelled while '{locked.status}'.")
        _lock_in_placement_order(order=locked)
        for line in locked.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"):
            if line.num_allocated and not line.allocation_cancelled:
                line.cancel_allocation(line.num_allocated)
        _release_vouchers_and_offers(order=locked)
        locked = order_status_set(order=locked, status=CANCELLED, by=by, note=reason)
    _sync(order, locked)
    return locked


def order_cancel_if_unpaid(*, order_id: int, reason: str = "Not paid in time.") -> bool:
    """Cancel the order if, under its row lock, it is still waiting for payment. Safe to run twice and
    against a payment arriving at the same moment: whichever takes the lock first wins, the other sees
    the new status. Returns True if it cancelled the order."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or not can_be_paid(order.status):
            return False
        order_cancel(order=order, by=None, reason=reason)
    return True


def order_note_add(*, order, message: str, by=None, note_type: str = "Info"):
    """Add a staff note to the order (shown in the admin timeline)."""
    message = message.strip()
    if not message:
        raise OrderStatusError("A note needs some text.", code="order_note_empty")
    return OrderNote.objects.create(
        order=order, user=by if by is not None and by.is_authenticated else None, message=message, note_type=note_type
    )


def order_shipping_event_add(
    *, order, carrier: str, tracking_number: str, by=None, event_name: str = "Shipped", notes: str = ""
):
    """Record that the order's lines left with `carrier` under `tracking_number`, move the order to
    Shipped (through Processing when it is only Paid) and tell the customer. Only for paid orders."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise ShippingEventError("Carrier and tracking number are both required.", code="shipping_event_incomplete")
    with transaction.atomic():
        locked = order_lock(order=order)
        if not can_ship(locked.status):
            raise ShippingEventError(f"Order {locked.number} is '{locked.status}'; only paid orders ship.")
        event_type, _ = ShippingEventType.objects.get_or_create(name=event_name)
        event = ShippingEvent.objects.create(
            order=locked,
            event_type=event_type,
            carrier=carrier,
            tracking_number=tracking_number,
            notes=notes,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        for line in locked.lines.all():
            remaining = line.quantity - line.shipping_event_quantity(event_type)
            if remaining > 0:  # a second event (a re-sent parcel) records only its carrier and number
                ShippingEventQuantity.objects.create(event=event, line=line, quantity=remaining)
        if locked.status == PAID:
            locked = order_status_set(order=locked, status=PROCESSING, by=by, note="Shipping started.")
        if locked.status == PROCESSING:
            locked = order_status_set(order=locked, status=SHIPPED, by=by, note=f"{carrier} {tracking_number}")
        order_notifications_add(order_id=locked.pk, kind="shipping", reference=str(event.pk))
    _sync(order, locked)
    return event
