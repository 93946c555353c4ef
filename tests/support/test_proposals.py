"""Agent-assisted basket over websockets (ADR 0049): an agent proposes a product or a voucher in the
conversation, the shopper accepts it into their basket or declines, both sides see it live, and the
agent's console sees the basket change."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_voucher

from support.models import BasketProposal
from tests.support.conftest import connect_with_session, connect_with_token
from tests.support.conftest import receive_until as _receive_until

pytestmark = pytest.mark.django_db(transaction=True)
Basket = get_model("basket", "Basket")


async def receive_until(communicator, frame_type: str, timeout: float = 10.0) -> dict:
    """A frame of this type; generous time, as an accept runs the basket services and offers on a busy
    machine (and on Redis a timed-out receive leaves the channel layer bound to a finished loop)."""
    return await _receive_until(communicator, frame_type, timeout=timeout)


def _path(conversation) -> str:
    return f"/ws/support/{conversation.pk}/"


@pytest.fixture
def shirt(db):
    return create_product(title="Red Oxford Shirt", price=45, num_in_stock=3)


async def _status(communicator, status: str) -> dict:
    """The next `proposal` frame with this status (earlier ones of the same proposal are skipped)."""
    while True:
        proposal = (await receive_until(communicator, "proposal"))["proposal"]
        if proposal["status"] == status:
            return proposal


async def _both(client, user, agent, conversation):
    shopper, connected, _ = await connect_with_session(client, user, _path(conversation))
    assert connected
    await receive_until(shopper, "history")
    support, connected, _ = await connect_with_token(agent, _path(conversation))
    assert connected
    await receive_until(support, "history")
    return shopper, support


async def test_agent_proposes_and_shopper_accepts_into_their_basket(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    console, _, _ = await connect_with_token(agent, "/ws/support/agents/")
    await receive_until(console, "snapshot")

    await support.send_json_to({"type": "propose", "product": shirt.pk, "quantity": 2})
    for side in (shopper, support):
        frame = (await receive_until(side, "proposal"))["proposal"]
        assert frame["status"] == "proposed" and frame["quantity"] == 2
        assert frame["product"]["title"] == "Red Oxford Shirt"
        assert frame["product"]["price"] == "45.00" and frame["product"]["currency"]
        assert frame["product"]["in_stock"] is True

    await shopper.send_json_to({"type": "accept", "proposal": frame["id"]})
    for side in (shopper, support):
        accepted = (await receive_until(side, "proposal"))["proposal"]
        assert accepted["status"] == "accepted" and accepted["accepted_at"]
    basket_frame = await receive_until(console, "basket")
    assert basket_frame["conversation"] == conversation.pk
    assert basket_frame["basket"][0]["product"] == "Red Oxford Shirt" and basket_frame["basket"][0]["quantity"] == 2

    basket = await database_sync_to_async(Basket.open.get)(owner=user)
    assert await database_sync_to_async(lambda: basket.lines.get().quantity)() == 2
    proposal = await database_sync_to_async(BasketProposal.objects.get)()
    assert proposal.basket_id == basket.pk and proposal.proposed_by_id == agent.pk

    # a reconnecting client sees the proposal in its history
    again, _, _ = await connect_with_session(client, user, _path(conversation))
    history = await receive_until(again, "history")
    assert [p["status"] for p in history["proposals"]] == ["accepted"]
    for communicator in (shopper, support, console, again):
        await communicator.disconnect()


async def test_shopper_declines_and_both_see_it(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    await support.send_json_to({"type": "propose", "product": shirt.pk})
    proposal = (await receive_until(shopper, "proposal"))["proposal"]
    await shopper.send_json_to({"type": "decline", "proposal": proposal["id"]})
    assert (await _status(support, "declined"))["status"] == "declined"
    await shopper.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await receive_until(shopper, "error"))["code"] == "proposal_not_open"
    await shopper.disconnect()
    await support.disconnect()


async def test_shopper_cannot_propose(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    await shopper.send_json_to({"type": "propose", "product": shirt.pk})
    assert (await receive_until(shopper, "error"))["code"] == "proposal_not_allowed"
    assert await database_sync_to_async(BasketProposal.objects.count)() == 0
    await shopper.disconnect()
    await support.disconnect()


async def test_agent_cannot_accept_for_the_shopper(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    await support.send_json_to({"type": "propose", "product": shirt.pk})
    proposal = (await receive_until(support, "proposal"))["proposal"]
    await support.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await receive_until(support, "error"))["code"] == "proposal_not_yours"
    await shopper.disconnect()
    await support.disconnect()


async def test_another_shopper_cannot_accept(client, user, agent, conversation, shirt):
    from support import services

    shopper, support = await _both(client, user, agent, conversation)
    await support.send_json_to({"type": "propose", "product": shirt.pk})
    proposal = (await receive_until(support, "proposal"))["proposal"]
    other = await database_sync_to_async(get_user_model().objects.create_user)(
        email="other@example.com", password="x-pass-123"
    )
    theirs = await database_sync_to_async(services.conversation_start)(customer=other, subject="Mine", body="Hi")
    intruder, connected, _ = await connect_with_token(other, _path(theirs))
    assert connected
    await receive_until(intruder, "history")
    await intruder.send_json_to({"type": "accept", "proposal": proposal["id"]})  # not in their conversation
    assert (await receive_until(intruder, "error"))["code"] == "not_found"
    refused, connected, code = await connect_with_token(other, _path(conversation))
    assert (connected, code) == (False, 4404)
    stored = await database_sync_to_async(BasketProposal.objects.get)()
    assert stored.status == "proposed"
    for communicator in (shopper, support, intruder):
        await communicator.disconnect()


async def test_staff_without_the_support_role_cannot_propose(client, user, agent, conversation, shirt):
    """Staff who can read conversations but not propose (no support.add_basketproposal) get an error
    frame; staff without support rights at all cannot even join."""

    def make_staff():
        users = get_user_model().objects
        staff, plain = (users.create_user(email=e, password="x-pass-123") for e in ("viewer@x.com", "ops@x.com"))
        for person in (staff, plain):
            person.is_staff = True
            person.save(update_fields=["is_staff"])
        staff.user_permissions.add(Permission.objects.get(codename="view_conversation"))
        return staff, plain

    viewer, plain = await database_sync_to_async(make_staff)()
    watcher, connected, _ = await connect_with_token(viewer, _path(conversation))
    assert connected
    await receive_until(watcher, "history")
    await watcher.send_json_to({"type": "propose", "product": shirt.pk})
    assert (await receive_until(watcher, "error"))["code"] == "proposal_not_allowed"
    _, connected, code = await connect_with_token(plain, _path(conversation))
    assert (connected, code) == (False, 4404)
    assert await database_sync_to_async(BasketProposal.objects.count)() == 0
    await watcher.disconnect()


async def test_out_of_stock_product_is_refused_with_an_error_frame(client, user, agent, conversation):
    shopper, support = await _both(client, user, agent, conversation)
    gone = await database_sync_to_async(create_product)(title="Sold Out Scarf", price=20, num_in_stock=0)
    await support.send_json_to({"type": "propose", "product": gone.pk})
    assert (await receive_until(support, "error"))["code"] in {"product_not_available", "insufficient_stock"}
    few = await database_sync_to_async(create_product)(title="Last Tie", price=20, num_in_stock=1)
    await support.send_json_to({"type": "propose", "product": few.pk, "quantity": 5})
    assert (await receive_until(support, "error"))["code"] == "insufficient_stock"
    assert await database_sync_to_async(BasketProposal.objects.count)() == 0
    await shopper.disconnect()
    await support.disconnect()


async def test_stock_gone_by_acceptance_is_an_error_frame_for_the_shopper(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    await support.send_json_to({"type": "propose", "product": shirt.pk, "quantity": 3})
    proposal = (await receive_until(shopper, "proposal"))["proposal"]
    await database_sync_to_async(lambda: shirt.stockrecords.update(num_in_stock=1))()
    await shopper.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await receive_until(shopper, "error"))["code"] == "insufficient_stock"
    assert (await database_sync_to_async(BasketProposal.objects.get)()).status == "proposed"
    await shopper.disconnect()
    await support.disconnect()


async def test_voucher_proposal_applies_with_the_voucher_rules(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    await database_sync_to_async(create_voucher)(code="HELLO10")
    await support.send_json_to({"type": "propose", "voucher_code": "nope"})
    assert (await receive_until(support, "error"))["code"] == "voucher_not_found"

    await support.send_json_to({"type": "propose", "voucher_code": "hello10"})
    proposal = (await receive_until(shopper, "proposal"))["proposal"]
    assert proposal["kind"] == "voucher" and proposal["voucher_code"] == "HELLO10" and proposal["product"] is None
    await shopper.send_json_to({"type": "accept", "proposal": proposal["id"]})  # the basket is empty
    assert (await receive_until(shopper, "error"))["code"] == "voucher_not_for_these_products"

    await support.send_json_to({"type": "propose", "product": shirt.pk})
    shirt_proposal = (await receive_until(shopper, "proposal"))["proposal"]
    await shopper.send_json_to({"type": "accept", "proposal": shirt_proposal["id"]})
    assert (await _status(shopper, "accepted"))["id"] == shirt_proposal["id"]
    await shopper.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await _status(shopper, "accepted"))["id"] == proposal["id"]
    codes = await database_sync_to_async(
        lambda: list(Basket.open.get(owner=user).vouchers.values_list("code", flat=True))
    )()
    assert codes == ["HELLO10"]
    await shopper.disconnect()
    await support.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "propose"},
        {"type": "propose", "product": "1"},
        {"type": "propose", "product": True},
        {"type": "propose", "product": 1.5},
        {"type": "propose", "product": {"id": 1}},
        {"type": "propose", "product": 2**70},
        {"type": "propose", "product": 1, "quantity": 0},
        {"type": "propose", "product": 1, "quantity": 10**9},
        {"type": "propose", "product": 1, "voucher_code": "BOTH"},
        {"type": "propose", "voucher_code": ["A"]},
        {"type": "propose", "voucher_code": "X" * 500},
        {"type": "accept"},
        {"type": "accept", "proposal": "1"},
        {"type": "decline", "proposal": -1},
        {"type": "withdraw", "proposal": None},
    ],
)
async def test_hostile_fields_get_an_error_frame(client, user, agent, conversation, frame):
    support, connected, _ = await connect_with_token(agent, _path(conversation))
    assert connected
    await receive_until(support, "history")
    await support.send_json_to(frame)
    error = await receive_until(support, "error")
    assert error["code"] == "invalid_frame" and error["message"]
    await support.send_json_to({"type": "ping"})
    assert (await receive_until(support, "pong"))["type"] == "pong"  # still open
    await support.disconnect()


async def test_console_sees_the_shoppers_basket_change_from_anywhere(client, user, agent, conversation, shirt):
    """A line added through the basket service itself (a product page, the basket API) reaches the console."""
    from checkout.basket.selectors import basket_for_request
    from checkout.basket.services import basket_line_add

    console, _, _ = await connect_with_token(agent, "/ws/support/agents/")
    await receive_until(console, "snapshot")

    def add():
        request = type("R", (), {"user": user, "META": {}, "COOKIES": {}})()
        basket = basket_for_request(request=request, create=True)
        basket_line_add(basket=basket, product=shirt, quantity=1)

    await database_sync_to_async(add)()
    frame = await receive_until(console, "basket")
    assert frame["conversation"] == conversation.pk and frame["basket"][0]["quantity"] == 1
    await console.disconnect()


async def test_a_support_agent_by_role_may_propose(client, user, conversation, shirt):
    from django.contrib.auth.models import Group

    from backoffice.roles import SUPPORT_AGENT, staff_roles_apply

    def make_agent():
        staff_roles_apply()  # the migration made the role groups; a transactional test's reset removes them
        person = get_user_model().objects.create_user(email="role@example.com", password="x-pass-123")
        person.is_staff = True
        person.save(update_fields=["is_staff"])
        person.groups.add(Group.objects.get(name=SUPPORT_AGENT))
        return person

    member = await database_sync_to_async(make_agent)()
    support, connected, _ = await connect_with_token(member, _path(conversation))
    assert connected
    await receive_until(support, "history")
    await support.send_json_to({"type": "propose", "product": shirt.pk})
    assert (await receive_until(support, "proposal"))["proposal"]["status"] == "proposed"
    await support.disconnect()


async def _guest_socket(client, conversation_id: int, extra_cookie: str = ""):
    from channels.testing import WebsocketCommunicator
    from django.conf import settings

    from config.asgi import application
    from tests.support.conftest import BROWSER

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}{extra_cookie}"
    communicator = WebsocketCommunicator(
        application, f"/ws/support/{conversation_id}/", headers=[*BROWSER, (b"cookie", cookie.encode())]
    )
    connected, _ = await communicator.connect()
    assert connected
    await receive_until(communicator, "history")
    return communicator


async def test_guest_accepts_over_the_socket_only_with_their_basket_cookie(client, agent, shirt):
    """A socket cannot set the basket cookie: a guest whose handshake carried none is told to accept over
    HTTP; one whose handshake carried it gets the proposal in that very basket (ADR 0049)."""
    from django.conf import settings

    from checkout.basket.tokens import basket_token

    def start():
        response = client.post(
            "/api/v1/support/conversations/",
            {"subject": "Hi", "body": "Which size?", "guest_email": "g@example.com"},
            content_type="application/json",
        )
        return response.json()["id"]

    conversation_id = await database_sync_to_async(start)()
    guest = await _guest_socket(client, conversation_id)
    support, _, _ = await connect_with_token(agent, f"/ws/support/{conversation_id}/")
    await receive_until(support, "history")
    await support.send_json_to({"type": "propose", "product": shirt.pk})
    proposal = (await receive_until(guest, "proposal"))["proposal"]

    await guest.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await receive_until(guest, "error"))["code"] == "accept_over_http"

    basket = await database_sync_to_async(Basket.objects.create)()
    cookie = f"; {settings.OSCAR_BASKET_COOKIE_OPEN}={basket_token(basket)}"
    with_basket = await _guest_socket(client, conversation_id, cookie)
    await with_basket.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await _status(with_basket, "accepted"))["id"] == proposal["id"]
    assert await database_sync_to_async(lambda: basket.lines.get().product_id)() == shirt.pk
    for communicator in (guest, support, with_basket):
        await communicator.disconnect()


async def test_agent_withdraws_and_the_shopper_can_no_longer_accept(client, user, agent, conversation, shirt):
    shopper, support = await _both(client, user, agent, conversation)
    await support.send_json_to({"type": "propose", "product": shirt.pk})
    proposal = (await receive_until(shopper, "proposal"))["proposal"]
    await shopper.send_json_to({"type": "withdraw", "proposal": proposal["id"]})
    assert (await receive_until(shopper, "error"))["code"] == "proposal_not_allowed"
    await support.send_json_to({"type": "withdraw", "proposal": proposal["id"]})
    assert (await _status(shopper, "withdrawn"))["id"] == proposal["id"]
    await shopper.send_json_to({"type": "accept", "proposal": proposal["id"]})
    assert (await receive_until(shopper, "error"))["code"] == "proposal_not_open"
    await shopper.disconnect()
    await support.disconnect()
