"""`POST /api/v1/products/{id}/alerts/`."""

import pytest
from django.core import mail
from oscar.core.loading import get_model

from tests.api_errors import assert_api_error
from tests.conftest import auth_header

ProductAlert = get_model("customer", "ProductAlert")


@pytest.fixture
def sold_out(make_product):
    return make_product(title="Kettle", stock=0)


def test_a_signed_in_shopper_is_subscribed_at_once(api_client, user, sold_out):
    response = api_client.post(f"/api/v1/products/{sold_out.pk}/alerts/", {}, format="json", **auth_header(user))
    assert response.status_code == 201
    assert response.json() == {
        "id": ProductAlert.objects.get().pk,
        "product_id": sold_out.pk,
        "status": "Active",
        "email": user.email,
    }
    again = api_client.post(f"/api/v1/products/{sold_out.pk}/alerts/", {}, format="json", **auth_header(user))
    assert_api_error(again, 409, "already_subscribed")


def test_a_guest_must_confirm_by_email(api_client, sold_out, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/products/{sold_out.pk}/alerts/", {"email": "g@example.com"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "Unconfirmed"
    [message] = mail.outbox
    assert "/accounts/alerts/confirm/" in message.body and message.to == ["g@example.com"]


def test_bad_requests_are_clear_errors(api_client, sold_out, make_product):
    url = f"/api/v1/products/{sold_out.pk}/alerts/"
    assert_api_error(api_client.post(url, {}, format="json"), 400, "email_required")
    assert_api_error(api_client.post(url, {"email": "nope"}, format="json"), 400, "validation_error")
    assert_api_error(api_client.post(url, {"email": "a\x00@example.com"}, format="json"), 400, "parse_error")
    assert_api_error(
        api_client.post("/api/v1/products/999999/alerts/", {"email": "a@example.com"}, format="json"), 404, "not_found"
    )
    in_stock = make_product(stock=2)
    assert_api_error(
        api_client.post(f"/api/v1/products/{in_stock.pk}/alerts/", {"email": "a@example.com"}, format="json"),
        409,
        "in_stock",
    )
    assert not ProductAlert.objects.exists()
