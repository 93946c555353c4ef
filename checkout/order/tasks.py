"""Background work on orders. Tasks take primary keys, call services and are safe to run twice."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import selectors, services


@db_periodic_task(crontab(minute="*"))
def orders_unpaid_cancel() -> int:
    """Every minute: cancel orders still unpaid `ORDER_UNPAID_CANCEL_MINUTES` after they were placed."""
    cutoff = timezone.now() - timedelta(minutes=settings.ORDER_UNPAID_CANCEL_MINUTES)
    cancelled = 0
    for order_id in selectors.order_ids_unpaid_before(cutoff=cutoff):
        cancelled += services.order_cancel_if_unpaid(order_id=order_id)
    return cancelled
