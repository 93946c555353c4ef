"""Google sign-in for apps. Tokens are signed here with a local RSA key whose certificate is served as
Google's key set through a mocked HTTP layer: no request leaves the machine."""

import datetime as dt
import time

import jwt
import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.contrib.auth import get_user_model

from tests.api_errors import assert_api_error

pytestmark = pytest.mark.django_db

CLIENT_ID = "hypex-test.apps.googleusercontent.com"
CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
URL = "/api/v1/auth/google/"


def _key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-google")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem_key, cert.public_bytes(serialization.Encoding.PEM).decode()


GOOGLE_KEY, GOOGLE_CERT = _key_and_cert()
FORGER_KEY, _ = _key_and_cert()


@pytest.fixture(autouse=True)
def google_app(settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["google"] = {**providers["google"], "APPS": [{"client_id": CLIENT_ID, "secret": "", "key": ""}]}
    settings.SOCIALACCOUNT_PROVIDERS = providers


@pytest.fixture(autouse=True)
def google_keys():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(CERTS_URL, json={"kid-1": GOOGLE_CERT})
        yield mock


def _id_token(
    *,
    key=GOOGLE_KEY,
    sub="1234567890",
    email="ada@gmail.com",
    email_verified=True,
    aud=CLIENT_ID,
    expires_in=600,
    iss="https://accounts.google.com",
):
    now = int(time.time())
    claims = {
        "iss": iss,
        "aud": aud,
        "sub": sub,
        "email": email,
        "email_verified": email_verified,
        "name": "Ada Lovelace",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "iat": now - 10,
        "exp": now + expires_in,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "kid-1"})


def test_valid_token_creates_the_account_and_returns_a_token_pair(api_client):
    response = api_client.post(URL, {"id_token": _id_token()}, format="json")
    assert response.status_code == 200, response.json()
    assert set(response.json()) == {"access", "refresh"}
    user = get_user_model().objects.get(email="ada@gmail.com")
    assert user.first_name == "Ada" and not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "1234567890"
    assert EmailAddress.objects.get(user=user).verified


def test_second_sign_in_finds_the_same_account(api_client):
    api_client.post(URL, {"id_token": _id_token()}, format="json")
    response = api_client.post(URL, {"id_token": _id_token()}, format="json")
    assert response.status_code == 200
    assert get_user_model().objects.filter(email="ada@gmail.com").count() == 1


def test_google_verified_email_links_to_the_existing_account(api_client, user):
    response = api_client.post(URL, {"id_token": _id_token(email=user.email)}, format="json")
    assert response.status_code == 200
    assert SocialAccount.objects.get().user == user
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize(
    ("token_kwargs", "why"),
    [
        ({"expires_in": -60}, "expired"),
        ({"aud": "someone-else.apps.googleusercontent.com"}, "wrong audience"),
        ({"key": FORGER_KEY}, "forged signature"),
        ({"iss": "https://evil.example"}, "wrong issuer"),
    ],
)
def test_bad_tokens_are_refused_with_401(api_client, token_kwargs, why):
    response = api_client.post(URL, {"id_token": _id_token(**token_kwargs)}, format="json")
    assert response.status_code == 401, why
    assert response.json()["error"]["code"] == "google_token_invalid"
    assert get_user_model().objects.count() == 0


def test_garbage_token_is_refused(api_client):
    response = api_client.post(URL, {"id_token": "not-a-jwt"}, format="json")
    assert_api_error(response, 401, "google_token_invalid")


def test_missing_token_is_a_validation_error(api_client):
    response = api_client.post(URL, {}, format="json")
    assert "id_token" in assert_api_error(response, 400, "validation_error")["fields"]


def test_not_configured_is_a_clear_503(api_client, settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["google"] = {key: value for key, value in providers["google"].items() if key != "APPS"}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    response = api_client.post(URL, {"id_token": _id_token()}, format="json")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "google_not_configured"


def test_google_login_is_offered_on_the_login_page(client):
    response = client.get("/auth/login/")
    assert response.status_code == 200
    assert b"/auth/google/login/" in response.content
