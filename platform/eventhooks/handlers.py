"""Outbox handlers of the webhooks app (ADR 0024, ADR 0048): registered when the app is ready."""

from sideeffects.registry import outbox_handler

from . import delivery, notifications
from .services import DELIVER_TOPIC


@outbox_handler(DELIVER_TOPIC, atomic=False)
def webhook_deliver(*, delivery_id: int) -> None:
    """The kick after commit: attempt the delivery once. A failed POST is not an outbox failure: the
    delivery keeps its own back-off, which the periodic retry follows (`tasks.webhook_deliveries_retry`).
    Not atomic: no transaction is held while the endpoint answers."""
    delivery.webhook_delivery_attempt(delivery_id=delivery_id)


@outbox_handler(delivery.DISABLED_EMAIL_TOPIC)
def webhook_endpoint_disabled_email(*, endpoint_id: int) -> None:
    notifications.webhook_endpoint_disabled_email_send(endpoint_id=endpoint_id)
