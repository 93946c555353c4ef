"""Shopper pages: one login page (allauth's), verification by the emailed link, deletion keeping orders."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model
from oscar.test.factories import create_order, create_product

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "plum-orchard-lantern-42"


@pytest.mark.parametrize(
    ("oscar_url", "allauth_url"),
    [
        ("/accounts/login/?next=/basket/", "/auth/login/?next=%2Fbasket%2F"),
        ("/accounts/register/", "/auth/signup/"),
        ("/accounts/logout/", "/auth/logout/"),
        ("/accounts/change-password/", "/auth/password/change/"),
        ("/password-reset/", "/auth/password/reset/"),
    ],
)
def test_oscar_account_links_lead_to_the_one_allauth_page(client, oscar_url, allauth_url):
    response = client.get(oscar_url)
    assert response.status_code == 302
    assert response["Location"] == allauth_url


def test_account_area_requires_login_through_allauth(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")


def test_sign_up_verify_by_link_then_sign_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves through the outbox after commit
        response = client.post(
            "/auth/signup/", {"email": "page@example.com", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
    assert response.status_code == 302
    assert response["Location"] == "/auth/confirm-email/"
    verification = next(m for m in mail.outbox if "/auth/confirm-email/" in m.body)
    link = re.search(r"http://[^/]+(/auth/confirm-email/[^/\s]+/)", verification.body).group(1)

    client.logout()
    refused = client.post("/auth/login/", {"login": "page@example.com", "password": GOOD_PASSWORD})
    assert refused["Location"] == "/auth/confirm-email/"  # not verified yet: no session

    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    response = client.post("/auth/login/", {"login": "page@example.com", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_page_sign_in_merges_the_anonymous_basket(client, user, password):
    user_email = user.email
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user_email, verified=True, primary=True)
    product = create_product(price=10, num_in_stock=5)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    client.post("/auth/login/", {"login": user_email, "password": password})
    client.get("/basket/")
    assert Basket.open.get(owner=user).num_items == 2


def test_wrong_password_on_the_login_page_is_a_form_error(client, user):
    response = client.post("/auth/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_delete_account_page_needs_the_password_then_anonymises(client, user, password):
    order = create_order(user=user)
    client.force_login(user)
    wrong = client.post("/accounts/profile/delete/", {"password": "wrong", "confirm": "on"})
    assert wrong.status_code == 200 and "password" in wrong.context["form"].errors
    unconfirmed = client.post("/accounts/profile/delete/", {"password": password})
    assert unconfirmed.status_code == 200 and "confirm" in unconfirmed.context["form"].errors

    response = client.post("/accounts/profile/delete/", {"password": password, "confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email is None and not user.is_active
    assert Order.objects.get(pk=order.pk).user_id == user.pk
    assert client.get("/accounts/profile/").status_code == 302  # signed out


def test_delete_page_for_an_account_without_password_asks_for_confirmation(client):
    user = get_user_model().objects.create(phone="+447911123456", email=None)
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = client.get("/accounts/profile/delete/")
    assert "password" not in page.context["form"].fields
    assert client.post("/accounts/profile/delete/", {"confirm": "on"}).status_code == 302
    user.refresh_from_db()
    assert user.phone is None and not user.is_active


def test_allauth_pages_render_inside_the_storefront_layout(client, user):
    client.force_login(user)
    html = client.get("/auth/password/change/").content.decode()
    assert "Delete account" in html and 'id="default"' in html


def test_profile_edit_changes_names_but_never_the_email(client, user):
    client.force_login(user)
    page = client.get("/accounts/profile/edit/")
    assert page.status_code == 200 and "email" not in page.context["form"].fields
    response = client.post(
        "/accounts/profile/edit/", {"first_name": "Sammy", "last_name": "Lee", "email": "x@evil.test"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Sammy", "Lee", "shopper@example.com")
