"""Outbox handlers of the catalogue (ADR 24): a saved product image's renditions, made after commit in
the worker (`catalogue.image_renditions`). Registered `atomic=False`: reading and resizing a photo takes
up to seconds, and inside the delivery's transaction it would hold the message's row lock, and on SQLite
the database's write lock, all that time. The delivery claims the message instead; the image's mark is
written on its own, and making the renditions again is harmless."""

from catalogue.image_renditions import RENDITIONS_TOPIC, product_image_renditions_make
from sideeffects.registry import outbox_handler


@outbox_handler(RENDITIONS_TOPIC, atomic=False)
def product_image_renditions(*, image_ids: list[int]) -> None:
    product_image_renditions_make(image_ids=image_ids)
