"""Outbox handlers of the order domain (ADR 0024): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import notifications


@outbox_handler(notifications.TOPIC)
def order_notify(*, order_id: int, kind: str, reference: str = "", channel: str = "email", base_url: str = "") -> None:
    """Tell the customer about their order on one channel; sends at most once (OrderNotification).
    `base_url`: the address the shop was served from when the message was scheduled (ADR 0031)."""
    notifications.order_notification_send(
        order_id=order_id, kind=kind, reference=reference, channel=channel, base_url=base_url
    )
