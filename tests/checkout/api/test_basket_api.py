"""Basket API: anonymous and signed-in baskets, stock and limit checks, lines."""

import pytest
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from tests.api_errors import assert_api_error
from tests.checkout.conftest import add_line
from tests.conftest import auth_header

Basket = get_model("basket", "Basket")
pytestmark = pytest.mark.django_db


def test_anonymous_client_gets_a_basket_token_and_keeps_its_basket_with_it(api_client, product):
    response = add_line(api_client, product, 2)

    assert response.status_code == 201
    body = response.json()
    assert body["num_items"] == 2
    assert body["lines"][0]["title"] == "Linen Shirt"
    assert body["lines"][0]["unit_price"] == {"currency": "GBP", "excl_tax": "25.00", "incl_tax": "25.00"}
    assert body["total"]["excl_tax"] == "50.00"
    token = body["token"]
    assert token

    app = APIClient()  # no cookies: only the token
    assert app.get("/api/v1/basket/", HTTP_X_BASKET_TOKEN=token).json()["num_items"] == 2
    assert APIClient().get("/api/v1/basket/").json()["num_items"] == 0


def test_anonymous_client_keeps_its_basket_through_the_cookie(api_client, product):
    add_line(api_client, product, 1)
    add_line(api_client, product, 2)

    body = api_client.get("/api/v1/basket/").json()
    assert body["num_items"] == 3
    assert len(body["lines"]) == 1
    assert Basket.objects.count() == 1


def test_forged_basket_token_gives_an_empty_basket(api_client, product):
    add_line(api_client, product, 1)
    other = Basket.objects.get()

    body = APIClient().get("/api/v1/basket/", HTTP_X_BASKET_TOKEN=f"{other.pk}:forged").json()
    assert body["num_items"] == 0
    assert body["id"] is None


def test_signed_in_basket_is_the_same_on_every_device(user, product):
    phone, laptop = APIClient(), APIClient()
    add_line(phone, product, 2, **auth_header(user))

    body = laptop.get("/api/v1/basket/", **auth_header(user)).json()
    assert body["num_items"] == 2
    assert body["token"] is None
    assert Basket.open.get(owner=user).num_items == 2


def test_adding_more_than_in_stock_is_refused_with_a_clear_error(api_client, make_product):
    product = make_product(title="Rare Vase", stock=3)
    add_line(api_client, product, 2)

    response = add_line(api_client, product, 2)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert "Only 3" in response.json()["error"]["message"]
    assert api_client.get("/api/v1/basket/").json()["num_items"] == 2


def test_out_of_stock_product_cannot_be_added(api_client, make_product):
    response = add_line(api_client, make_product(stock=0), 1)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "product_not_available"


def test_basket_quantity_limit_is_enforced(api_client, make_product, settings):
    settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 5
    product = make_product(stock=100)
    add_line(api_client, product, 4)

    response = add_line(api_client, product, 2)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "quantity_limit_exceeded"


def test_unknown_product_and_bad_quantity_are_validation_errors(api_client, product):
    assert add_line(api_client, type("P", (), {"pk": 999999})(), 1).json()["error"]["fields"]["product"]
    response = add_line(api_client, product, 0)
    assert "quantity" in assert_api_error(response, 400, "validation_error")["fields"]
    response = api_client.post("/api/v1/basket/lines/", {"product": "x"}, format="json")
    assert "product" in assert_api_error(response, 400, "validation_error")["fields"]


def test_line_quantity_can_be_changed_within_stock(api_client, make_product):
    product = make_product(stock=5)
    line_id = add_line(api_client, product, 1).json()["lines"][0]["id"]

    response = api_client.patch(f"/api/v1/basket/lines/{line_id}/", {"quantity": 5}, format="json")
    assert response.status_code == 200
    assert response.json()["num_items"] == 5

    response = api_client.patch(f"/api/v1/basket/lines/{line_id}/", {"quantity": 6}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "insufficient_stock"


def test_line_can_be_removed(api_client, product):
    line_id = add_line(api_client, product, 1).json()["lines"][0]["id"]

    response = api_client.delete(f"/api/v1/basket/lines/{line_id}/")

    assert response.status_code == 200
    assert response.json()["lines"] == []


def test_nobody_can_touch_a_line_of_another_basket(api_client, user, product):
    line_id = add_line(APIClient(), product, 1, **auth_header(user)).json()["lines"][0]["id"]

    changed = api_client.patch(f"/api/v1/basket/lines/{line_id}/", {"quantity": 2}, format="json")
    assert_api_error(changed, 404, "not_found")
    assert_api_error(api_client.delete(f"/api/v1/basket/lines/{line_id}/"), 404, "not_found")
    assert Basket.open.get(owner=user).num_items == 1


def test_token_sign_in_merges_the_token_basket_capped_by_stock(user, password, make_product):
    product = make_product(stock=4)
    add_line(APIClient(), product, 3, **auth_header(user))
    app = APIClient()
    token = add_line(app, product, 3).json()["token"]

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json", HTTP_X_BASKET_TOKEN=token
    )
    assert response.status_code == 200

    basket = APIClient().get("/api/v1/basket/", **auth_header(user)).json()
    assert basket["num_items"] == 4  # 3 + 3, capped by the 4 in stock
    assert not Basket.open.filter(owner__isnull=True).exists()


def test_page_sign_in_merges_the_cookie_basket_capped_by_stock(client, user, password, make_product):
    product = make_product(stock=5)
    add_line(APIClient(), product, 4, **auth_header(user))
    client.post(f"/basket/add/{product.pk}/", {"quantity": 3})

    client.force_login(user)
    client.get("/basket/")

    assert Basket.open.get(owner=user).num_items == 5
