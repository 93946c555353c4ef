"""The Merchandiser sets the abandoned-basket reminder delay and sees the reminders and back-in-stock
alerts; the opt-out list (personal data) stays with superusers (ADR 46)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from backoffice.roles import MERCHANDISER, ORDER_MANAGER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def _member(role: str):
    user = get_user_model().objects.create_user(email=f"{role[:5].lower()}@example.com", password="a-long-password-1")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=role))
    return user


def test_the_merchandiser_runs_the_marketing_screens(client):
    client.force_login(_member(MERCHANDISER))
    for url in ("/admin/basket/basketremindersettings/", "/admin/basket/basketremindersettings/add/",
                "/admin/basket/basketreminder/", "/admin/customer/productalert/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/accounts/marketingoptout/").status_code == 403
    home = client.get("/admin/").content.decode()
    assert 'href="/admin/basket/basketremindersettings/"' in home
    assert 'href="/admin/accounts/marketingoptout/"' not in home


def test_the_order_manager_does_not_set_the_reminder_delay(client):
    client.force_login(_member(ORDER_MANAGER))
    assert client.get("/admin/basket/basketremindersettings/").status_code == 403
