"""Background work for accounts. Tasks take primary keys and call services."""

from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=3, retry_delay=30)
def send_welcome_email(user_id: int) -> bool:
    return services.welcome_email_send(user_id=user_id)
