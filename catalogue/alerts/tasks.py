"""Background work of back-in-stock alerts: take primary keys, call services, safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from catalogue.partner.stock_transitions import stock_transitions_detect

from . import services


@db_periodic_task(crontab(minute="*"))
def stock_transitions_scan() -> int:
    """Every minute: look at every stock record for changes the at-commit check cannot see (queryset
    updates: an order's allocation released, the variant grid's bulk update); returns how many changed."""
    return len(stock_transitions_detect())


@db_periodic_task(crontab(minute="*"))
def product_alerts_send() -> int:
    """Every minute: mail one batch of subscribers whose product is back in stock."""
    return services.product_alerts_send()
