"""Product image renditions made when an image is written, not when a shopper first sees it (ADR 58).

Every rendition pages, the API and staff screens show (`catalogue.selectors.PRODUCT_IMAGE_RENDITIONS`)
is made here, through the same thumbnailer and with the same sizes and options as the readers ask for,
so a reader later finds sorl-thumbnail's entry and makes nothing. Two ways in:

- **Saved images** (the admin, the staff API, the variant grid: anything that sends `post_save`): the
  catalogue's receiver calls `product_image_renditions_schedule` in the saving transaction; an outbox
  message (ADR 24) makes them after commit, in the worker.
- **Rows written without signals** (`seed_demo`, `bulk_create`, raw SQL, fixtures): their
  `renditions_made_at` is null; `product_image_renditions_catch_up`, every minute, makes those of a
  bounded batch of them.

A reader never depends on either: a rendition that is missing is made in the request, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from catalogue.selectors import PRODUCT_IMAGE_RENDITIONS
from sideeffects.services import outbox_message_add

logger = logging.getLogger("catalogue.image_renditions")
ProductImage = get_model("catalogue", "ProductImage")

RENDITIONS_TOPIC = "catalogue.image_renditions"
#: A catch-up run (one a minute) handles at most this many images, and takes no new one after this many
#: seconds, so runs do not overlap (a 1600x1200 photo's renditions took ~0.3-0.5 s here).
CATCH_UP_BATCH = 100
CATCH_UP_SECONDS = 40
MISSING = "original missing"
UNREADABLE = "original unreadable"


def product_image_renditions_schedule(*, image_ids: Iterable[int]) -> None:
    """Make the renditions of these images after the current transaction commits, in the worker (an
    outbox message). Call inside the transaction that writes the images; outside one, the message is
    written in a transaction of its own (the images' rows, already committed, are caught up anyway)."""
    ids = sorted({int(pk) for pk in image_ids})
    if not ids:
        return
    with transaction.atomic():
        outbox_message_add(topic=RENDITIONS_TOPIC, payload={"image_ids": ids})


def product_image_renditions_make(*, image_ids: Iterable[int]) -> dict[str, int]:
    """Make every rendition of these images (those that still exist) and mark them: `renditions_made_at`
    now, `renditions_error` empty, or why they cannot be made (the original is missing or unreadable:
    logged, marked, not tried again until the image is saved). A rendition sorl already knows is not
    made again. Returns how many images were made and how many failed."""
    return _make_and_mark(ProductImage.objects.filter(pk__in=list(image_ids)).order_by("pk"))


def product_image_renditions_catch_up(
    *, limit: int = CATCH_UP_BATCH, seconds: float = CATCH_UP_SECONDS
) -> dict[str, int]:
    """Make the renditions of images whose renditions are not made yet (rows written without signals),
    oldest first: at most `limit`, and no new one after `seconds`. Each image is marked when done, so a
    run that dies loses only the image in hand, and the next run goes on from there."""
    due = ProductImage.objects.filter(renditions_made_at__isnull=True).order_by("pk")[:limit]
    return _make_and_mark(due, until=time.monotonic() + seconds)


def _make_and_mark(images, *, until: float | None = None) -> dict[str, int]:
    made = failed = 0
    for image in images:
        if until is not None and time.monotonic() >= until:
            break
        error = _renditions_make(image)
        # Marked only if the row still holds the file just handled: a new file saved meanwhile has its
        # own message, and stays "not yet" until that message makes its renditions.
        ProductImage.objects.filter(pk=image.pk, original=image.original.name).update(
            renditions_made_at=timezone.now(), renditions_error=error
        )
        if error:
            failed += 1
        else:
            made += 1
    return {"made": made, "failed": failed}


def _renditions_make(image) -> str:
    """Make the image's renditions; "" when all are there, else why not (logged)."""
    original = image.original
    if not original.name or not original.storage.exists(original.name):
        logger.warning("product image %s: %s (%r); its renditions are not made", image.pk, MISSING, original.name)
        return MISSING
    thumbnailer = get_thumbnailer()
    for rendition in PRODUCT_IMAGE_RENDITIONS:
        try:
            thumbnail = thumbnailer.generate_thumbnail(original, size=rendition.geometry, **rendition.options)
        except Exception:  # noqa: BLE001 - one broken image must not stop the others (or retry for ever)
            logger.warning("product image %s: %s (%r)", image.pk, UNREADABLE, original.name, exc_info=True)
            return UNREADABLE
        if not getattr(thumbnail, "size", None):  # sorl logs the failure and answers a file never written
            logger.warning("product image %s: %s (%r)", image.pk, UNREADABLE, original.name)
            return UNREADABLE
    return ""
