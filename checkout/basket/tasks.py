"""Background work on baskets. Tasks take primary keys, call services and are safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reminders


@db_periodic_task(crontab(minute="*/5"))
def basket_reminders_send() -> int:
    """Every five minutes: remind shoppers of the baskets they left (the merchant's delay; ADR 0046)."""
    return reminders.basket_reminders_send()
