"""Background work of the catalogue app: periodic, safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from catalogue.image_renditions import product_image_renditions_catch_up
from catalogue.view_counts import product_views_flush


@db_periodic_task(crontab(minute="*"))
def product_views_write() -> int:
    """Every minute: write the product views counted in Redis to the products' records (ADR 58)."""
    return product_views_flush()


@db_periodic_task(crontab(minute="*"))
def product_image_renditions_write() -> dict[str, int]:
    """Every minute: make the renditions of a batch of product images written without signals (imports,
    `seed_demo`, `bulk_create`), whose `renditions_made_at` is still null (ADR 58)."""
    return product_image_renditions_catch_up()
