"""The support API says each conversation's state (waiting, answered, closed) and each message's time."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support import services
from support.models import Message
from tests.conftest import auth_header

pytestmark = pytest.mark.django_db
URL = "/api/v1/support/conversations/"


def _conversation(n: int, *, answered_by=None, closed=False):
    shopper = get_user_model().objects.create_user(email=f"s{n}@example.com", password="x-long-pass-1")
    conversation = services.conversation_start(customer=shopper, subject=f"Q{n}", body="Hello?")
    if answered_by is not None:
        services.message_post(conversation=conversation, author=answered_by, role=Message.Role.AGENT, body="Hi!")
    if closed:
        services.conversation_close(conversation=conversation)
    return conversation


def test_agents_see_each_conversations_state(api_client, agent):
    waiting, answered, closed = _conversation(1), _conversation(2, answered_by=agent), _conversation(3, closed=True)

    body = api_client.get(URL, **auth_header(agent)).json()
    one = api_client.get(f"{URL}{answered.pk}/", **auth_header(agent)).json()

    states = {item["id"]: item["state"] for item in body["results"]}
    assert states == {waiting.pk: "waiting", answered.pk: "answered", closed.pk: "closed"}
    assert one["state"] == "answered"


def test_the_shopper_sees_answered_once_an_agent_replied(api_client, user, agent):
    conversation = services.conversation_start(customer=user, subject="Cotton?", body="Is it?")
    before = api_client.get(f"{URL}{conversation.pk}/", **auth_header(user)).json()["state"]
    services.message_post(conversation=conversation, author=agent, role=Message.Role.AGENT, body="Yes")

    after = api_client.get(f"{URL}{conversation.pk}/", **auth_header(user)).json()["state"]
    messages = api_client.get(f"{URL}{conversation.pk}/messages/", **auth_header(user)).json()["results"]

    assert (before, after) == ("waiting", "answered")
    for message in messages:
        stamp = datetime.fromisoformat(message["created_at"].replace("Z", "+00:00"))
        assert stamp.utcoffset().total_seconds() == 0


def test_the_conversation_list_queries_do_not_grow_with_the_conversations(api_client, agent):
    _conversation(0, answered_by=agent)
    api_client.get(URL, **auth_header(agent))

    counts = []
    for batch in (range(1, 2), range(2, 8)):
        for n in batch:
            _conversation(n, answered_by=agent if n % 2 else None)
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(URL, **auth_header(agent)).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]
