"""Websocket tickets are opaque, single-use, one-minute random ids kept server side: they carry no
session key, work once, expire, and stand only for whoever asked for them."""

import asyncio
import base64
import re
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import signing
from django.utils import timezone

from apibase.models import WebsocketTicket
from config.asgi import application
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db(transaction=True)
TICKETS = "/api/v1/support/tickets/"


def _guest_with_conversation(client, email: str) -> tuple[int, str]:
    created = client.post("/api/v1/support/conversations/", {"subject": "Hi", "body": "Question from " + email,
                          "guest_email": email}, content_type="application/json")  # fmt: skip
    return created.json()["id"], client.cookies["sessionid"].value


async def _open(path: str, ticket: str) -> tuple[WebsocketCommunicator, bool, int | None]:
    communicator = WebsocketCommunicator(application, f"{path}?ticket={ticket}")
    connected, code = await communicator.connect()
    return communicator, connected, code


def _ticket_for(api_client, user) -> str:
    return api_client.post(TICKETS, **auth_header(user)).json()["ticket"]


def _base64_variants(text: str) -> list[bytes]:
    decoded = []
    for chunk in re.split(r"[:.]", text):
        try:
            decoded.append(base64.urlsafe_b64decode(chunk + "=" * (-len(chunk) % 4)))
        except ValueError:
            continue
    return decoded


def test_a_guest_ticket_carries_no_session_key_and_is_no_signed_blob(client):
    _, session_key = _guest_with_conversation(client, "g@example.com")

    response = client.post(TICKETS)

    assert response.status_code == 201
    body = response.json()
    ticket = body["ticket"]
    assert body["expires_in"] == 60
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", ticket)
    assert session_key not in ticket
    assert all(session_key.encode() not in decoded for decoded in _base64_variants(ticket))
    with pytest.raises(signing.BadSignature):
        signing.loads(ticket, salt="hypex.websocket.ticket")
    stored = WebsocketTicket.objects.get()
    assert stored.session_key == session_key and stored.key_hash != ticket


async def test_a_ticket_works_once(api_client, user, conversation):
    ticket = await database_sync_to_async(_ticket_for)(api_client, user)
    path = f"/ws/support/{conversation.pk}/"

    first, connected, _ = await _open(path, ticket)
    assert connected
    assert (await first.receive_json_from())["type"] == "history"
    _, again, code = await _open(path, ticket)

    assert (again, code) == (False, 4401)
    await first.disconnect()


async def test_two_sockets_racing_with_one_ticket_open_once(api_client, user, conversation):
    ticket = await database_sync_to_async(_ticket_for)(api_client, user)
    path = f"/ws/support/{conversation.pk}/"

    results = await asyncio.gather(*(_open(path, ticket) for _ in range(4)))

    assert sorted(connected for _, connected, _ in results) == [False, False, False, True]
    for communicator, connected, _ in results:
        if connected:
            await communicator.disconnect()


async def test_an_expired_ticket_is_refused(api_client, user, conversation):
    ticket = await database_sync_to_async(_ticket_for)(api_client, user)
    await database_sync_to_async(WebsocketTicket.objects.update)(expires_at=timezone.now() - timedelta(seconds=1))

    _, connected, code = await _open(f"/ws/support/{conversation.pk}/", ticket)

    assert (connected, code) == (False, 4401)


def test_issuing_purges_expired_tickets(api_client, user):
    api_client.post(TICKETS, **auth_header(user))
    WebsocketTicket.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    api_client.post(TICKETS, **auth_header(user))

    assert WebsocketTicket.objects.count() == 1
    assert WebsocketTicket.objects.get().expires_at > timezone.now()


async def test_guest_a_ticket_cannot_open_guest_b_conversation(client):
    from django.test import Client

    other = Client()
    conversation_a, _ = await database_sync_to_async(_guest_with_conversation)(client, "a@example.com")
    conversation_b, _ = await database_sync_to_async(_guest_with_conversation)(other, "b@example.com")
    ticket_a = (await database_sync_to_async(client.post)(TICKETS)).json()["ticket"]

    _, connected, code = await _open(f"/ws/support/{conversation_b}/", ticket_a)
    assert (connected, code) == (False, 4404)

    ticket_a = (await database_sync_to_async(client.post)(TICKETS)).json()["ticket"]
    own, connected, _ = await _open(f"/ws/support/{conversation_a}/", ticket_a)
    assert connected
    history = await own.receive_json_from()
    assert history["messages"][0]["body"] == "Question from a@example.com"
    await own.disconnect()
