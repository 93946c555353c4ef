"""Background work for content. The periodic task only calls the service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import services


@db_periodic_task(crontab(minute="*"))
@lock_task("content-publish-scheduled")
def scheduled_content_publish() -> dict:
    """Every minute: publish pages/snippets whose go-live time has passed, unpublish expired ones."""
    result = services.scheduled_content_publish()
    return {"published": result.published, "unpublished": result.unpublished}
