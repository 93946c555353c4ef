"""The webhooks app's huey task: every minute, attempt the deliveries whose back-off has passed
(ADR 0048). Safe to run twice: each delivery is claimed under its row lock."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import delivery


@db_periodic_task(crontab(minute="*"))
def webhook_deliveries_retry() -> int:
    return delivery.webhook_deliveries_retry()
