"""/api/v1/me/addresses/: the address book, validated per country, private to its owner."""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from tests.api_errors import assert_api_error
from tests.conftest import auth_header

UserAddress = get_model("address", "UserAddress")
URL = "/api/v1/me/addresses/"
pytestmark = pytest.mark.django_db

HOME = {
    "first_name": "Sam",
    "last_name": "Shopper",
    "line1": "1 High Street",
    "line4": "Leeds",
    "postcode": "LS1 1AA",
    "country": "GB",
    "is_default_for_shipping": True,
    "is_default_for_billing": True,
}


@pytest.fixture
def other_user(db):
    return get_user_model().objects.create_user(email="other@example.com", password="x-long-password-1")


def test_create_list_update_delete(api_client, user, countries):
    headers = auth_header(user)
    created = api_client.post(URL, HOME, format="json", **headers)
    assert created.status_code == 201, created.json()
    address_id = created.json()["id"]
    assert created.json()["country"] == "GB"

    assert [a["id"] for a in api_client.get(URL, **headers).json()] == [address_id]

    patched = api_client.patch(f"{URL}{address_id}/", {"line2": "Flat 2"}, format="json", **headers)
    assert patched.status_code == 200 and patched.json()["line2"] == "Flat 2"

    assert api_client.delete(f"{URL}{address_id}/", **headers).status_code == 204
    assert not UserAddress.objects.exists()


def test_only_one_default_shipping_and_billing_address(api_client, user, countries):
    headers = auth_header(user)
    first = api_client.post(URL, HOME, format="json", **headers).json()
    second = api_client.post(URL, {**HOME, "line1": "2 Low Road"}, format="json", **headers).json()
    addresses = {a["id"]: a for a in api_client.get(URL, **headers).json()}
    assert addresses[second["id"]]["is_default_for_shipping"] is True
    assert addresses[first["id"]]["is_default_for_shipping"] is False
    assert addresses[first["id"]]["is_default_for_billing"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "NOT A CODE"}, "postcode"),
        ({"postcode": ""}, "__all__"),
        ({"country": "XX"}, "country"),
        ({"line1": ""}, "line1"),
        ({"phone_number": "12"}, "phone_number"),
    ],
)
def test_invalid_addresses_are_refused_with_field_errors(api_client, user, countries, change, field):
    response = api_client.post(URL, {**HOME, **change}, format="json", **auth_header(user))
    assert field in assert_api_error(response, 400, "validation_error")["fields"]
    assert not UserAddress.objects.exists()


def test_postcode_rules_follow_the_country(api_client, user, countries):
    irish = {**HOME, "country": "IE", "postcode": "", "line4": "Galway"}
    assert api_client.post(URL, irish, format="json", **auth_header(user)).status_code == 201


def test_duplicate_address_is_refused(api_client, user, countries):
    headers = auth_header(user)
    assert api_client.post(URL, HOME, format="json", **headers).status_code == 201
    duplicate = api_client.post(URL, HOME, format="json", **headers)
    assert_api_error(duplicate, 400, "validation_error")
    assert UserAddress.objects.count() == 1


def test_another_customers_address_answers_404(api_client, user, other_user, countries):
    theirs = api_client.post(URL, HOME, format="json", **auth_header(other_user)).json()["id"]
    mine = auth_header(user)
    assert_api_error(api_client.get(f"{URL}{theirs}/", **mine), 404, "not_found")
    assert_api_error(api_client.patch(f"{URL}{theirs}/", {"line2": "x"}, format="json", **mine), 404, "not_found")
    assert_api_error(api_client.delete(f"{URL}{theirs}/", **mine), 404, "not_found")
    assert api_client.get(URL, **mine).json() == []
    assert UserAddress.objects.get(pk=theirs).line2 == ""


def test_addresses_need_authentication(api_client):
    assert_api_error(api_client.get(URL), 401, "not_authenticated")
