"""Outbox handlers of the order domain (ADR 0024): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import notifications


@outbox_handler(notifications.TOPIC)
def order_notify(*, order_id: int, kind: str, reference: str = "", channel: str = "email") -> None:
    """Tell the customer about their order on one channel; sends at most once (OrderNotification)."""
    notifications.order_notification_send(order_id=order_id, kind=kind, reference=reference, channel=channel)
