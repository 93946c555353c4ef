"""Live order pages over `ws/orders/`: the signed-in owner hears their orders' status changes and
shipping events and nobody else's; a guest with the order's signed key hears that order only; a wrong
key, another order's key or an unknown order is refused with 4404, nobody at all with 4401."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from oscar.test.factories import create_order

from checkout.order.services import order_shipping_event_add, order_status_set
from config.asgi import application
from tests.support.conftest import BROWSER, connect_with_session, connect_with_token, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def _order(**kwargs):
    return create_order(**kwargs)


@database_sync_to_async
def _ship(order, staff=None):
    return order_shipping_event_add(order=order, carrier="Royal Mail", tracking_number="RM123456789GB", by=staff)


@database_sync_to_async
def _other_user():
    return get_user_model().objects.create_user(email="other@example.com", password="x-long-pass-2")


async def _frames(socket) -> list[dict]:
    """Every frame the socket got, until it has been quiet for a moment."""
    frames = [await socket.receive_json_from(timeout=3)]
    while not await socket.receive_nothing(timeout=0.5):
        frames.append(await socket.receive_json_from())
    return frames


async def _guest_socket(path: str):
    communicator = WebsocketCommunicator(application, path, headers=BROWSER)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_owner_hears_status_and_tracking_of_their_orders_only(client, user):
    mine = await _order(user=user, status="Paid")
    other = await _other_user()
    theirs = await _order(user=other, status="Paid")
    socket, connected, _ = await connect_with_session(client, user, "/ws/orders/")
    assert connected

    await _ship(theirs)
    await _ship(mine)

    frames = await _frames(socket)
    assert {frame["order"]["number"] for frame in frames} == {str(mine.number)}
    statuses = [frame["order"]["status"] for frame in frames if frame["type"] == "order_status"]
    assert statuses == ["Processing", "Shipped"]
    [tracking] = [frame for frame in frames if frame["type"] == "order_tracking"]
    assert tracking["order"]["status"] == "Shipped"
    [event] = tracking["order"]["shipping_events"]
    assert event["carrier"] == "Royal Mail" and event["tracking_number"] == "RM123456789GB"
    await socket.disconnect()


async def test_owner_may_follow_one_order_without_the_key(user):
    mine = await _order(user=user, status="Pending payment")
    socket, connected, _ = await connect_with_token(user, f"/ws/orders/?order={mine.number}")
    assert connected
    await database_sync_to_async(order_status_set)(order=mine, status="Paid")
    frame = await receive_until(socket, "order_status")
    assert frame["order"] == {"number": str(mine.number), "old_status": "Pending payment", "status": "Paid"}
    await socket.disconnect()


async def test_guest_with_the_signed_key_hears_that_order_only():
    guest_order = await _order(guest_email="guest@example.com", status="Paid")
    another = await _order(guest_email="someone@example.com", status="Paid")
    key = guest_order.verification_hash()
    socket, connected, _ = await _guest_socket(f"/ws/orders/?order={guest_order.number}&key={key}")
    assert connected

    await _ship(another)
    await _ship(guest_order)

    frames = await _frames(socket)
    assert {frame["order"]["number"] for frame in frames} == {str(guest_order.number)}
    assert {frame["type"] for frame in frames} == {"order_status", "order_tracking"}
    [tracking] = [frame for frame in frames if frame["type"] == "order_tracking"]
    assert tracking["order"]["shipping_events"][0]["tracking_number"] == "RM123456789GB"
    await socket.disconnect()


async def test_wrong_or_foreign_key_and_unknown_order_are_refused_with_4404(user):
    guest_order = await _order(guest_email="guest@example.com", status="Paid")
    another = await _order(guest_email="someone@example.com", status="Paid")
    owned = await _order(user=user, status="Paid")
    refused = [
        f"/ws/orders/?order={guest_order.number}&key={guest_order.number}:forged",
        f"/ws/orders/?order={guest_order.number}&key={another.verification_hash()}",
        f"/ws/orders/?order={guest_order.number}",
        f"/ws/orders/?order=999999999&key={guest_order.verification_hash()}",
        f"/ws/orders/?order={owned.number}&key={owned.verification_hash()}",  # a shopper's order: owner only
        "/ws/orders/?order=%00&key=x",
    ]
    for path in refused:
        socket, connected, code = await _guest_socket(path)
        assert (connected, code) == (False, 4404), path


async def test_somebody_elses_order_is_refused_to_a_signed_in_shopper(client, user):
    other = await _other_user()
    theirs = await _order(user=other, status="Paid")
    socket, connected, code = await connect_with_session(client, user, f"/ws/orders/?order={theirs.number}")
    assert (connected, code) == (False, 4404)


async def test_nobody_without_an_order_is_refused_with_4401():
    socket, connected, code = await _guest_socket("/ws/orders/")
    assert (connected, code) == (False, 4401)
