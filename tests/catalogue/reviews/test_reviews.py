"""Reviews: purchasers only, once (API and page); moderation keeps the rating and count right."""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from catalogue.reviews import services
from tests.api_errors import assert_api_error
from tests.catalogue.conftest import place_order, product_with_stock
from tests.conftest import auth_header

ProductReview = get_model("reviews", "ProductReview")
Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db

REVIEW = {"score": 4, "title": "Good shirt", "body": "Soft and well made."}


def _url(product) -> str:
    return f"/api/v1/products/{product.pk}/reviews/"


def test_anonymous_post_is_403_authentication_required(api_client, product):
    response = api_client.post(_url(product), REVIEW, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "authentication_required"


def test_shopper_who_did_not_buy_gets_403_not_purchased(api_client, user, product):
    response = api_client.post(_url(product), REVIEW, format="json", **auth_header(user))
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "not_purchased", "message": "Only customers who bought this product can review it."
    }  # fmt: skip
    assert not ProductReview.objects.exists()


def test_unpaid_or_cancelled_order_does_not_count_as_bought(api_client, user, product):
    place_order(user, product, status="Pending payment")
    place_order(user, product, status="Cancelled")
    response = api_client.post(_url(product), REVIEW, format="json", **auth_header(user))
    assert response.json()["error"]["code"] == "not_purchased"


def test_purchaser_reviews_once_and_waits_for_moderation(api_client, user, product):
    place_order(user, product)
    response = api_client.post(_url(product), REVIEW, format="json", **auth_header(user))
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and response.json()["score"] == 4
    again = api_client.post(_url(product), REVIEW, format="json", **auth_header(user))
    assert again.status_code == 403 and again.json()["error"]["code"] == "already_reviewed"
    assert api_client.get(_url(product)).json()["count"] == 0  # not shown before approval


def test_buying_a_variant_lets_you_review_the_parent(api_client, user):
    parent = product_with_stock("Shirt", structure="parent")
    child = product_with_stock("Shirt, M", parent=parent, structure="child", product_class=parent.product_class)
    place_order(user, child)
    assert api_client.post(_url(parent), REVIEW, format="json", **auth_header(user)).status_code == 201


@pytest.mark.parametrize(
    "body,field", [({**REVIEW, "score": 9}, "score"), ({**REVIEW, "title": "  "}, "title"), ({"score": 3}, "body")]
)
def test_bad_review_is_400_with_the_field(api_client, user, product, body, field):
    place_order(user, product)
    response = api_client.post(_url(product), body, format="json", **auth_header(user))
    assert field in assert_api_error(response, 400, "validation_error")["fields"]


def _review(product, email: str, score: int):
    shopper = get_user_model().objects.create_user(email=email, password="x-long-pass-1")
    place_order(shopper, product)
    return services.review_create(product=product, user=shopper, score=score, title="T", body="B")


def test_approving_and_removing_keep_average_and_count_right(product):
    first, second, third = (
        _review(product, "a@x.test", 5),
        _review(product, "b@x.test", 2),
        _review(product, "c@x.test", 3),
    )
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (None, 0)
    services.reviews_approve(review_ids=[first.pk, second.pk])
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (3.5, 2)
    services.reviews_reject(review_ids=[second.pk, third.pk])
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (5.0, 1)
    services.reviews_delete(review_ids=[first.pk])
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (None, 0)


def test_staff_approve_and_reject_in_the_admin(client, staff_user, product):
    review = _review(product, "a@x.test", 4)
    client.force_login(staff_user)
    changelist = "/admin/reviews/productreview/"
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "approve", "_selected_action": [review.pk]})
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (4.0, 1)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "4.0 out of 5 (1 review)" in page
    client.post(changelist, {"action": "reject", "_selected_action": [review.pk]})
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (None, 0)


def test_deleting_in_the_admin_updates_the_rating(client, staff_user, product):
    review = _review(product, "a@x.test", 4)
    services.reviews_approve(review_ids=[review.pk])
    client.force_login(staff_user)
    response = client.post(f"/admin/reviews/productreview/{review.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.rating, product.reviews_count) == (None, 0)


def test_api_lists_approved_reviews_with_the_average(api_client, product):
    review = _review(product, "a@x.test", 4)
    _review(product, "b@x.test", 1)  # pending: not listed
    services.reviews_approve(review_ids=[review.pk])
    body = api_client.get(_url(product)).json()
    assert body["rating"] == 4.0 and body["count"] == 1
    assert body["results"][0]["title"] == "T" and body["results"][0]["status"] == "approved"


def test_review_page_refuses_a_shopper_who_did_not_buy(client, user, product):
    client.force_login(user)
    add = f"/catalogue/{product.slug}_{product.pk}/reviews/add/"
    response = client.post(add, {"title": "x", "score": 5, "body": "y"}, follow=True)
    assert "Only customers who bought this product can review it." in response.content.decode()
    assert not ProductReview.objects.exists()


def test_review_page_sends_anonymous_shoppers_to_sign_in(client, product):
    response = client.get(f"/catalogue/{product.slug}_{product.pk}/reviews/add/")
    assert response.status_code == 302 and "next=" in response["Location"]


def test_purchaser_reviews_through_the_page(client, user, product):
    place_order(user, product)
    client.force_login(user)
    add = f"/catalogue/{product.slug}_{product.pk}/reviews/add/"
    assert client.get(add).status_code == 200
    response = client.post(add, {"title": "Lovely", "score": 5, "body": "Fits well."})
    assert response.status_code == 302
    review = ProductReview.objects.get()
    assert (review.user, review.status, review.score) == (user, ProductReview.FOR_MODERATION, 5)
    again = client.get(add, follow=True).content.decode()
    assert "You have already reviewed this product." in again
