"""Password reset through the API: the same email and link as the pages, never revealing accounts."""

import re

import pytest
from django.core import mail

from tests.api_errors import assert_api_error

pytestmark = pytest.mark.django_db

RESET = "/api/v1/auth/password/reset/"
CONFIRM = "/api/v1/auth/password/reset/confirm/"
NEW_PASSWORD = "violet-harbour-compass-77"


def _reset_link_parts(email: str) -> tuple[str, str]:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    uid, token = re.search(r"/auth/password/reset/key/([0-9a-z]+)-([^/\s]+)/", message.body).groups()
    return uid, token


def test_reset_email_then_confirm_sets_the_password_and_signs_out_apps(
    api_client, user, password, django_capture_on_commit_callbacks
):
    old_pair = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json").json()

    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves through the outbox after commit
        assert api_client.post(RESET, {"email": user.email}, format="json").status_code == 202
    uid, token = _reset_link_parts(user.email)
    response = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    stale = api_client.post("/api/v1/auth/token/refresh/", {"refresh": old_pair["refresh"]}, format="json")
    assert_api_error(stale, 401, "token_not_valid")
    # The link works once.
    again = api_client.post(
        CONFIRM, {"uid": uid, "token": token, "new_password": "another-" + NEW_PASSWORD}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "password_reset_invalid"


def test_unknown_email_gets_the_same_answer(api_client, user):
    known = api_client.post(RESET, {"email": user.email}, format="json")
    unknown = api_client.post(RESET, {"email": "nobody@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


def test_weak_new_password_is_refused(api_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(RESET, {"email": user.email}, format="json")
    uid, token = _reset_link_parts(user.email)
    response = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": "123456"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    ("uid", "token", "code"),
    [
        ("zz", "bad-token", "password_reset_invalid"),
        ("", "", "validation_error"),  # blank parts never reach the token check
        ("999999", "1-abc", "password_reset_invalid"),
    ],
)
def test_forged_links_are_refused(api_client, user, uid, token, code):
    response = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD}, format="json")
    assert_api_error(response, 400, code)
