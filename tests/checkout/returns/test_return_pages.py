"""The storefront's return pages: from the signed-in customer's order page and from a guest's signed
status link, through the test client; the order pages show each return's status."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from checkout.order.links import order_status_path
from checkout.returns import views as return_views
from checkout.returns.errors import ReturnStateError
from checkout.returns.models import ReturnRequest
from checkout.returns.services import (
    return_lines_approve,
    return_receive,
    return_refund,
)
from tests.checkout.lifecycle import order_place

pytestmark = pytest.mark.usefixtures("reasons")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _form(order, **choices):
    """POST data: {line: (quantity, reason)} as the page's fields."""
    data = {"comment": ""}
    for line in order.lines.all():
        quantity, reason = choices.get(f"l{line.pk}", (0, ""))
        data[f"quantity_{line.pk}"] = str(quantity)
        data[f"reason_{line.pk}"] = reason
    return data


def test_the_order_page_links_to_the_return_form(delivered_order, user):
    page = _signed_in(user).get(f"/accounts/orders/{delivered_order.number}/").content.decode()
    assert f'href="/returns/order/{delivered_order.number}/" data-return-link' in page
    form = _signed_in(user).get(f"/returns/order/{delivered_order.number}/")
    assert form.status_code == 200
    html = form.content.decode()
    assert "Changed my mind" in html and all(
        f'name="quantity_{line.pk}"' in html for line in delivered_order.lines.all()
    )


def test_customer_asks_for_a_return_and_sees_its_status(delivered_order, user):
    client = _signed_in(user)
    line = delivered_order.lines.order_by("pk").first()
    response = client.post(
        f"/returns/order/{delivered_order.number}/", _form(delivered_order, **{f"l{line.pk}": (1, "damaged")})
    )
    assert response.status_code == 302 and response["Location"] == f"/accounts/orders/{delivered_order.number}/"
    request = ReturnRequest.objects.get()
    assert [(item.order_line_id, item.quantity, item.reason.code) for item in request.lines.all()] == [
        (line.pk, 1, "damaged")
    ]
    page = client.get(response["Location"]).content.decode()
    assert f'data-return="{request.pk}"' in page and "data-return-status>Requested<" in page

    request = return_refund(return_request=return_receive(return_request=return_lines_approve(return_request=request)))
    page = client.get(response["Location"]).content.decode()
    assert "data-return-status>Refunded<" in page and "Refunded £10.00" in page


def test_bad_choices_are_form_errors(delivered_order, user):
    client = _signed_in(user)
    line = delivered_order.lines.order_by("pk").first()
    url = f"/returns/order/{delivered_order.number}/"
    nothing = client.post(url, _form(delivered_order))
    no_reason = client.post(url, _form(delivered_order, **{f"l{line.pk}": (1, "")}))
    too_many = client.post(url, _form(delivered_order, **{f"l{line.pk}": (9, "damaged")}))
    not_a_number = client.post(url, {**_form(delivered_order), f"quantity_{line.pk}": "1e99"})
    bad_reason = client.post(url, _form(delivered_order, **{f"l{line.pk}": (1, "meh")}))
    nul = client.post(url, {**_form(delivered_order, **{f"l{line.pk}": (1, "damaged")}), "comment": "a\x00b"})

    assert [r.status_code for r in (nothing, no_reason, too_many, not_a_number, bad_reason, nul)] == [400] * 6
    assert "Choose how many of at least one item" in nothing.content.decode()
    assert "Tell us why" in no_reason.content.decode()
    assert not ReturnRequest.objects.exists()


def test_the_form_tells_when_nothing_can_be_returned(db, user, dummy_payments):
    unpaid = order_place(user=user)
    response = _signed_in(user).get(f"/returns/order/{unpaid.number}/")
    assert response.status_code == 200 and "Only delivered orders can be returned." in response.content.decode()
    assert _signed_in(user).post(f"/returns/order/{unpaid.number}/", {}).status_code == 409


def test_a_refusal_by_the_service_is_a_form_error(delivered_order, user, monkeypatch):
    """The service re-checks under the order's lock; what it refuses (a window that closed while the
    page was open) comes back as the form's error with the service's status."""

    def closed(**kwargs):
        raise ReturnStateError("The return window closed on 1 Jan 2026.", code="return_window_closed")

    monkeypatch.setattr(return_views, "return_request_create", closed)
    line = delivered_order.lines.order_by("pk").first()
    response = _signed_in(user).post(
        f"/returns/order/{delivered_order.number}/", _form(delivered_order, **{f"l{line.pk}": (1, "damaged")})
    )
    assert response.status_code == 409 and "The return window closed" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_nobody_else_reaches_the_form(delivered_order, guest_order, user):
    stranger = get_user_model().objects.create_user(email="other@example.com", password="pw-12345678")
    assert _signed_in(stranger).get(f"/returns/order/{delivered_order.number}/").status_code == 404
    assert Client().get(f"/returns/order/{delivered_order.number}/").status_code == 404
    assert Client().get(f"/returns/order/{guest_order.number}/").status_code == 404
    assert Client().get(f"/returns/order/{guest_order.number}/?key=wrong").status_code == 404
    assert Client().get("/returns/order/NOPE/").status_code == 404


def test_a_guest_returns_through_the_signed_link(guest_order):
    client = Client()
    key = guest_order.verification_hash()
    status_path = order_status_path(guest_order)
    session = client.session
    session["anon_order_email"] = guest_order.guest_email  # Oscar's status page asks for the email once
    session.save()
    status_page = client.get(status_path).content.decode()
    assert f"/returns/order/{guest_order.number}/?key=" in status_page

    line = guest_order.lines.order_by("pk").first()
    assert client.get(f"/returns/order/{guest_order.number}/?key={key}").status_code == 200
    response = client.post(
        f"/returns/order/{guest_order.number}/",
        {**_form(guest_order, **{f"l{line.pk}": (2, "wrong-size")}), "key": key},
    )
    assert response.status_code == 302 and response["Location"] == status_path
    request = ReturnRequest.objects.get()
    assert request.requested_by is None and request.lines.get().quantity == 2
    assert "data-return-status>Requested<" in client.get(status_path).content.decode()
