"""/api/v1/me/: profile, phone change with a fresh code, and deletion that keeps orders."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from accounts.models import PhoneChallenge
from tests.api_errors import assert_api_error
from tests.conftest import auth_header

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
NEW_PHONE = "+447911123456"


@pytest.mark.django_db
def test_me_requires_authentication(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_me_shows_the_profile(api_client, user):
    body = api_client.get("/api/v1/me/", **auth_header(user)).json()
    assert body["email"] == user.email and body["first_name"] == "Sam" and body["phone"] is None
    assert body["email_verified"] is True  # made outside allauth: no pending verification


@pytest.mark.django_db
def test_patch_changes_names_only(api_client, user):
    response = api_client.patch(
        "/api/v1/me/", {"first_name": " Samantha ", "last_name": "Jones"}, format="json", **auth_header(user)
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Samantha" and response.json()["last_name"] == "Jones"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["phone", "email", "is_staff"])
def test_patch_refuses_fields_with_their_own_flow(api_client, user, field):
    response = api_client.patch("/api/v1/me/", {field: "+447911123456"}, format="json", **auth_header(user))
    assert field in assert_api_error(response, 400, "validation_error")["fields"]
    user.refresh_from_db()
    assert user.phone is None and not user.is_staff


@pytest.mark.django_db(transaction=True)
def test_phone_change_needs_a_code_sent_to_the_new_number(api_client, user, sms_provider):
    headers = auth_header(user)
    assert api_client.post("/api/v1/me/phone/", {"phone": NEW_PHONE}, format="json", **headers).status_code == 202
    assert sms_provider.messages[-1]["to"] == NEW_PHONE

    wrong = api_client.post(
        "/api/v1/me/phone/confirm/", {"phone": NEW_PHONE, "code": "000000"}, format="json", **headers
    )
    if sms_provider.last_code() != "000000":
        assert_api_error(wrong, 400, "otp_invalid")
    response = api_client.post(
        "/api/v1/me/phone/confirm/", {"phone": NEW_PHONE, "code": sms_provider.last_code()}, format="json", **headers
    )
    assert response.status_code == 200
    assert response.json()["phone"] == NEW_PHONE


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_code_cannot_change_someone_elses_phone(api_client, user, sms_provider):
    api_client.post("/api/v1/auth/otp/request/", {"phone": NEW_PHONE}, format="json")
    response = api_client.post(
        "/api/v1/me/phone/confirm/",
        {"phone": NEW_PHONE, "code": sms_provider.last_code()},
        format="json",
        **auth_header(user),
    )
    assert_api_error(response, 400, "otp_invalid")
    user.refresh_from_db()
    assert user.phone is None


@pytest.mark.django_db(transaction=True)
def test_phone_held_by_another_account_answers_409(api_client, user, sms_provider):
    get_user_model().objects.create_user(email="other@example.com", password="x-long-password-1", phone=NEW_PHONE)
    headers = auth_header(user)
    api_client.post("/api/v1/me/phone/", {"phone": NEW_PHONE}, format="json", **headers)
    response = api_client.post(
        "/api/v1/me/phone/confirm/", {"phone": NEW_PHONE, "code": sms_provider.last_code()}, format="json", **headers
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "phone_unavailable"


@pytest.mark.django_db
def test_delete_anonymises_the_person_and_keeps_orders(api_client, user, password, countries):
    user.phone = NEW_PHONE
    user.save()
    order = create_order(user=user)
    UserAddress.objects.create(
        user=user, first_name="Sam", line1="1 High St", line4="Leeds", postcode="LS1 1AA", country_id="GB"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    PhoneChallenge.objects.create(phone=NEW_PHONE, user=user, code_hash="x", expires_at=order.date_placed)
    pair = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json").json()

    response = api_client.delete(
        "/api/v1/me/", {"password": password}, format="json", HTTP_AUTHORIZATION=f"Bearer {pair['access']}"
    )
    assert response.status_code == 204

    user.refresh_from_db()
    assert user.email is None and user.phone is None and user.first_name == "" and not user.is_active
    assert user.anonymised_at is not None and not user.has_usable_password()
    assert not UserAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not PhoneChallenge.objects.exists()
    kept = Order.objects.get(pk=order.pk)
    assert kept.user_id == user.pk and kept.total_incl_tax == order.total_incl_tax
    assert kept.lines.count() == order.lines.count()
    # Every app is signed out, and the old password no longer works.
    refresh = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_api_error(refresh, 401, "token_not_valid")
    again = api_client.post(
        "/api/v1/auth/token/", {"email": "shopper@example.com", "password": password}, format="json"
    )
    assert_api_error(again, 401, "no_active_account")
