"""The API root, the JWT pair, and the one error format."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_root_lists_its_sections(api_client):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    sections = response.json()["sections"]
    assert sections["auth_token"].endswith("/api/v1/auth/token/")
    assert sections["docs"].endswith("/api/v1/schema/swagger-ui/")
    assert sections["products"].endswith("/api/v1/products/")


def test_token_pair_for_good_credentials_and_it_authenticates(api_client, user, password):
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_wrong_password_gets_401_in_the_error_format(api_client, user):
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": "nope"}, format="json")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "no_active_account"
    assert error["message"]


def test_missing_fields_get_400_with_per_field_messages(api_client):
    response = api_client.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"email", "password"}


def test_malformed_json_gets_400_parse_error(api_client):
    response = api_client.post("/api/v1/auth/token/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_refresh_rotates_and_the_used_refresh_token_is_refused(api_client, user, password):
    pair = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json").json()
    rotated = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != pair["refresh"]

    reused = api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_not_valid"


def test_unknown_api_path_is_404_and_wrong_method_is_405(api_client):
    assert api_client.get("/api/v1/products/?page=999").json()["error"]["code"] == "not_found"
    response = api_client.delete(reverse("api:root"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_page_size_is_capped(api_client):
    from django.core.management import call_command

    call_command("seed_demo", products=3, no_progress=True, verbosity=0)
    response = api_client.get("/api/v1/products/?page_size=1000")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["price"]["currency"] == "GBP"
    assert isinstance(first["price"]["excl_tax"], str)


def test_schema_only_describes_the_public_api(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/auth/token/" in paths
    assert all(path.startswith("/api/v1/") for path in paths)


def test_swagger_ui_is_served_from_our_own_static_files(client):
    response = client.get("/api/v1/schema/swagger-ui/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
