"""Outbox handlers of back-in-stock alerts (ADR 0024, 0046): registered when the app is ready."""

from catalogue.partner.stock_transitions import STOCK_BACK_IN_STOCK_TOPIC
from sideeffects.registry import outbox_handler

from . import services


@outbox_handler(STOCK_BACK_IN_STOCK_TOPIC)
def stock_back_in_stock(*, product_id: int, stockrecord_id: int) -> None:
    """A stock record came back: mail the first batch of the product's (and its parent's) subscribers;
    the periodic sender takes the rest."""
    product = services.Product.objects.filter(pk=product_id).values_list("pk", "parent_id").first()
    if product is not None:
        services.product_alerts_send(product_ids=[pk for pk in product if pk])


@outbox_handler(services.ALERT_MAIL_TOPIC)
def product_alert_mail(*, alert_id: int, base_url: str = "") -> None:
    services.product_alert_mail_send(alert_id=alert_id, base_url=base_url)


@outbox_handler(services.CONFIRM_MAIL_TOPIC)
def product_alert_confirm_mail(*, alert_id: int, base_url: str = "") -> None:
    services.product_alert_confirmation_send(alert_id=alert_id, base_url=base_url)
