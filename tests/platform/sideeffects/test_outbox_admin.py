"""The Outbox screen: superusers see failed messages with their error and retry them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from sideeffects.delivery import outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LIST = "/admin/sideeffects/outboxmessage/"


@pytest.fixture
def failed_welcome(user, settings, smtp_refused):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    message = OutboxMessage.objects.create(topic="accounts.welcome_email", payload={"user_id": user.pk})
    outbox_message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    return message


def test_the_outbox_lists_a_failed_message_with_its_error(client, staff_user, failed_welcome):
    client.force_login(staff_user)

    html = client.get(LIST, {"status__exact": "failed"}).content.decode()

    assert "accounts.welcome_email" in html
    assert "ConnectionRefusedError" in html
    assert "0 pending, 1 failed" in html  # the title
    backlog = html[html.index("data-outbox-backlog") :]  # the counts shown above the list, as filter links
    assert "0 pending" in backlog and "1 failed" in backlog and "0 delivered" in backlog
    assert 'href="?status__exact=failed"' in backlog
    detail = client.get(f"{LIST}{failed_welcome.pk}/change/").content.decode()
    assert "ConnectionRefusedError" in detail and f"{LIST}{failed_welcome.pk}/retry/" in detail


def test_retry_on_the_message_page_delivers_it(client, staff_user, failed_welcome, user):
    client.force_login(staff_user)
    assert "Retry now" in client.get(f"{LIST}{failed_welcome.pk}/retry/").content.decode()

    response = client.post(f"{LIST}{failed_welcome.pk}/retry/")

    assert response.status_code == 302
    failed_welcome.refresh_from_db()
    assert (failed_welcome.status, failed_welcome.attempts, failed_welcome.last_error) == ("delivered", 2, "")
    assert [m.to for m in mail.outbox if m.subject == "Welcome to Hypex"] == [[user.email]]
    client.post(f"{LIST}{failed_welcome.pk}/retry/")  # again: delivered messages are left alone
    assert len([m for m in mail.outbox if m.subject == "Welcome to Hypex"]) == 1
    detail = client.get(f"{LIST}{failed_welcome.pk}/change/").content.decode()
    assert f"{LIST}{failed_welcome.pk}/retry/" not in detail  # nothing left to retry: no button


def test_retry_now_action_on_the_list(client, staff_user, failed_welcome):
    client.force_login(staff_user)

    response = client.post(LIST, {"action": "retry_selected", "_selected_action": [failed_welcome.pk]})

    assert response.status_code == 302
    failed_welcome.refresh_from_db()
    assert failed_welcome.status == "delivered"


def test_staff_without_superuser_cannot_see_the_outbox(client, failed_welcome):
    from django.contrib.auth.models import Group

    from backoffice.roles import ORDER_MANAGER, staff_roles_apply

    staff_roles_apply()
    manager = get_user_model().objects.create_user(email="orders@example.com", password=PASSWORD)
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.groups.add(Group.objects.get(name=ORDER_MANAGER))
    client.force_login(manager)

    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}{failed_welcome.pk}/retry/").status_code == 403
    failed_welcome.refresh_from_db()
    assert failed_welcome.status == "failed"
