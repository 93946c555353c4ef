"""Who may open and operate the task monitor: superusers and the Operations role; other staff get 403,
visitors the admin login. The sidebar shows the entry to those who may open it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from backoffice.roles import OPERATIONS, ORDER_MANAGER
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]
URL = "/admin/tasks/"


def _staff(email: str, *, role: str | None = None, is_staff: bool = True):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    user.is_staff = is_staff
    user.save(update_fields=["is_staff"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def test_superusers_and_operations_open_the_monitor_and_see_it_in_the_sidebar(client, staff_user):
    for user in (staff_user, _staff("ops@example.com", role=OPERATIONS)):
        client.force_login(user)
        assert client.get(URL).status_code == 200
        assert f'href="{URL}"' in client.get("/admin/").content.decode()


def test_operations_can_act_after_confirming(client):
    client.force_login(_staff("ops@example.com", role=OPERATIONS))
    assert client.post(URL, {"action": "purge_recent"}).status_code == 200  # the question
    response = client.post(URL, {"action": "purge_recent", "confirm": "yes"}, follow=True)
    assert "Recent runs forgotten" in response.content.decode()


def test_other_staff_get_403_and_no_sidebar_entry(client):
    for user in (_staff("clerk@example.com"), _staff("orders@example.com", role=ORDER_MANAGER)):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"action": "retry", "task_id": "x", "confirm": "yes"}).status_code == 403
        assert client.post(URL, {"action": "flush_queue"}).status_code == 403
        assert f'href="{URL}"' not in client.get("/admin/").content.decode()


def test_visitors_and_non_staff_operations_members_are_sent_to_the_login(client):
    for response in (client.get(URL), client.post(URL, {"action": "flush_queue", "confirm": "yes"})):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(_staff("former@example.com", role=OPERATIONS, is_staff=False))
    assert client.get(URL)["Location"].startswith("/admin/login/")


def test_actions_need_the_csrf_token(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(URL, {"action": "purge_recent", "confirm": "yes"}).status_code == 403
    page = client.get(URL)
    token = page.cookies["csrftoken"].value
    response = client.post(URL, {"action": "purge_recent", "confirm": "yes", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
