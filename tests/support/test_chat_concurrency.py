"""Support chat with many sockets: each message costs a fixed number of queries and one overlapping
pair of broadcasts, and the messages of different sockets are stored at once, not one after the other
(apibase.websocket_db, ADR 0059). No timings: a barrier every post must reach proves they overlap."""

from __future__ import annotations

import threading

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.db import connection

from support import services
from support.models import Message

from .conftest import connect_with_token, receive_until


@pytest.mark.django_db
def test_a_message_is_stored_and_broadcast_in_a_fixed_number_of_queries(
    user, agent, conversation, django_assert_max_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("support.events.group_send_many_best_effort", sent.append)
    # Both sides online, so no email goes to the outbox (that is another path, with its own queries).
    services.presence_join(channel_name="console", user=agent, role=Message.Role.AGENT)
    services.presence_join(
        channel_name="widget", user=user, role=Message.Role.CUSTOMER, conversation_id=conversation.pk
    )

    # 7 = lock-and-read, insert, update, presence, the service level (a waiting conversation's payload),
    # and the savepoint pair of the test's own transaction (outside tests: BEGIN and COMMIT, not counted).
    with django_assert_max_num_queries(7), django_capture_on_commit_callbacks(execute=True):
        services.message_post(conversation=conversation, author=user, role=Message.Role.CUSTOMER, body="Still there?")
    with django_assert_max_num_queries(7), django_capture_on_commit_callbacks(execute=True):
        services.message_post(conversation=conversation, author=agent, role=Message.Role.AGENT, body="Yes!")

    assert len(sent) == 2  # one call each: the conversation's group and the console at once
    (to_room, shopper_event), (to_console, console_event) = sent[1]
    assert to_room == f"support.conversation.{conversation.pk}" and to_console == "support.agents"
    assert shopper_event["message"]["body"] == "Yes!" and console_event["message"] == shopper_event["message"]
    assert console_event["conversation"]["state"] == "answered"
    assert console_event["conversation"]["assigned_agent"] == str(agent)
    assert sent[0][1][1]["conversation"]["state"] == "waiting"


@pytest.mark.django_db(transaction=True)
async def test_messages_of_several_sockets_are_stored_at_once(settings, monkeypatch):
    settings.WEBSOCKET_DB_THREADS = 3
    users = get_user_model().objects
    shoppers = [await database_sync_to_async(users.create_user)(email=f"s{n}@example.com") for n in range(3)]
    conversations = [
        await database_sync_to_async(services.conversation_start)(customer=shopper, subject="Hi", body="Hello")
        for shopper in shoppers
    ]
    barrier, one_writer = threading.Barrier(3, timeout=30), threading.Lock()
    real_post = services.message_post

    def post_then_wait(**kwargs):
        if connection.vendor == "sqlite":  # the in-memory test database takes one writer at a time
            with one_writer:
                message = real_post(**kwargs)
        else:
            message = real_post(**kwargs)
        barrier.wait()  # every socket's post has to be under way before any of them returns
        return message

    monkeypatch.setattr("support.consumers.services.message_post", post_then_wait)
    sockets = []
    for shopper, conversation in zip(shoppers, conversations, strict=True):
        communicator, connected, _ = await connect_with_token(shopper, f"/ws/support/{conversation.pk}/")
        assert connected
        await receive_until(communicator, "history")
        sockets.append(communicator)

    for number, communicator in enumerate(sockets):
        await communicator.send_json_to({"type": "message", "body": f"question {number}"})
    echoes = [await receive_until(communicator, "message", timeout=60) for communicator in sockets]

    assert [echo["message"]["body"] for echo in echoes] == ["question 0", "question 1", "question 2"]
    for communicator in sockets:
        await communicator.disconnect()
