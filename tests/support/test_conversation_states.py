"""Conversation states follow what happened (waiting, answered, closed), in the agent console and its
live frames; every message carries its time (aware UTC)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support import selectors, services
from support.models import Message
from tests.support.conftest import connect_with_token, receive_until

CONSOLE = "/admin/support/console/"


@pytest.fixture
def shopper_factory(db):
    def make(n: int):
        return get_user_model().objects.create_user(email=f"shopper{n}@example.com", password="x-long-pass-1")

    return make


def _start(user, subject: str):
    return services.conversation_start(customer=user, subject=subject, body="Hello?")


def _reply(conversation, agent, body="On it."):
    return services.message_post(conversation=conversation, author=agent, role=Message.Role.AGENT, body=body)


def _listed(html: str) -> dict[str, str]:
    """{subject: state} as the console list shows it. Each item is a link that opens its conversation
    (?conversation=<id>, which the console opens on load), so a click before the script runs opens it."""
    item = r'<li data-id="(\d+)" data-state="(\w+)"><a href="\?conversation=(\d+)">#(\d+) ([^-<]+?) -'
    items = re.findall(item, html)
    assert all(item_id == linked == shown for item_id, _, linked, shown, _ in items)
    return {subject: state for _, state, _, _, subject in items}


@pytest.mark.django_db
def test_the_console_lists_each_open_conversation_with_its_state_and_time(client, agent, shopper_factory):
    waiting = _start(shopper_factory(1), "Waiting one")
    answered = _start(shopper_factory(2), "Answered one")
    _reply(answered, agent)
    again = _start(shopper_factory(3), "Asked again")
    _reply(again, agent)
    services.message_post(conversation=again, author=again.customer, role=Message.Role.CUSTOMER, body="And?")
    closed = _start(shopper_factory(4), "Closed one")
    services.conversation_close(conversation=closed)
    client.force_login(agent)

    html = client.get(CONSOLE).content.decode()

    assert _listed(html) == {"Waiting one": "waiting", "Asked again": "waiting", "Answered one": "answered"}
    assert "Waiting for support" in html and ">Answered<" in html
    stamps = re.findall(r'<time class="agent-console-time" datetime="([^"]+)">', html)
    assert len(stamps) == 3 and all(datetime.fromisoformat(s).utcoffset().total_seconds() == 0 for s in stamps)
    assert 'data-time-zone="UTC"' in html
    assert waiting.pk


@pytest.mark.django_db
def test_a_system_message_does_not_change_the_state(agent, user):
    conversation = _start(user, "Question")
    _reply(conversation, agent)
    Message.objects.create(conversation=conversation, role=Message.Role.SYSTEM, body="Agent left")

    assert selectors.conversation_state(conversation) == selectors.ANSWERED
    assert selectors.conversations_waiting_count() == 0


@pytest.mark.django_db
def test_the_state_follows_the_messages_whatever_the_stored_status(agent, user):
    conversation = _start(user, "Question")
    _reply(conversation, agent)
    conversation.refresh_from_db()
    conversation.status = "waiting"  # what a reopen or an old row leaves behind
    conversation.save(update_fields=["status"])

    listed = selectors.conversations_visible_to(user=agent, session_key=None).get(pk=conversation.pk)

    assert selectors.conversation_state(listed) == selectors.ANSWERED
    assert selectors.conversation_state(conversation) == selectors.ANSWERED


@pytest.mark.django_db
def test_the_console_list_queries_do_not_grow_with_the_conversations(client, agent, shopper_factory):
    client.force_login(agent)
    _reply(_start(shopper_factory(0), "First"), agent)
    client.get(CONSOLE)

    counts = []
    for batch in (range(1, 2), range(2, 8)):
        for n in batch:
            _reply(_start(shopper_factory(n), f"Q{n}"), agent)
        with CaptureQueriesContext(connection) as queries:
            client.get(CONSOLE)
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
async def test_console_frames_carry_the_state_and_message_times(agent, conversation):
    console, connected, _ = await connect_with_token(agent, "/ws/support/agents/")
    assert connected
    snapshot = await receive_until(console, "snapshot")
    chat, connected, _ = await connect_with_token(agent, f"/ws/support/{conversation.pk}/")
    history = await receive_until(chat, "history")

    await chat.send_json_to({"type": "message", "body": "Yes, 100% cotton."})
    update = await receive_until(console, "conversation")
    echoed = await receive_until(chat, "message")

    assert [c["state"] for c in snapshot["conversations"]] == ["waiting"]
    assert history["conversation"]["state"] == "waiting"
    assert update["conversation"]["state"] == "answered"
    for message in (*history["messages"], echoed["message"]):
        assert datetime.fromisoformat(message["created_at"]).utcoffset().total_seconds() == 0
    await chat.disconnect()
    await console.disconnect()
