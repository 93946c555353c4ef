"""Background work of back-in-stock alerts: take primary keys, call services, safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def product_alerts_send() -> int:
    """Every minute: mail one batch of subscribers whose product is back in stock."""
    return services.product_alerts_send()
