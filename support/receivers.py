"""Side reactions: push a shopper's order status change to their open `ws/orders/` sockets, and a
basket's change to the console of the conversations watching it."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from . import events, proposal_services


@receiver(order_status_changed, dispatch_uid="support.push_order_status")
def push_order_status(sender, order, old_status, new_status, **kwargs) -> None:
    if not order.user_id:
        return
    payload = {"number": str(order.number), "old_status": old_status, "status": new_status}
    transaction.on_commit(
        lambda: events.broadcast(events.orders_group(order.user_id), {"type": "order.status", "order": payload})
    )


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
