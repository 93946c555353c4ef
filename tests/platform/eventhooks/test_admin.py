"""The Webhooks screens (ADR 0048): staff subscribe an endpoint, see its secret, rotate it, see each
delivery's attempts and resend one. Superusers and the Operations role; other staff are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from backoffice.roles import MERCHANDISER, OPERATIONS, staff_roles_apply
from eventhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from eventhooks.services import webhook_endpoint_create, webhook_event_publish
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ENDPOINTS = "/admin/eventhooks/webhookendpoint/"
DELIVERIES = "/admin/eventhooks/webhookdelivery/"


def _staff(email: str, role: str):
    staff_roles_apply()
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def delivered(receiver, django_capture_on_commit_callbacks):
    """An endpoint on the receiver with one delivery that failed once (HTTP 500)."""
    endpoint = webhook_endpoint_create(url=receiver.url, events=["order.paid", "order.created"])
    receiver.secret = endpoint.secret
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = webhook_event_publish(event="order.paid", data={"number": "100042"})
    return WebhookDelivery.objects.get(event=event)


def test_staff_create_an_endpoint_and_see_its_secret(client, receiver):
    client.force_login(_staff("ops@example.com", OPERATIONS))
    assert client.get(f"{ENDPOINTS}add/").status_code == 200

    response = client.post(
        f"{ENDPOINTS}add/",
        {
            "url": receiver.url,
            "description": "ERP",
            "events": ["order.paid", "order.refunded"],
            "enabled": "on",
            "contact_email": "apps@merchant.example",
        },  # fmt: skip
    )

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{ENDPOINTS}{endpoint.pk}/change/"
    assert endpoint.events == ["order.paid", "order.refunded"] and endpoint.enabled
    assert endpoint.created_by.email == "ops@example.com" and endpoint.secret.startswith("whsec_")
    page = client.get(response["Location"]).content.decode()
    assert endpoint.secret in page and "0 deliveries, 0 failed" in page
    assert receiver.url in client.get(ENDPOINTS).content.decode()
    assert ENDPOINTS in client.get("/admin/").content.decode()  # the sidebar shows Webhooks to Operations


def test_a_private_or_plain_http_url_is_a_form_error(staff_client, settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    for url, error in [("https://169.254.169.254/", "link-local"), ("http://93.184.215.14/", "must use https")]:
        response = staff_client.post(f"{ENDPOINTS}add/", {"url": url, "events": ["order.paid"], "enabled": "on"})
        assert response.status_code == 200 and error in response.content.decode()
    response = staff_client.post(f"{ENDPOINTS}add/", {"url": "https://93.184.215.14/", "events": ["order.nope"]})
    assert response.status_code == 200 and "order.nope" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_editing_an_endpoint_and_rotating_its_secret(staff_client, delivered):
    endpoint = delivered.endpoint
    url = f"{ENDPOINTS}{endpoint.pk}/change/"
    response = staff_client.post(url, {"url": endpoint.url, "events": ["order.paid"], "description": "Shop app"})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.events, endpoint.enabled, endpoint.description) == (["order.paid"], False, "Shop app")
    old = endpoint.secret

    assert "two signatures" in staff_client.get(f"{url[:-7]}rotate-secret/").content.decode()
    response = staff_client.post(f"{url[:-7]}rotate-secret/")

    endpoint.refresh_from_db()
    assert response.status_code == 302 and endpoint.secret != old and endpoint.previous_secret == old
    page = staff_client.get(url).content.decode()
    assert endpoint.secret in page and "The previous secret also signs deliveries until" in page
    assert "1 deliveries, 0 failed" in page


def test_deliveries_show_each_attempt_and_resend_sends_the_same_event_again(
    staff_client, delivered, receiver, django_capture_on_commit_callbacks
):
    listing = staff_client.get(DELIVERIES).content.decode()
    assert "order.paid" in listing and delivered.event.event_id in listing
    detail = staff_client.get(f"{DELIVERIES}{delivered.pk}/change/").content.decode()
    assert "500" in detail and "100042" in detail and f"{DELIVERIES}{delivered.pk}/resend/" in detail
    assert "Resend" in staff_client.get(f"{DELIVERIES}{delivered.pk}/resend/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{DELIVERIES}{delivered.pk}/resend/")

    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.status == WebhookDelivery.Status.SUCCEEDED and delivered.attempts == 2
    assert [r.answered for r in receiver.received] == [500, 200]
    assert receiver.received[0].body == receiver.received[1].body and all(r.signature_valid for r in receiver.received)
    attempts = WebhookAttempt.objects.filter(delivery=delivered).order_by("pk")
    assert list(attempts.values_list("status_code", flat=True)) == [500, 200]

    # the list action resends a delivered one once more
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(DELIVERIES, {"action": "resend_selected", "_selected_action": [delivered.pk]})
    assert len(receiver.received) == 3


def test_resending_to_a_disabled_endpoint_is_refused_with_a_message(staff_client, delivered, receiver):
    WebhookEndpoint.objects.filter(pk=delivered.endpoint_id).update(enabled=False)
    response = staff_client.post(f"{DELIVERIES}{delivered.pk}/resend/", follow=True)
    assert "enable it before resending" in response.content.decode()
    assert len(receiver.received) == 1


def test_other_staff_cannot_open_the_webhook_screens(client, delivered):
    client.force_login(_staff("merch@example.com", MERCHANDISER))
    for url in (ENDPOINTS, f"{ENDPOINTS}add/", DELIVERIES, f"{DELIVERIES}{delivered.pk}/change/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{DELIVERIES}{delivered.pk}/resend/").status_code == 403
    assert ENDPOINTS not in client.get("/admin/").content.decode()
