"""Background work of the API layer. Safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .idempotency import idempotency_keys_purge


@db_periodic_task(crontab(minute="17"))
def idempotency_keys_expire() -> int:
    """Hourly: delete Idempotency-Keys older than 24 hours (expired keys are also ignored on use)."""
    return idempotency_keys_purge()
