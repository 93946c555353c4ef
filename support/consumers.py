"""Support chat and live order updates over websockets.

Routes (support/routing.py):
- `ws/support/<id>/`: the shopper (or guest) and agents in one conversation. Client frames:
  `{"type": "message", "body": "..."}`, `{"type": "typing"}`, `{"type": "read", "up_to": <id>}`,
  `{"type": "close"}`, `{"type": "ping"}`, `{"type": "rate", "score": 1-5, "comment": "..."}` (a closed
  conversation, its shopper only), and from the shopper's own socket only
  `{"type": "page", "url": "/path?query", "title": "..."}` (the page they are on: sent on connect and on
  each page load; a path on this shop, at most 500 characters, no control characters; an agent's is
  refused with `page_not_allowed`; support/page_trail.py). Server frames: `history` (on connect: messages
  after `?after=<id>`, so a reconnecting client gets what it missed), `message` (agents' order actions
  arrive as `system` messages), `typing`, `read`, `agent_joined`, `agent_left`, `closed`, `reopened`,
  `rated`, `pong`, `error` ({code, message}), and to agents only `page` ({page: {url, title, visited_at},
  trail: [the last 20 pages, newest first]}); an agent's `history` also carries `pages` (that trail, read
  after the socket joined the conversation's group, so no page reported in between is missed).
  Basket proposals (support/proposal_consumers.py, ADR 0049): agents send
  `{"type": "propose", "product": <id>, "quantity": <n>}` or `{"type": "propose", "voucher_code": "..."}`
  and `{"type": "withdraw", "proposal": <id>}`; the conversation's shopper sends
  `{"type": "accept", "proposal": <id>}` / `{"type": "decline", "proposal": <id>}`. Both sides get
  `{"type": "proposal", "proposal": {id, kind, status, product: {title, image, price, currency,
  in_stock, availability, ...} | null, quantity, voucher_code, ...}}` on every change, and `history`
  carries `proposals` (all of the conversation's, oldest first). A refusal (stock, voucher rules, not
  yours, already answered) is an `error` frame with the API's code; a guest whose basket cookie did not
  come with the handshake gets `accept_over_http` (accept with the REST endpoint instead).
- `ws/support/agents/`: the agent console; `snapshot` on connect, then `conversation` updates, and
  `{"type": "basket", "conversation": <id>, "basket_id": <id>, "basket": [{product, quantity, price,
  currency}]}` when the basket of a shopper in an open conversation changes (any line added, changed or
  removed, a voucher added or removed).
- `ws/orders/`: live order pages. Signed in, without parameters: every order of the shopper.
  `?order=<number>&key=<signed key>`: that one order only - the key is the order's signed key
  (`Order.verification_hash()`, what the guest's status link carries); its signed-in owner may leave
  the key out. Server frames: `order_status` ({"order": {number, old_status, status}}) and
  `order_tracking` ({"order": {number, status, shipping_events: [{type, carrier, tracking_number,
  created_at}]}}, sent when a shipping event is recorded). Nobody and no `order`: 4401; an unknown
  order, a wrong key or somebody else's order: 4404 (the same answer, as on the order pages).

Close codes: 4401 not authenticated (or a used/expired ticket), 4403 not allowed (origin, or not an
agent), 4404 no such conversation (or order) for you, 4429 flooding, 1013 live updates unavailable (Redis away;
reconnect later). Frames that cannot be read (binary, too long, not JSON, NUL, NaN, too deep, not an
object) get an `error` frame and the socket stays open (ADR 0026).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from apibase.websocket_auth import accepted_subprotocol
from apibase.websocket_db import db_async
from apibase.websocket_json import JsonFrameConsumer
from checkout.order.selectors import order_for_follower
from ops.realtime import ChannelLayerOutageMixin

from . import events, selectors, services
from .models import Conversation, Message
from .page_trail import PageFrames, page_trail
from .proposal_consumers import ConsoleProposalFrames, ConversationProposalFrames, history_proposals
from .sla import service_level_target

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
HISTORY_LIMIT = 200
MAX_MESSAGE_ID = 2**63 - 1  # the largest id any of our databases stores


class JsonConsumer(ChannelLayerOutageMixin, JsonFrameConsumer):
    """The support sockets: the shared JSON base (apibase/websocket_json.py: hostile frames, the
    per-connection rate limit, dispatch to `frame_<type>` methods, service errors as error frames), closed
    with 1013 after an error frame when the channel layer fails (ops.realtime)."""

    object_hint = 'Send a JSON object such as {"type": "message", "body": "Hi"}.'
    rate_limit_settings = ("SUPPORT_WS_RATE_FRAMES", "SUPPORT_WS_RATE_WINDOW_SECONDS")

    async def frame_ping(self, content: dict) -> None:
        await self.send_json({"type": "pong"})


class ConversationConsumer(ConversationProposalFrames, PageFrames, JsonConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        session_key = self.scope.get("ws_session_key")
        if not (user and user.is_authenticated) and not session_key:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        if conversation_id > MAX_MESSAGE_ID:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.conversation = await db_async(selectors.conversation_for)(
            conversation_id=conversation_id, user=user, session_key=session_key
        )
        if self.conversation is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.is_agent = await db_async(selectors.user_is_agent)(user)
        self.role = Message.Role.AGENT if self.is_agent else Message.Role.CUSTOMER
        self.user = user if user and user.is_authenticated else None
        self.group_name = events.conversation_group(self.conversation.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept(subprotocol=accepted_subprotocol(self.scope))
        await db_async(services.presence_join)(
            channel_name=self.channel_name, user=user, role=self.role, conversation_id=self.conversation.pk
        )
        await self._send_history()
        if self.is_agent:
            await self.channel_layer.group_send(
                self.group_name, {"type": "chat.presence", "event": "agent_joined", "agent": self._name()}
            )

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "group_name"):
            return
        await db_async(services.presence_leave)(channel_name=self.channel_name)
        if self.is_agent:
            await self.channel_layer.group_send(
                self.group_name, {"type": "chat.presence", "event": "agent_left", "agent": self._name()}
            )
        await self.channel_layer.group_discard(self.group_name, self.channel_name)

    def _name(self) -> str:
        return (self.user.first_name or "Support") if self.user else "Support"

    async def _send_history(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            after = int(query.get("after", ["0"])[0])
        except ValueError:
            after = 0
        after = min(max(after, 0), MAX_MESSAGE_ID)
        messages = await db_async(selectors.messages_after)(
            conversation=self.conversation, after_id=after, limit=HISTORY_LIMIT
        )
        # The payload reads the service-level setting (support.sla): build it off the event loop.
        payload = await db_async(events.conversation_payload)(self.conversation)
        proposals = await db_async(history_proposals)(self.conversation)
        frame = {
            "type": "history",
            "conversation": payload,
            "messages": [events.message_payload(message) for message in messages],
            "proposals": proposals,
        }
        if self.is_agent:
            # Read after group_add: a page reported before this read is in it, one after comes as `page`.
            frame["pages"] = await db_async(page_trail)(conversation_id=self.conversation.pk)
        await self.send_json(frame)

    default_frame_type = "message"

    async def frame_message(self, content: dict) -> None:
        body = content.get("body")
        if not isinstance(body, str):
            await self.send_error("message_empty", "Write a message.")
            return
        await db_async(services.message_post)(
            conversation=self.conversation, author=self.user, role=self.role, body=body
        )

    async def frame_typing(self, content: dict) -> None:
        await self.channel_layer.group_send(
            self.group_name, {"type": "chat.typing", "role": self.role, "sender": self.channel_name}
        )

    async def frame_read(self, content: dict) -> None:
        up_to = content.get("up_to")
        if not isinstance(up_to, int) or isinstance(up_to, bool) or not 0 <= up_to <= MAX_MESSAGE_ID:
            await self.send_error("invalid_frame", 'Send {"type": "read", "up_to": <message id>}.')
            return
        await db_async(services.messages_mark_read)(
            conversation=self.conversation, reader_role=self.role, up_to_id=up_to
        )

    async def frame_close(self, content: dict) -> None:
        await db_async(services.conversation_close)(conversation=self.conversation)

    async def frame_ping(self, content: dict) -> None:
        await db_async(services.presence_touch)(channel_name=self.channel_name)
        await self.send_json({"type": "pong"})

    async def frame_rate(self, content: dict) -> None:
        """`{"type": "rate", "score": 1-5, "comment": "..."}` from the shopper of a closed conversation;
        answered with `rated` (ADR 0051). The service validates score and comment."""
        if self.is_agent:
            await self.send_error("permission_denied", "Only the shopper rates a conversation.")
            return
        rating = await db_async(services.conversation_rate)(
            conversation=self.conversation, score=content.get("score"), comment=content.get("comment", "")
        )
        await self.send_json({"type": "rated", "rating": {"score": rating.score, "comment": rating.comment}})

    # Channel layer events -> socket frames
    async def chat_message(self, event: dict) -> None:
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_typing(self, event: dict) -> None:
        if event["sender"] != self.channel_name:
            await self.send_json({"type": "typing", "role": event["role"]})

    async def chat_read(self, event: dict) -> None:
        await self.send_json({"type": "read", "role": event["role"], "up_to": event["up_to"]})

    async def chat_status(self, event: dict) -> None:
        self.conversation.status = event["conversation"]["status"]
        await self.send_json({"type": event["event"], "conversation": event["conversation"]})

    async def chat_presence(self, event: dict) -> None:
        await self.send_json({"type": event["event"], "agent": event["agent"]})


class AgentsConsumer(ConsoleProposalFrames, JsonConsumer):
    """The agent console: every conversation's news, live."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not (user and user.is_authenticated):
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if not await db_async(selectors.user_is_agent)(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(events.AGENTS_GROUP, self.channel_name)
        await self.accept(subprotocol=accepted_subprotocol(self.scope))
        await db_async(services.presence_join)(channel_name=self.channel_name, user=user, role=Message.Role.AGENT)
        conversations = await db_async(_active_conversations)()
        await self.send_json({"type": "snapshot", "conversations": conversations})

    async def disconnect(self, code: int) -> None:
        await db_async(services.presence_leave)(channel_name=self.channel_name)
        await self.channel_layer.group_discard(events.AGENTS_GROUP, self.channel_name)

    unknown_type_message = "The console only sends pings here."

    async def frame_ping(self, content: dict) -> None:
        await db_async(services.presence_touch)(channel_name=self.channel_name)
        await self.send_json({"type": "pong"})

    async def agents_update(self, event: dict) -> None:
        await self.send_json(
            {"type": "conversation", "conversation": event["conversation"], "message": event.get("message")}
        )


def _active_conversations() -> list[dict]:
    queryset = selectors.conversations_with_state(
        Conversation.objects.exclude(status=Conversation.Status.CLOSED).select_related("customer", "assigned_agent")
    )
    target = service_level_target()
    return [
        events.conversation_payload(conversation, sla_target=target)
        for conversation in queryset.order_by("waiting_since")[:200]
    ]


class OrdersConsumer(JsonConsumer):
    """A signed-in shopper hears about their orders' status changes and shipping events; anyone with an
    order's signed key hears about that order only (the guest's status page)."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        query = parse_qs(self.scope.get("query_string", b"").decode("latin1"))
        if "order" in query:
            order = await db_async(order_for_follower)(
                number=query["order"][0], key=query.get("key", [""])[0], user=user
            )
            if order is None:
                await self.close(code=CLOSE_NOT_FOUND)
                return
            self.group_name = events.order_group(order.pk)
        elif user and user.is_authenticated:
            self.group_name = events.orders_group(user.pk)
        else:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept(subprotocol=accepted_subprotocol(self.scope))

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    unknown_type_message = "This socket only sends order updates."

    async def order_status(self, event: dict) -> None:
        await self.send_json({"type": "order_status", "order": event["order"]})

    async def order_tracking(self, event: dict) -> None:
        await self.send_json({"type": "order_tracking", "order": event["order"]})
