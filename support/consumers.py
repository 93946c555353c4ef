"""Support chat over websockets.

This first consumer authenticates the user (session or JWT bearer subprotocol) and relays each message
to everyone in the conversation's room, the sender included. Persistence, permissions per conversation
and agents arrive with the support chat issue.

Close codes: 4401 = not authenticated.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apibase.websocket_auth import accepted_subprotocol

CLOSE_NOT_AUTHENTICATED = 4401
MAX_BODY_LENGTH = 2000


def conversation_group(conversation_id: int) -> str:
    return f"support.conversation.{conversation_id}"


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        self.group_name = conversation_group(self.conversation_id)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept(subprotocol=accepted_subprotocol(self.scope))

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        body = content.get("body") if isinstance(content, dict) else None
        if not isinstance(body, str) or not body.strip():
            await self.send_json({"type": "error", "code": "invalid_message", "message": 'Send {"body": "text"}.'})
            return
        if len(body) > MAX_BODY_LENGTH:
            await self.send_json(
                {"type": "error", "code": "message_too_long", "message": f"At most {MAX_BODY_LENGTH} characters."}
            )
            return
        await self.channel_layer.group_send(
            self.group_name,
            {
                "type": "chat.message",
                "conversation": self.conversation_id,
                "author": self.scope["user"].email,
                "body": body,
            },
        )

    async def chat_message(self, event: dict) -> None:
        await self.send_json(
            {"type": "message", "conversation": event["conversation"], "author": event["author"], "body": event["body"]}
        )

    @classmethod
    async def decode_json(cls, text_data):
        import json

        try:
            return json.loads(text_data)
        except ValueError:
            return None
