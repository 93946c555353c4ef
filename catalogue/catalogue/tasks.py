"""Background work of the catalogue app: periodic, safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from catalogue.view_counts import product_views_flush


@db_periodic_task(crontab(minute="*"))
def product_views_write() -> int:
    """Every minute: write the product views counted in Redis to the products' records (ADR 58)."""
    return product_views_flush()
