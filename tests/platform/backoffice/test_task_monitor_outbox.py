"""The outbox on the task monitor: backlog, messages with errors, retry, dismiss, purge of delivered ones."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.utils import timezone

from sideeffects.models import OutboxMessage

pytestmark = pytest.mark.django_db
URL = "/admin/tasks/"
Status = OutboxMessage.Status


def _confirmed(client, data):
    assert 'name="confirm" value="yes"' in client.post(URL, data).content.decode()
    return client.post(URL, {**data, "confirm": "yes"}, follow=True)


@pytest.fixture
def failed_welcome(user):
    """A welcome mail that failed for good (the mail server refused it five times)."""
    return OutboxMessage.objects.create(
        topic="accounts.welcome_email",
        payload={"user_id": user.pk},
        status=Status.FAILED,
        attempts=5,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        created_at=timezone.now() - timedelta(hours=2),
    )


def _delivered(days_ago: int) -> OutboxMessage:
    at = timezone.now() - timedelta(days=days_ago)
    return OutboxMessage.objects.create(
        topic="accounts.welcome_email", payload={"user_id": 0}, status=Status.DELIVERED, created_at=at, delivered_at=at
    )


def test_the_monitor_shows_the_backlog_and_the_messages_with_errors(client, staff_user, failed_welcome):
    OutboxMessage.objects.create(topic="accounts.welcome_email", payload={"user_id": 1},
                                 created_at=timezone.now() - timedelta(minutes=5))  # fmt: skip
    retrying = OutboxMessage.objects.create(
        topic="support.inbox_notify", payload={"conversation_id": 1}, attempts=2, last_error="SMTPServerDisconnected"
    )
    _delivered(1)
    client.force_login(staff_user)

    html = client.get(URL).content.decode()

    backlog = html[html.index('id="outbox-backlog"') :]
    assert 'id="outbox-pending">2<' in backlog and "oldest 300 s" in backlog
    assert 'id="outbox-failed" class="text-red-600 font-semibold">1<' in backlog and "1 delivered" in backlog
    troubled = html[html.index('id="outbox-troubled"') :]
    assert f'data-outbox-id="{failed_welcome.pk}"' in troubled and "ConnectionRefusedError" in troubled
    assert f'data-outbox-id="{retrying.pk}"' in troubled and "retrying at" in troubled
    assert troubled.index(str(failed_welcome.pk)) < troubled.index(f'data-outbox-id="{retrying.pk}"')


def test_retry_delivers_a_failed_message_and_is_logged(client, staff_user, failed_welcome, user):
    client.force_login(staff_user)

    response = _confirmed(client, {"action": "outbox_retry", "message_id": failed_welcome.pk})

    assert f"Outbox message #{failed_welcome.pk}: delivered." in response.content.decode()
    failed_welcome.refresh_from_db()
    assert failed_welcome.status == Status.DELIVERED
    assert [m.to for m in mail.outbox if m.subject == "Welcome to Hypex"] == [[user.email]]
    entry = LogEntry.objects.get(object_id=str(failed_welcome.pk))
    assert entry.user == staff_user and "Retried outbox message" in entry.change_message


def test_retry_all_failed(client, staff_user, failed_welcome):
    client.force_login(staff_user)
    response = _confirmed(client, {"action": "outbox_retry_failed"})
    assert "Retried 1 failed outbox messages: 1 delivered." in response.content.decode()


def test_dismiss_removes_a_failed_message_only(client, staff_user, failed_welcome):
    delivered = _delivered(1)
    client.force_login(staff_user)

    response = _confirmed(client, {"action": "outbox_dismiss", "message_id": failed_welcome.pk})

    assert "dismissed: it will not be delivered" in response.content.decode()
    assert not OutboxMessage.objects.filter(pk=failed_welcome.pk).exists()
    again = _confirmed(client, {"action": "outbox_dismiss", "message_id": delivered.pk})
    assert "is delivered, not failed" in again.content.decode()
    assert OutboxMessage.objects.filter(pk=delivered.pk).exists()
    gone = _confirmed(client, {"action": "outbox_dismiss", "message_id": failed_welcome.pk})
    assert "No such outbox message" in gone.content.decode()


def test_purge_deletes_delivered_messages_older_than_the_days_given(client, staff_user, failed_welcome):
    old, recent = _delivered(40), _delivered(3)
    old_pending = OutboxMessage.objects.create(
        topic="accounts.welcome_email", payload={"user_id": 2}, created_at=timezone.now() - timedelta(days=50)
    )
    client.force_login(staff_user)
    assert "days (1 older than 30 days)" in client.get(URL).content.decode()

    response = _confirmed(client, {"action": "outbox_purge", "days": "30"})

    assert "1 delivered outbox messages older than 30 days deleted." in response.content.decode()
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, old_pending.pk, failed_welcome.pk} and old.pk not in remaining
    bad = _confirmed(client, {"action": "outbox_purge", "days": "0"})
    assert "Give the number of days" in bad.content.decode()
    assert LogEntry.objects.filter(change_message="Purged 1 outbox messages delivered over 30 days ago.").exists()
