"""Sign-up with email, verification, JWT pair, rotation, verify and logout, through the HTTP API."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework_simplejwt.tokens import AccessToken

from tests.api_errors import assert_api_error

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
GOOD_PASSWORD = "plum-orchard-lantern-42"


def _register(api_client, email="new@example.com", password=GOOD_PASSWORD, **extra):
    return api_client.post(REGISTER, {"email": email, "password": password, **extra}, format="json")


def _verification_key() -> str:
    for message in reversed(mail.outbox):
        match = re.search(r"/auth/confirm-email/([^/\s]+)/", message.body)
        if match:
            return match.group(1)
    raise AssertionError("no verification email sent")


def test_register_sends_verification_then_signing_in_works(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(api_client, first_name="Ada", last_name="Byron")
    assert response.status_code == 202
    user = get_user_model().objects.get(email="new@example.com")
    assert user.first_name == "Ada" and user.check_password(GOOD_PASSWORD)
    assert not any(m.subject == "Welcome to Hypex" for m in mail.outbox)  # not before verification

    refused = api_client.post(TOKEN, {"email": "new@example.com", "password": GOOD_PASSWORD}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "email_not_verified"

    with django_capture_on_commit_callbacks(execute=True):
        verified = api_client.post("/api/v1/auth/email/verify/", {"key": _verification_key()}, format="json")
    assert verified.status_code == 200
    assert [m.to for m in mail.outbox if m.subject == "Welcome to Hypex"] == [["new@example.com"]]

    pair = api_client.post(TOKEN, {"email": "new@example.com", "password": GOOD_PASSWORD}, format="json")
    assert pair.status_code == 200
    assert set(pair.json()) == {"access", "refresh"}


def test_registering_a_taken_email_answers_the_same_and_tells_the_owner(
    api_client, user, django_capture_on_commit_callbacks
):
    fresh = _register(api_client, email="someone.new@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves through the outbox after commit
        taken = _register(api_client, email=user.email.upper())
    assert taken.status_code == fresh.status_code == 202
    assert taken.json() == fresh.json()
    assert get_user_model().objects.filter(email__iexact=user.email).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": GOOD_PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "123"}, "password"),
        ({"email": "a@example.com", "password": "password"}, "password"),
        ({"password": GOOD_PASSWORD}, "email"),
        ({"email": "a@example.com", "password": GOOD_PASSWORD, "is_staff": True}, "is_staff"),
    ],
)
def test_register_rejects_bad_input_field_by_field(api_client, body, field):
    response = api_client.post(REGISTER, body, format="json")
    assert field in assert_api_error(response, 400, "validation_error")["fields"]
    assert not get_user_model().objects.filter(is_staff=True).exists()


def test_verification_with_a_bad_key_is_refused(api_client):
    response = api_client.post("/api/v1/auth/email/verify/", {"key": "nonsense"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "email_verification_invalid"


def test_wrong_password_and_unknown_email_look_the_same(api_client, user):
    wrong = api_client.post(TOKEN, {"email": user.email, "password": "wrong-password"}, format="json")
    unknown = api_client.post(TOKEN, {"email": "nobody@example.com", "password": "wrong-password"}, format="json")
    assert_api_error(wrong, 401, "no_active_account")
    assert_api_error(unknown, 401, "no_active_account")
    assert wrong.json() == unknown.json()


def test_access_token_lives_five_minutes_by_default(api_client, user, password):
    access = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json").json()["access"]
    token = AccessToken(access)
    assert token["exp"] - token["iat"] == 300


def test_access_token_authenticates_api_calls(api_client, user, password):
    access = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json").json()["access"]
    assert_api_error(api_client.get("/api/v1/me/"), 401, "not_authenticated")
    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert me.status_code == 200
    assert me.json()["email"] == user.email


def test_token_verify_accepts_good_and_refuses_bad_tokens(api_client, user, password):
    access = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json").json()["access"]
    assert api_client.post("/api/v1/auth/token/verify/", {"token": access}, format="json").status_code == 200
    bad = api_client.post("/api/v1/auth/token/verify/", {"token": access[:-4] + "abcd"}, format="json")
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "token_not_valid"


def test_logout_blacklists_the_refresh_token(api_client, user, password):
    pair = api_client.post(TOKEN, {"email": user.email, "password": password}, format="json").json()
    assert api_client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 205
    reuse = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_api_error(reuse, 401, "token_not_valid")
    garbage = api_client.post("/api/v1/auth/logout/", {"refresh": "garbage"}, format="json")
    assert_api_error(garbage, 401, "token_not_valid")


def test_token_endpoint_is_throttled_per_account(api_client, user):
    for _ in range(10):
        api_client.post(TOKEN, {"email": user.email, "password": "wrong"}, format="json", REMOTE_ADDR="10.0.0.1")
    # The 11th attempt on the same account is refused even from another IP.
    response = api_client.post(TOKEN, {"email": user.email, "password": "wrong"}, format="json", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "Retry-After" in response


def test_token_endpoint_is_throttled_per_ip(api_client):
    for number in range(30):
        api_client.post(TOKEN, {"email": f"u{number}@example.com", "password": "x"}, format="json")
    response = api_client.post(TOKEN, {"email": "last@example.com", "password": "x"}, format="json")
    assert_api_error(response, 429, "throttled")
