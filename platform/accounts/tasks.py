"""Background work for accounts. Tasks take primary keys and call services; safe to run twice."""

from huey.contrib.djhuey import db_task

from . import otp, services


@db_task(retries=3, retry_delay=30)
def send_welcome_email(user_id: int) -> bool:
    return services.welcome_email_send(user_id=user_id)


@db_task()  # no retry: a retried delivery would text a second code
def deliver_phone_code(challenge_id: int) -> str:
    return otp.phone_code_deliver(challenge_id=challenge_id)
