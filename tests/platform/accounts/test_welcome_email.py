"""The welcome email: an outbox message written when the address is verified (not at sign-up), delivered
by a huey task after commit, with links to the host the shop was served from."""

import re

import pytest
from django.core import mail
from huey import RedisHuey

from accounts import services
from sideeffects.models import OutboxMessage
from sideeffects.tasks import outbox_deliver


def _welcome_mails():
    return [m for m in mail.outbox if m.subject == "Welcome to Hypex"]


@pytest.mark.django_db
def test_the_welcome_email_goes_out_once_the_email_is_verified_not_at_sign_up(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # mails leave through the outbox after commit
        response = client.post(
            "/auth/signup/",
            {"email": "new@example.com", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
        )
    assert response.status_code == 302
    assert _welcome_mails() == []
    verification = next(m for m in mail.outbox if "/auth/confirm-email/" in m.body)
    link = re.search(r"http://[^/]+(/auth/confirm-email/[^/\s]+/)", verification.body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(link).status_code == 200  # the confirmation page; not yet confirmed
        assert _welcome_mails() == []
        assert client.post(link).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)  # confirming twice welcomes once

    welcome = _welcome_mails()
    assert len(welcome) == 1
    assert welcome[0].to == ["new@example.com"]
    assert "new@example.com" in welcome[0].body


@pytest.mark.django_db
def test_account_emails_link_to_the_host_the_shop_is_served_from(client, django_capture_on_commit_callbacks):
    """`make run` on another port: the verification and welcome mails point there, not at SITE_URL."""
    served = {"HTTP_HOST": "localhost:8123"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/auth/signup/",
            {"email": "port@example.com", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
            **served,
        )
    verification = next(m for m in mail.outbox if "/auth/confirm-email/" in m.body)
    assert "http://localhost:8123/auth/confirm-email/" in verification.body
    other_hosts = verification.body.replace("port@example.com", "")
    assert "127.0.0.1:8000" not in other_hosts and "example.com" not in other_hosts  # not the Sites table's
    link = re.search(r"http://[^/]+(/auth/confirm-email/[^/\s]+/)", verification.body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, **served)

    assert "http://localhost:8123/auth/login/" in _welcome_mails()[0].body


@pytest.mark.django_db
def test_a_welcome_email_without_a_request_links_to_site_url(user, settings):
    settings.SITE_URL = "https://shop.example.test"

    assert services.welcome_email_send(user_id=user.pk) is True

    assert "https://shop.example.test/auth/login/" in mail.outbox[0].body


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
