"""Background work on stock records: take primary keys, call services, safe to run twice."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .stock_transitions import stock_transitions_detect


@db_periodic_task(crontab(minute="*"))
def stock_transitions_scan() -> int:
    """Every minute: look at every stock record for changes the at-commit check did not see (a queryset
    update that sends no signal, a check that failed); returns how many changed."""
    return len(stock_transitions_detect())
