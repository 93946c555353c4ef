"""Sensitive account changes need the current password (or a fresh sign-in), and end old tokens at once."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from rest_framework_simplejwt.tokens import AccessToken

from accounts.sign_in import AUTH_TIME_CLAIM, refresh_token_for_sign_in
from tests.api_errors import assert_api_error

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-compass-77"


def sign_in(api_client, user, password) -> dict:
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200
    return response.json()


def bearer(access: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {access}"}


def test_access_tokens_live_five_minutes(api_client, user, password):
    access = AccessToken(sign_in(api_client, user, password)["access"])
    assert access["exp"] - access["iat"] == 300


def test_password_change_needs_the_current_password_and_ends_every_old_token(api_client, user, password):
    pair = sign_in(api_client, user, password)
    url = "/api/v1/me/password/"

    missing = api_client.post(url, {"new_password": NEW_PASSWORD}, format="json", **bearer(pair["access"]))
    assert missing.status_code == 403
    assert missing.json()["error"]["code"] == "reauthentication_required"
    wrong = api_client.post(
        url, {"password": "guess", "new_password": NEW_PASSWORD}, format="json", **bearer(pair["access"])
    )
    assert list(assert_api_error(wrong, 400, "validation_error")["fields"]) == ["password"]
    user.refresh_from_db()
    assert user.check_password(password)

    changed = api_client.post(
        url, {"password": password, "new_password": NEW_PASSWORD}, format="json", **bearer(pair["access"])
    )
    assert changed.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The old access token stops at once (not after its 5 minutes); the old refresh token is blacklisted.
    assert_api_error(api_client.get("/api/v1/me/", **bearer(pair["access"])), 401, "password_changed")
    old_refresh = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_api_error(old_refresh, 401, "token_not_valid")
    assert api_client.get("/api/v1/me/", **bearer(changed.json()["access"])).status_code == 200


def test_a_password_reset_ends_access_tokens_at_once(api_client, user, password, django_capture_on_commit_callbacks):
    pair = sign_in(api_client, user, password)
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves through the outbox after commit
        reset = api_client.post("/api/v1/auth/password/reset/", {"email": user.email}, format="json")
    assert reset.status_code == 202
    uid, token = re.search(r"/auth/password/reset/key/([0-9a-z]+)-([^/\s]+)/", mail.outbox[-1].body).groups()
    confirm = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    assert api_client.post("/api/v1/auth/password/reset/confirm/", confirm, format="json").status_code == 200

    response = api_client.get("/api/v1/me/", **bearer(pair["access"]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "password_changed"


def test_deleting_the_account_needs_the_current_password(api_client, user, password):
    pair = sign_in(api_client, user, password)

    missing = api_client.delete("/api/v1/me/", **bearer(pair["access"]))
    assert missing.status_code == 403
    assert missing.json()["error"]["code"] == "reauthentication_required"
    wrong = api_client.delete("/api/v1/me/", {"password": "guess"}, format="json", **bearer(pair["access"]))
    assert list(assert_api_error(wrong, 400, "validation_error")["fields"]) == ["password"]
    user.refresh_from_db()
    assert user.is_active and user.email

    deleted = api_client.delete("/api/v1/me/", {"password": password}, format="json", **bearer(pair["access"]))
    assert deleted.status_code == 204
    assert_api_error(api_client.get("/api/v1/me/", **bearer(pair["access"])), 401, "user_inactive")


def test_an_account_without_a_password_deletes_only_after_a_fresh_sign_in(api_client, user):
    user.set_unusable_password()
    user.save()
    stale = refresh_token_for_sign_in(user=user)
    stale[AUTH_TIME_CLAIM] = int(time.time()) - 600
    refused = api_client.delete("/api/v1/me/", **bearer(str(stale.access_token)))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "reauthentication_required"

    fresh = refresh_token_for_sign_in(user=user)
    assert api_client.delete("/api/v1/me/", **bearer(str(fresh.access_token))).status_code == 204
    user.refresh_from_db()
    assert not user.is_active


def test_logout_blacklists_the_refresh_token(api_client, user, password):
    pair = sign_in(api_client, user, password)
    assert api_client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 205
    again = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_api_error(again, 401, "token_not_valid")
