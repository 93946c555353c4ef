"""Support on /metrics: conversations waiting (read at scrape time) and the first reply's delay (ADR 0033)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from support import services
from support.models import Conversation, Message
from tests.metrics import scrape

pytestmark = pytest.mark.django_db


def test_waiting_conversations_and_first_response_time(user, agent, django_capture_on_commit_callbacks):
    before = scrape()
    conversation = services.conversation_start(customer=user, subject="Sizes?", body="Does M run small?")
    Conversation.objects.filter(pk=conversation.pk).update(created_at=timezone.now() - timedelta(minutes=3))

    waiting = scrape()
    assert (
        waiting.value("hypex_support_conversations_waiting") == before.value("hypex_support_conversations_waiting") + 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(conversation=conversation, author=agent, role=Message.Role.AGENT, body="It runs true.")
        services.message_post(conversation=conversation, author=agent, role=Message.Role.AGENT, body="Anything else?")

    after = scrape()
    assert after.value("hypex_support_conversations_waiting") == before.value("hypex_support_conversations_waiting")
    count = after.value("hypex_support_first_response_seconds_count") - before.value(
        "hypex_support_first_response_seconds_count"
    )
    waited = after.value("hypex_support_first_response_seconds_sum") - before.value(
        "hypex_support_first_response_seconds_sum"
    )
    assert count == 1  # only the first reply
    assert 180 <= waited < 240
