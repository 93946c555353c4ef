"""Side reactions: push an order's status changes and shipping events to its open `ws/orders/` sockets
(its signed-in owner's, and those following that one order with its signed key), and a basket's
change to the console of the conversations watching it."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from checkout.order.selectors import order_live_payload

from . import events, proposal_services
from .models import ServiceLevel
from .sla import service_level_target

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")


@receiver(order_status_changed, dispatch_uid="support.push_order_status")
def push_order_status(sender, order, old_status, new_status, **kwargs) -> None:
    payload = {"number": str(order.number), "old_status": old_status, "status": new_status}
    transaction.on_commit(lambda: events.order_broadcast(order, {"type": "order.status", "order": payload}))


@receiver(post_save, sender=ShippingEvent, dispatch_uid="support.push_order_tracking")
def push_order_tracking(sender, instance, created, **kwargs) -> None:
    if not created:
        return
    order_id = instance.order_id

    def send() -> None:  # after commit: the event's lines, and the status it moved the order to, are stored
        order = Order.objects.filter(pk=order_id).first()
        if order is None:
            return
        events.order_broadcast(order, {"type": "order.tracking", "order": order_live_payload(order=order)})

    transaction.on_commit(send)


def _basket_changed(basket_id) -> None:
    if basket_id:
        transaction.on_commit(lambda: proposal_services.basket_changed_broadcast(basket_id=basket_id))


@receiver(post_save, sender=get_model("basket", "Line"), dispatch_uid="support.basket_line_saved")
@receiver(post_delete, sender=get_model("basket", "Line"), dispatch_uid="support.basket_line_deleted")
def push_basket_line_change(sender, instance, **kwargs) -> None:
    """Any basket line added, changed or removed (pages, the API, an accepted proposal): the console of
    an open conversation watching that basket sees the fresh basket (ADR 0049)."""
    _basket_changed(instance.basket_id)


@receiver(m2m_changed, sender=get_model("basket", "Basket").vouchers.through, dispatch_uid="support.basket_vouchers")
def push_basket_voucher_change(sender, instance, action, reverse, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        _basket_changed(instance.pk)


@receiver(post_save, sender=ServiceLevel, dispatch_uid="support.service_level_saved")
@receiver(post_delete, sender=ServiceLevel, dispatch_uid="support.service_level_deleted")
def forget_service_level(sender, **kwargs) -> None:
    """The service-level target is kept a few seconds per process (support.sla): this one sees a change at once."""
    service_level_target.forget()
