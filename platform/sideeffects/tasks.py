"""The outbox's huey tasks: deliver one message (enqueued after commit by `services`), and the relay. A
worker runs the relay when it starts (huey checks periodic tasks at start-up) and then every minute
(ADR 0024). They run `delivery`, which imports neither this module nor `services` (ADR 0040)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import delivery


@db_task()  # no huey retries: a failed delivery is recorded on the message and retried by the relay
def outbox_deliver(message_id: int) -> str:
    return str(delivery.outbox_message_deliver(message_id=message_id))


@db_periodic_task(crontab(minute="*"))
def outbox_relay() -> int:
    return delivery.outbox_relay()
