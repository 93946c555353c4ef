"""The outbox's contract, through the welcome email (a real handler): written in the transaction that
causes it, delivered after commit, failures retried with back-off and visible, delivered once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import welcome_email_schedule
from sideeffects.delivery import Outcome, outbox_message_deliver, outbox_relay
from sideeffects.models import OutboxMessage
from sideeffects.services import OutboxOutsideTransaction, outbox_message_add
from tests.outbox_mail import mails_in

WELCOME = "accounts.welcome_email"


def _welcomes() -> list:
    return [m for m in mail.outbox if m.subject == "Welcome to Hypex"]


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            welcome_email_schedule(user_id=user.pk)
            raise RuntimeError("the change fails after the message was written")

    assert not OutboxMessage.objects.exists()
    assert _welcomes() == []


@pytest.mark.django_db
def test_a_committed_change_is_delivered_after_commit_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        welcome_email_schedule(user_id=user.pk)
        welcome_email_schedule(user_id=user.pk)  # the same event twice: one message (dedupe key)
    message = OutboxMessage.objects.get(topic=WELCOME)
    assert message.status == "pending" and _welcomes() == []  # nothing leaves before commit

    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert (message.status, message.attempts, message.delivered_at is not None) == ("delivered", 1, True)
    assert [m.to for m in _welcomes()] == [[user.email]]


@pytest.mark.django_db(transaction=True)
def test_adding_a_message_outside_a_transaction_is_refused(user):
    with pytest.raises(OutboxOutsideTransaction):
        outbox_message_add(topic=WELCOME, payload={"user_id": user.pk})
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_failing_handler_is_retried_with_back_off_then_fails_for_good(user, settings, smtp_refused):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    message = OutboxMessage.objects.create(topic=WELCOME, payload={"user_id": user.pk})

    delays = []
    for expected in (Outcome.RETRY, Outcome.RETRY, Outcome.FAILED):
        before = timezone.now()
        assert outbox_message_deliver(message_id=message.pk) == expected
        message.refresh_from_db()
        delays.append(round((message.next_attempt_at - before).total_seconds()))
        assert "ConnectionRefusedError" in message.last_error
        assert outbox_message_deliver(message_id=message.pk) == Outcome.SKIPPED  # not due yet / failed
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    assert delays[:2] == [30, 60]  # doubling back-off
    assert (message.status, message.attempts) == ("failed", 3)
    assert outbox_relay(grace_seconds=0) == 0  # the relay leaves failed messages to staff
    assert _welcomes() == []


@pytest.mark.django_db
def test_delivering_a_delivered_message_again_sends_nothing(user):
    message = OutboxMessage.objects.create(topic=WELCOME, payload={"user_id": user.pk})

    assert outbox_message_deliver(message_id=message.pk) == Outcome.DELIVERED
    assert outbox_message_deliver(message_id=message.pk) == Outcome.SKIPPED
    assert outbox_relay(grace_seconds=0) == 0

    assert len(_welcomes()) == 1


@pytest.mark.django_db
def test_the_relay_waits_out_the_grace_period(user):
    OutboxMessage.objects.create(topic=WELCOME, payload={"user_id": user.pk})

    assert outbox_relay(grace_seconds=60) == 0  # fresh: left to its own on-commit delivery
    assert outbox_relay(grace_seconds=0) == 1
    assert len(_welcomes()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_at_once_send_one_email(user, settings, tmp_path, monkeypatch):
    """The on-commit task and the relay racing on one message: a slow send is in flight in one thread
    while the other tries; the row lock (PostgreSQL) or the write lock (SQLite) lets one through."""
    settings.EMAIL_BACKEND = "tests.outbox_mail.SlowFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    monkeypatch.setenv("OUTBOX_TEST_MAIL_DELAY", "1")
    message = OutboxMessage.objects.create(topic=WELCOME, payload={"user_id": user.pk})
    outcomes: list[str] = []

    def deliver() -> None:
        try:
            outcomes.append(outbox_message_deliver(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [Outcome.DELIVERED, Outcome.SKIPPED]
    assert len(mails_in(tmp_path)) == 1
