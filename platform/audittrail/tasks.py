"""Background work of the audit trail. Safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import audit_entries_purge


@db_periodic_task(crontab(hour="3", minute="41"))
def audit_entries_expire() -> int:
    """Daily: delete audit entries older than `AUDITTRAIL_RETENTION_DAYS` (ADR 0047)."""
    return audit_entries_purge()
