"""Canned replies: managed in the back office by the Support agent role, listed for the console with
their placeholders filled from the conversation; a body never fails to render."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from backoffice.roles import SUPPORT_AGENT, staff_roles_apply
from support import services
from support.models import CannedReply
from tests.api_errors import assert_api_error
from tests.checkout.lifecycle import order_place
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db

URL = "/api/v1/support/canned-replies/"


@pytest.fixture
def support_agent(db):
    staff_roles_apply()
    user = get_user_model().objects.create_user(
        email="support@example.com", password="a-long-password-1", first_name="Robin"
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=SUPPORT_AGENT))
    return user


def _reply(body: str, shortcut: str = "r") -> CannedReply:
    return CannedReply.objects.create(title=f"Reply {shortcut}", shortcut=shortcut, body=body)


def _rendered(api_client, agent, conversation=None) -> list[dict]:
    query = f"?conversation={conversation.pk}" if conversation else ""
    response = api_client.get(URL + query, **auth_header(agent))
    assert response.status_code == 200, response.content
    return response.json()


def test_placeholders_are_filled_from_the_shoppers_conversation(api_client, support_agent, user):
    order = order_place(user=user)
    conversation = services.conversation_start(customer=user, subject="Late", body="Hi", order_id=order.pk)
    _reply("Hi {customer_first_name}, order {order_number} is here: {tracking_link} - {agent_first_name}")

    [reply] = _rendered(api_client, support_agent, conversation)

    assert reply["body"] == (
        f"Hi Sam, order {order.number} is here: http://testserver/accounts/orders/{order.number}/ - Robin"
    )
    assert (reply["title"], reply["shortcut"]) == ("Reply r", "r")


def test_a_guests_order_link_is_signed_and_missing_values_are_empty(api_client, support_agent):
    conversation = services.conversation_start(
        guest_email="g@example.com", session_key="k" * 32, subject="Q", body="Hi"
    )
    _reply("Hi {customer_first_name}! Order: {order_number}.", "a")
    [empty] = _rendered(api_client, support_agent, conversation)
    assert empty["body"] == "Hi ! Order: ."

    order = order_place()
    order.guest_email = "g@example.com"
    order.save(update_fields=["guest_email"])
    _reply("{tracking_link}", "b")
    link = _rendered(api_client, support_agent, conversation)[1]["body"]
    assert link.startswith(f"http://testserver/accounts/order-status/{order.number}/")
    assert order.verification_hash() in link


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{unknown} {0} {} {customer_first_name.__class__} {customer_first_name!r}",
         "  {} {customer_first_name.__class__} {customer_first_name!r}"),
        ("{{customer_first_name}} {order_number:>999999999} {", "{Sam} {order_number:>999999999} {"),
        ("<script>alert(1)</script> {customer_first_name}", "<script>alert(1)</script> Sam"),
    ],
)  # fmt: skip
def test_odd_bodies_render_as_plain_text_and_never_fail(api_client, support_agent, user, body, expected):
    conversation = services.conversation_start(customer=user, subject="Q", body="Hi")
    _reply(body)

    [reply] = _rendered(api_client, support_agent, conversation)

    assert reply["body"] == expected


def test_without_a_conversation_only_the_agent_is_filled(api_client, support_agent):
    _reply("{agent_first_name} / {customer_first_name}")
    assert _rendered(api_client, support_agent)[0]["body"] == "Robin / "


@pytest.mark.parametrize("query", ["?conversation=abc", "?conversation=-1", "?conversation=0", "?conversation=999"])
def test_a_bad_or_unknown_conversation_is_refused(api_client, support_agent, query):
    response = api_client.get(URL + query, **auth_header(support_agent))
    assert response.status_code in (400, 404)
    assert_api_error(response, response.status_code)


def test_a_huge_conversation_id_is_a_400(api_client, support_agent):
    assert_api_error(api_client.get(URL + "?conversation=" + "9" * 30, **auth_header(support_agent)), 400)


def test_shoppers_and_guests_do_not_see_canned_replies(api_client, user):
    _reply("secret macro")
    assert_api_error(api_client.get(URL, **auth_header(user)), 403)
    assert api_client.get(URL).status_code in (401, 403)


def test_the_support_agent_role_adds_a_canned_reply_in_the_back_office(client, support_agent):
    client.force_login(support_agent)
    assert client.get("/admin/support/cannedreply/").status_code == 200

    response = client.post(
        "/admin/support/cannedreply/add/",
        {"title": "Where is my parcel", "shortcut": "parcel", "body": "Hi {customer_first_name}, see {tracking_link}"},
    )

    assert response.status_code == 302, response.content[:2000]
    reply = CannedReply.objects.get(shortcut="parcel")
    assert reply.body == "Hi {customer_first_name}, see {tracking_link}"
    assert client.post(f"/admin/support/cannedreply/{reply.pk}/delete/", {"post": "yes"}).status_code == 403
