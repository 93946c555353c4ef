"""The welcome email: an outbox message written with the signup, delivered by a huey task after commit."""

import pytest
from django.core import mail
from huey import RedisHuey

from accounts import services
from sideeffects.models import OutboxMessage
from sideeffects.tasks import outbox_deliver


@pytest.mark.django_db
def test_signing_up_on_the_page_sends_the_welcome_email_after_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/auth/signup/",
            {"email": "new@example.com", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
        )
    assert response.status_code == 302
    assert mail.outbox == [] or all("Welcome" not in m.subject for m in mail.outbox)  # nothing before commit

    for callback in callbacks:
        callback()

    welcome = [m for m in mail.outbox if m.subject == "Welcome to Hypex"]
    assert len(welcome) == 1
    assert welcome[0].to == ["new@example.com"]
    assert "new@example.com" in welcome[0].body


@pytest.mark.django_db
def test_welcome_email_service_skips_a_deleted_user():
    assert services.welcome_email_send(user_id=999_999) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.redis
def test_welcome_task_travels_through_redis_and_a_worker_runs_it(user, redis_server):
    """Enqueue on a real Redis queue, then let a worker (huey's own execute path) take and run it."""
    queue = RedisHuey("hypex-test", url=redis_server.url)
    task_on_redis = queue.task()(outbox_deliver.func)
    message = OutboxMessage.objects.create(topic="accounts.welcome_email", payload={"user_id": user.pk})  # pending

    task_on_redis(message.pk)
    assert queue.pending_count() == 1
    assert mail.outbox == []

    queue.execute(queue.dequeue())

    assert queue.pending_count() == 0
    assert [m.to for m in mail.outbox] == [[user.email]]
