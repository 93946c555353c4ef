"""Phone sign-in with one-time codes: codes from `secrets`, hashed, short-lived, one live code per
phone, locked after 5 wrong tries, rate-limited per phone and per IP, texted by the worker."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import PhoneChallenge
from tests.api_errors import assert_api_error

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+447911123456"
REQUEST = "/api/v1/auth/otp/request/"
VERIFY = "/api/v1/auth/otp/verify/"


def _request_code(api_client, phone=PHONE, **extra):
    return api_client.post(REQUEST, {"phone": phone}, format="json", **extra)


def _verify(api_client, code, phone=PHONE):
    return api_client.post(VERIFY, {"phone": phone, "code": code}, format="json")


def test_code_is_texted_and_signs_in_a_new_shopper(api_client, sms_provider):
    response = _request_code(api_client)
    assert response.status_code == 202
    assert response.json()["expires_in"] == 300
    assert sms_provider.messages[0]["to"] == PHONE
    assert sms_provider.auth_headers == ["Bearer test-token"]

    response = _verify(api_client, sms_provider.last_code())
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    user = get_user_model().objects.get(phone=PHONE)
    assert user.is_active and user.email is None and not user.has_usable_password()

    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.json()["phone"] == PHONE


def test_returning_shopper_gets_the_same_account(api_client, sms_provider, settings):
    settings.OTP_RESEND_SECONDS = 0
    existing = get_user_model().objects.create_user(email="p@example.com", password="x-long-password-1", phone=PHONE)
    _request_code(api_client)
    assert _verify(api_client, sms_provider.last_code()).status_code == 200
    assert get_user_model().objects.filter(phone=PHONE).get() == existing


def test_national_number_is_read_in_the_shop_region(api_client, sms_provider):
    assert _request_code(api_client, phone="07911 123456").status_code == 202
    assert sms_provider.messages[0]["to"] == PHONE


def test_invalid_phone_is_a_field_error(api_client, sms_provider):
    response = _request_code(api_client, phone="12")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "phone" in response.json()["error"]["fields"]
    assert sms_provider.messages == []


def test_code_is_stored_only_as_a_hash(api_client, sms_provider):
    _request_code(api_client)
    code = sms_provider.last_code()
    challenge = PhoneChallenge.objects.get()
    stored = [str(value) for value in PhoneChallenge.objects.values().get().values()]
    assert code not in stored
    assert len(challenge.code_hash) == 64


def test_wrong_code_counts_and_five_wrong_tries_lock_the_code(api_client, sms_provider):
    _request_code(api_client)
    right = sms_provider.last_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(4):
        response = _verify(api_client, wrong)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "otp_invalid"
    response = _verify(api_client, wrong)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "otp_locked"
    # Locked means locked: even the right code no longer works.
    response = _verify(api_client, right)
    assert_api_error(response, 429, "otp_locked")
    assert PhoneChallenge.objects.get().failed_attempts == 5


def test_expired_code_is_refused(api_client, sms_provider):
    _request_code(api_client)
    PhoneChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _verify(api_client, sms_provider.last_code())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "otp_invalid"


def test_only_the_newest_code_is_live(api_client, sms_provider, settings):
    settings.OTP_RESEND_SECONDS = 0
    _request_code(api_client)
    first = sms_provider.last_code()
    _request_code(api_client)
    second = sms_provider.last_code()
    if first != second:
        assert_api_error(_verify(api_client, first), 400, "otp_invalid")
    assert _verify(api_client, second).status_code == 200


def test_code_is_single_use(api_client, sms_provider):
    _request_code(api_client)
    code = sms_provider.last_code()
    assert _verify(api_client, code).status_code == 200
    assert_api_error(_verify(api_client, code), 400, "otp_invalid")


def test_resend_cooldown_answers_429_with_retry_after(api_client, sms_provider):
    assert _request_code(api_client).status_code == 202
    response = _request_code(api_client)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "otp_rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert len(sms_provider.messages) == 1


def test_hourly_limit_per_phone(api_client, sms_provider, settings):
    settings.OTP_RESEND_SECONDS = 0
    for _ in range(5):
        assert _request_code(api_client).status_code == 202
    assert_api_error(_request_code(api_client), 429, "otp_rate_limited")


def test_hourly_limit_per_ip(api_client, sms_provider, settings):
    settings.OTP_RESEND_SECONDS = 0
    settings.OTP_IP_PER_HOUR = 3
    for number in range(3):
        assert _request_code(api_client, phone=f"+44791112345{number}").status_code == 202
    response = _request_code(api_client, phone="+447911123459")
    assert_api_error(response, 429, "otp_rate_limited")
    # Another client IP is not affected.
    assert _request_code(api_client, phone="+447911123459", REMOTE_ADDR="10.1.2.3").status_code == 202


def test_provider_failure_is_a_clear_503_not_a_500(api_client, sms_provider):
    sms_provider.fail_with = 500
    response = _request_code(api_client)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_delivery_failed"
    challenge = PhoneChallenge.objects.get()
    assert challenge.delivery == PhoneChallenge.Delivery.FAILED
    assert "500" in challenge.delivery_error


def test_unreachable_provider_is_a_clear_503(api_client, sms_provider):
    sms_provider.stop()
    response = _request_code(api_client)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_delivery_failed"


def test_answer_does_not_reveal_whether_the_phone_is_registered(api_client, sms_provider, settings):
    settings.OTP_RESEND_SECONDS = 0
    get_user_model().objects.create_user(email="known@example.com", password="x-long-password-1", phone=PHONE)
    known = _request_code(api_client).json()
    unknown = _request_code(api_client, phone="+447911123999").json()
    assert known == unknown


def test_console_backend_prints_the_message_but_not_to_the_log(api_client, caplog, capsys, settings):
    settings.SMS_BACKEND = "accounts.sms.ConsoleSmsBackend"
    with caplog.at_level("DEBUG"):
        assert _request_code(api_client).status_code == 202
    printed = capsys.readouterr().out
    assert f"SMS to {PHONE}: " in printed and re.search(r"\b\d{6}\b", printed)
    assert not any(PHONE in record.getMessage() for record in caplog.records)


def test_closed_account_cannot_sign_in_by_phone(api_client, sms_provider):
    user = get_user_model().objects.create_user(email="gone@example.com", password="x-long-password-1", phone=PHONE)
    user.is_active = False
    user.save()
    _request_code(api_client)
    assert_api_error(_verify(api_client, sms_provider.last_code()), 400, "otp_invalid")
