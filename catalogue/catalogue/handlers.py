"""Outbox handlers of the catalogue (ADR 24): a saved product image's renditions, made after commit in
the worker (`catalogue.image_renditions`). Short work: it runs in the delivery's transaction, and the
image's mark commits with the "delivered" mark."""

from catalogue.image_renditions import RENDITIONS_TOPIC, product_image_renditions_make
from sideeffects.registry import outbox_handler


@outbox_handler(RENDITIONS_TOPIC)
def product_image_renditions(*, image_ids: list[int]) -> None:
    product_image_renditions_make(image_ids=image_ids)
