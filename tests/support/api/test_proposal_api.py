"""/api/v1/support/conversations/<id>/proposals/...: agents propose, the conversation's own shopper
(signed in or the guest of this browser session) accepts into their basket or declines (ADR 0049)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_voucher

from support import proposal_services, services
from support.models import BasketProposal
from support.proposal_selectors import proposals_accepted_by_agent
from tests.api_errors import assert_api_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/support/conversations/"
Basket = get_model("basket", "Basket")


@pytest.fixture
def agent(db):
    return get_user_model().objects.create_superuser(email="agent@example.com", password="x-long-pass-1")


@pytest.fixture
def shirt(db):
    return create_product(title="Red Oxford Shirt", price=45, num_in_stock=3)


def _guest_conversation(client) -> int:
    started = client.post(
        URL,
        {"subject": "Hi", "body": "Which size?", "guest_email": "guest@example.com"},
        content_type="application/json",
    )
    assert started.status_code == 201
    return started.json()["id"]


def _propose(agent, conversation_id: int, **fields) -> dict:
    staff = Client()
    staff.force_login(agent)
    response = staff.post(f"{URL}{conversation_id}/proposals/", fields, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_guest_accepts_into_the_basket_their_browser_uses(client, agent, shirt):
    conversation_id = _guest_conversation(client)
    proposal = _propose(agent, conversation_id, product=shirt.pk, quantity=2)
    assert proposal["product"]["price"] == "45.00" and proposal["status"] == "proposed"
    assert client.get(f"{URL}{conversation_id}/proposals/").json()[0]["id"] == proposal["id"]

    accepted = client.post(f"{URL}{conversation_id}/proposals/{proposal['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    # the basket the shop's pages and API now show this browser holds the shirts
    assert settings.OSCAR_BASKET_COOKIE_OPEN in accepted.cookies
    basket = client.get("/api/v1/basket/").json()
    assert [(line["title"], line["quantity"]) for line in basket["lines"]] == [("Red Oxford Shirt", 2)]
    assert BasketProposal.objects.get().basket_id == basket["id"]
    # the console's context for a guest shows that basket now
    staff = Client()
    staff.force_login(agent)
    assert staff.get(f"{URL}{conversation_id}/context/").json()["basket"][0]["quantity"] == 2


def test_guest_with_a_basket_gets_it_filled_not_a_new_one(client, agent, shirt):
    tie = create_product(title="Blue Tie", price=15, num_in_stock=5)
    assert (
        client.post(
            "/api/v1/basket/lines/", {"product": tie.pk, "quantity": 1}, content_type="application/json"
        ).status_code
        == 201
    )
    conversation_id = _guest_conversation(client)
    proposal = _propose(agent, conversation_id, product=shirt.pk)
    assert client.post(f"{URL}{conversation_id}/proposals/{proposal['id']}/accept/").status_code == 200
    lines = client.get("/api/v1/basket/").json()["lines"]
    assert sorted(line["title"] for line in lines) == ["Blue Tie", "Red Oxford Shirt"]
    assert Basket.objects.count() == 1


def test_guest_declines(client, agent, shirt):
    conversation_id = _guest_conversation(client)
    proposal = _propose(agent, conversation_id, product=shirt.pk)
    declined = client.post(f"{URL}{conversation_id}/proposals/{proposal['id']}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = client.post(f"{URL}{conversation_id}/proposals/{proposal['id']}/accept/")
    assert_api_error(again, 409, "proposal_not_open")
    assert not get_model("basket", "Line").objects.exists()


def test_another_browser_cannot_see_or_accept_a_guests_proposal(client, agent, shirt):
    conversation_id = _guest_conversation(client)
    proposal = _propose(agent, conversation_id, product=shirt.pk)
    stranger = Client()
    assert_api_error(stranger.post(f"{URL}{conversation_id}/proposals/{proposal['id']}/accept/"), 404, "not_found")
    stranger.force_login(get_user_model().objects.create_user(email="s@example.com", password="x-pass-123"))
    assert_api_error(stranger.post(f"{URL}{conversation_id}/proposals/{proposal['id']}/decline/"), 404, "not_found")
    assert BasketProposal.objects.get().status == "proposed"


def test_signed_in_shopper_accepts_and_the_agent_cannot(client, user, agent, shirt):
    conversation = services.conversation_start(customer=user, subject="Shirt", body="Hi")
    proposal = _propose(agent, conversation.pk, product=shirt.pk)
    staff = Client()
    staff.force_login(agent)
    url = f"{URL}{conversation.pk}/proposals/{proposal['id']}/accept/"
    assert_api_error(staff.post(url), 403, "proposal_not_yours")
    client.force_login(user)
    assert client.post(url).json()["status"] == "accepted"
    assert Basket.open.get(owner=user).lines.get().product_id == shirt.pk


def test_accept_refusals_use_the_basket_rules(client, user, agent, shirt):
    conversation = services.conversation_start(customer=user, subject="Shirt", body="Hi")
    client.force_login(user)
    proposal = _propose(agent, conversation.pk, product=shirt.pk, quantity=3)
    shirt.stockrecords.update(num_in_stock=1)
    assert_api_error(
        client.post(f"{URL}{conversation.pk}/proposals/{proposal['id']}/accept/"), 400, "insufficient_stock"
    )
    create_voucher(code="LATER")
    voucher = _propose(agent, conversation.pk, voucher_code="LATER")
    refused = client.post(f"{URL}{conversation.pk}/proposals/{voucher['id']}/accept/")
    assert_api_error(refused, 400, "voucher_not_for_these_products")
    assert_api_error(client.post(f"{URL}{conversation.pk}/proposals/999999/accept/"), 404, "not_found")


def test_only_agents_propose_and_input_is_checked(client, user, agent, shirt):
    conversation = services.conversation_start(customer=user, subject="Shirt", body="Hi")
    client.force_login(user)
    url = f"{URL}{conversation.pk}/proposals/"
    assert_api_error(
        client.post(url, {"product": shirt.pk}, content_type="application/json"), 403, "proposal_not_allowed"
    )
    staff = Client()
    staff.force_login(agent)
    for body in ({"product": "1"}, {"product": shirt.pk, "voucher_code": "X"}, {}, {"voucher_code": 5},
                 {"product": shirt.pk, "quantity": 0}):  # fmt: skip
        assert_api_error(staff.post(url, body, content_type="application/json"), 400, "validation_error")
    assert_api_error(
        staff.post(url, {"voucher_code": "NOPE"}, content_type="application/json"), 400, "voucher_not_found"
    )
    assert not BasketProposal.objects.exists()


def test_accepted_proposals_are_counted_by_agent(user, agent, shirt):
    conversation = services.conversation_start(customer=user, subject="Shirt", body="Hi")
    first = proposal_services.proposal_propose(conversation=conversation, agent=agent, product_id=shirt.pk)
    proposal_services.proposal_propose(conversation=conversation, agent=agent, product_id=shirt.pk)  # left open
    basket = Basket.open.create(owner=user)
    basket.strategy = proposal_services.Selector().strategy(user=user)
    proposal_services.proposal_accept(proposal=first, basket=basket, user=user, session_key=None)
    now = timezone.now()
    assert proposals_accepted_by_agent(start=now - timedelta(hours=1), end=now + timedelta(hours=1)) == {agent.pk: 1}
    assert proposals_accepted_by_agent(start=now + timedelta(hours=1), end=now + timedelta(hours=2)) == {}
