"""The chat widget on every storefront page and the agent console in the back office."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from oscar.test.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/catalogue/", "/basket/", "/auth/login/"])
def test_widget_is_on_every_storefront_page(client, url):
    html = client.get(url).content.decode()
    assert 'id="hypex-support"' in html and "hypex/js/support-widget.js" in html


def test_widget_carries_the_product_being_viewed(client):
    product = create_product(title="Red Oxford Shirt", price=10, num_in_stock=1)
    html = client.get(product.get_absolute_url()).content.decode()
    assert f'data-product-id="{product.pk}"' in html and 'data-product-title="Red Oxford Shirt"' in html


def test_console_is_for_support_agents_only(client, user, agent):
    assert client.get("/admin/support/console/").status_code == 302  # to the admin login
    client.force_login(user)
    assert client.get("/admin/support/console/").status_code == 302
    staff = get_user_model().objects.create_user(email="clerk@example.com", password="x-long-pass-1")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/support/console/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_conversation"))
    staff = get_user_model().objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get("/admin/support/console/").status_code == 200
    client.force_login(agent)
    html = client.get("/admin/support/console/").content.decode()
    assert "agent-console.js" in html and "Support console" in html


def test_support_status_tells_whether_an_agent_is_online(api_client, agent):
    from support.models import Presence

    assert api_client.get("/api/v1/support/status/").json() == {"agents_online": False}
    Presence.objects.create(channel_name="specific.abc", user=agent, role="agent")
    assert api_client.get("/api/v1/support/status/").json() == {"agents_online": True}
