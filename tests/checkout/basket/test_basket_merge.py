"""Signing in through the API merges the anonymous basket into the account's, as pages do."""

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_product

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")
pytestmark = pytest.mark.django_db


def _add_to_basket_as_anonymous(client, product, quantity=1):
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
    assert response.status_code == 302
    assert "oscar_open_basket" in client.cookies


def test_token_sign_in_merges_the_anonymous_basket(client, user, password):
    product = create_product(price=10, num_in_stock=5)
    _add_to_basket_as_anonymous(client, product, quantity=2)

    response = client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200

    basket = Basket.open.get(owner=user)
    assert basket.num_items == 2
    assert basket.lines.get().product == product
    # The anonymous basket is gone and its cookie cleared.
    assert not Basket.open.filter(owner__isnull=True).exists()
    assert response.cookies["oscar_open_basket"].value == ""


def test_merge_adds_to_what_the_account_already_had(client, user, password):
    product = create_product(price=10, num_in_stock=10)
    existing = Basket.open.create(owner=user)
    existing.strategy = Selector().strategy()
    existing.add_product(product, quantity=1)
    _add_to_basket_as_anonymous(client, product, quantity=3)

    client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, content_type="application/json")
    assert Basket.open.get(owner=user).num_items == 4


def test_sign_in_without_a_basket_cookie_changes_nothing(api_client, user, password):
    response = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200
    assert not Basket.objects.exists()


def test_page_sign_in_merges_once_through_the_same_receiver(client, user, password):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    product = create_product(price=10, num_in_stock=10)
    existing = Basket.open.create(owner=user)
    existing.strategy = Selector().strategy()
    existing.add_product(product, quantity=1)
    _add_to_basket_as_anonymous(client, product, quantity=3)

    response = client.post("/auth/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    client.get("/basket/")  # Oscar's middleware finds no anonymous basket left to merge again

    assert Basket.open.get(owner=user).num_items == 4
    assert not Basket.open.filter(owner__isnull=True).exists()
