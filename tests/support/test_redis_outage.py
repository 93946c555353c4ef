"""Support chat with Redis away (ADR 0025): a message is stored and answered 201 (its broadcast is
skipped and logged), a conversation socket is closed with 1013 instead of crashing, and the search
suggestions socket, which needs no channel layer, keeps answering."""

import logging

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from support.models import Message
from tests.conftest import auth_header
from tests.support.conftest import connect_with_token

pytestmark = [pytest.mark.redis, pytest.mark.usefixtures("redis_down")]
URL = "/api/v1/support/conversations/"


@pytest.mark.django_db
def test_a_message_posted_while_redis_is_down_is_stored_and_answered(
    api_client, user, conversation, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING, logger="ops.realtime"), django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"{URL}{conversation.pk}/messages/", {"body": "Still there?"}, format="json", **auth_header(user)
        )

    assert response.status_code == 201, response.content
    assert Message.objects.filter(conversation=conversation, body="Still there?").exists()
    assert any("Channel layer unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db(transaction=True)
async def test_a_conversation_socket_is_closed_with_1013_while_the_channel_layer_is_down(user, conversation):
    communicator, connected, code = await connect_with_token(user, f"/ws/support/{conversation.pk}/")

    assert (connected, code) == (False, 1013)
    await communicator.wait()


@pytest.mark.django_db(transaction=True)
async def test_search_suggestions_keep_answering_while_redis_is_down():
    communicator = WebsocketCommunicator(application, "/ws/search/")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"q": "shirt"})

    answer = await communicator.receive_json_from(timeout=5)

    assert answer["type"] == "suggestions"
    await communicator.disconnect()
