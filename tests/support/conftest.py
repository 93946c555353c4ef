"""Fixtures for support chat tests: a shopper's conversation, an agent, websocket connectors."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from support import services

ORIGIN = (b"origin", b"http://testserver")
# What a browser on http://testserver sends with a websocket handshake.
BROWSER = [(b"host", b"testserver"), ORIGIN]


@pytest.fixture
def agent(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        email="agent@example.com", password="x-long-pass-1", first_name="Alex"
    )


@pytest.fixture
def conversation(user):
    return services.conversation_start(customer=user, subject="Is the red shirt cotton?", body="Hello, quick question")


async def session_cookie(client, user) -> bytes:
    await database_sync_to_async(client.force_login)(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def connect_with_session(client, user, path: str):
    cookie = await session_cookie(client, user)
    communicator = WebsocketCommunicator(application, path, headers=[*BROWSER, (b"cookie", cookie)])
    connected, code = await communicator.connect()
    return communicator, connected, code


async def connect_with_token(user, path: str):
    token = str(await database_sync_to_async(AccessToken.for_user)(user))
    communicator = WebsocketCommunicator(application, path, subprotocols=["bearer", token])
    connected, code = await communicator.connect()
    return communicator, connected, code


async def receive_until(communicator, frame_type: str, timeout: float = 2.0) -> dict:
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == frame_type:
            return frame
