"""The webhooks app's huey tasks (ADR 0048): every minute, attempt the deliveries whose back-off has
passed (safe to run twice: each delivery is claimed under its row lock); daily, purge old events."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import delivery, services


@db_periodic_task(crontab(minute="*"))
def webhook_deliveries_retry() -> int:
    return delivery.webhook_deliveries_retry()


@db_periodic_task(crontab(hour="3", minute="27"))
def webhook_events_purge() -> int:
    """Daily: forget events older than `WEBHOOK_KEEP_DAYS` whose deliveries ended (with their attempts)."""
    return services.webhook_events_purge(older_than_days=settings.WEBHOOK_KEEP_DAYS)
