"""Background work for accounts. Tasks take primary keys and call services; safe to run twice.
Emails leave through the outbox (`handlers.py`, ADR 0024)."""

from huey.contrib.djhuey import db_task

from . import phone_codes


@db_task()  # no retry: a retried delivery would text a second code
def phone_code_deliver(challenge_id: int) -> str:
    return phone_codes.phone_code_deliver(challenge_id=challenge_id)
