"""Outbox handlers of returns (ADR 0024): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import notifications


@outbox_handler(notifications.TOPIC)
def return_notify(*, return_id: int, kind: str, base_url: str = "") -> None:
    """Email the customer about one step of their return; sends at most once (ReturnNotification)."""
    notifications.return_notification_send(return_id=return_id, kind=kind, base_url=base_url)
