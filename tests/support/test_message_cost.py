"""What a chat message costs the database: the reads that rarely change (the service-level target, whether
an agent is on the console) are kept a few seconds per process, so a busy chat pays only its writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support import services
from support.emails import INBOX_TOPIC
from support.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shoppers_message_costs_its_lock_and_writes_only(conversation, user, agent):
    services.presence_join(channel_name="console.1", user=agent, role=Message.Role.AGENT)
    services.message_post(conversation=conversation, author=user, role=Message.Role.CUSTOMER, body="First")

    with CaptureQueriesContext(connection) as queries:
        for n in range(3):
            services.message_post(conversation=conversation, author=user, role=Message.Role.CUSTOMER, body=f"#{n}")

    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    statements = [word for word in statements if word not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]
    assert statements == ["SELECT", "INSERT", "UPDATE"] * 3  # lock the conversation, store, touch
    assert list(conversation.messages.values_list("body", flat=True).order_by("-pk")[:3]) == ["#2", "#1", "#0"]


def test_a_shopper_writing_before_any_agent_joins_emails_the_inbox_and_not_once_one_has(conversation, user, agent):
    from sideeffects.models import OutboxMessage

    inbox = OutboxMessage.objects.filter(topic=INBOX_TOPIC)
    before = inbox.count()
    services.message_post(conversation=conversation, author=user, role=Message.Role.CUSTOMER, body="Anyone?")
    assert inbox.count() == before + 1

    services.presence_join(channel_name="console.1", user=agent, role=Message.Role.AGENT)  # seen at once
    services.message_post(conversation=conversation, author=user, role=Message.Role.CUSTOMER, body="Hello?")

    assert inbox.count() == before + 1
