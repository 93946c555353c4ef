"""Background work for content. The periodic task only calls the service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def scheduled_content_publish() -> dict:
    """Every minute: publish pages/snippets whose go-live time has passed, unpublish expired ones.

    No huey lock: every consumer's scheduler enqueues it, and the service locks each row it changes, so
    two runs at once change each object once. (A huey lock lives in Redis without an expiry on Redis
    before 7.4: a worker killed mid-run left it behind and scheduled publishing stopped for good.)
    """
    result = services.scheduled_content_publish()
    return {"published": result.published, "unpublished": result.unpublished}
