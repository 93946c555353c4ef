"""The API answers what its schema says: JSON 404s everywhere under /api/, flat validation `fields`,
strict string fields, nullable fields marked nullable, error responses documented."""

from __future__ import annotations

import pytest

from tests.api_errors import assert_api_error
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nothing-here/",
        "/api/v1/products/abc/",
        "/api/v1/products/-1/reviews/",
        "/api/v1/support/conversations/x/",
        "/api/v1/basket/lines/abc/",
        "/api/v1/cms/pages/abc/",
        "/api/v2/",
    ],
)
def test_unknown_api_paths_answer_404_in_the_error_format(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_page_paths_still_get_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_nested_validation_errors_are_flat_dotted_keys(api_client, user):
    response = api_client.post(
        "/api/v1/checkout/",
        {"shipping_address": {"line1": "", "country": 7}, "shipping_method": "x", "payment_method": "dummy"},
        format="json",
        **auth_header(user),
    )
    fields = assert_api_error(response, 400, "validation_error")["fields"]
    assert "shipping_address.line1" in fields and "shipping_address.country" in fields
    assert all(isinstance(key, str) and all(isinstance(m, str) for m in messages) for key, messages in fields.items())


def test_errors_in_lists_of_objects_carry_the_index(api_client, staff_user):
    from decimal import Decimal

    from oscar.test.factories import create_basket, create_order, create_product

    basket = create_basket(empty=True)
    basket.add_product(create_product(price=Decimal("10.00"), num_in_stock=5))
    order = create_order(basket=basket)
    response = api_client.post(
        f"/api/v1/staff/orders/{order.number}/refunds/",
        {"lines": [{"line_id": 1, "quantity": 1}, {"line_id": "x", "quantity": 0}]},
        format="json",
        **auth_header(staff_user),
    )
    error = assert_api_error(response, 400, "validation_error")
    assert set(error["fields"]) == {"lines.1.line_id", "lines.1.quantity"}


@pytest.mark.parametrize("value", [0, 1.5, True, ["Smith"], {"a": 1}])
def test_string_fields_refuse_other_json_types(api_client, user, value):
    response = api_client.patch("/api/v1/me/", {"last_name": value}, format="json", **auth_header(user))
    assert assert_api_error(response, 400, "validation_error")["fields"] == {"last_name": ["Not a valid string."]}
    user.refresh_from_db()
    assert user.last_name == ""


def test_string_children_of_dict_fields_refuse_numbers(api_client):
    response = api_client.post("/api/v1/basket/lines/", {"product": 1, "options": {"engraving": 5}}, format="json")
    assert "options.engraving" in assert_api_error(response, 400, "validation_error")["fields"]


def _schema(api_client) -> dict:
    return api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_schema_marks_a_conversations_order_nullable(api_client):
    order = _schema(api_client)["components"]["schemas"]["Conversation"]["properties"]["order"]
    assert order.get("nullable") is True


def test_every_operation_documents_its_error_answers(api_client):
    paths = _schema(api_client)["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert {"400", "414"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert "415" in codes, (method, path)
    me = paths["/api/v1/me/"]
    assert {"401", "403"} <= set(me["get"]["responses"])


def test_unsafe_methods_on_unknown_api_paths_are_404_json_not_a_csrf_page(client, user):
    client.force_login(user)
    response = client.delete("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
