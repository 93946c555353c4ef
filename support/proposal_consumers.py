"""Basket proposal frames (ADR 0049), mixed into the support consumers (support/consumers.py).

Conversation socket, client frames:
- agents: `{"type": "propose", "product": <id>, "quantity": <n>}` or `{"type": "propose", "voucher_code": "..."}`,
  `{"type": "withdraw", "proposal": <id>}`;
- the conversation's shopper: `{"type": "accept", "proposal": <id>}`, `{"type": "decline", "proposal": <id>}`.
Server frame to both sides: `{"type": "proposal", "proposal": {...}}` on every change (the same shape
as the API's); `history` carries `proposals`. Console socket: `{"type": "basket", "conversation": <id>,
"basket_id": <id>, "basket": [lines]}` when a basket the conversation watches changes.
"""

from __future__ import annotations

from rest_framework import serializers

from apibase.websocket_db import db_async

from . import proposal_selectors, proposal_services
from .api.proposal_serializers import ProposalCreateSerializer, ProposalIdSerializer


def _invalid_text(error: serializers.ValidationError) -> str:
    detail = error.detail
    if isinstance(detail, dict):
        field, messages = next(iter(detail.items()))
        message = messages[0] if isinstance(messages, list) and messages else messages
        return f"{field}: {message}" if field != "non_field_errors" else str(message)
    return str(detail[0] if isinstance(detail, list) and detail else detail)


class ConversationProposalFrames:
    """Frames of the conversation socket; `self.conversation`, `self.user`, `self.is_agent` are set by
    the consumer's connect()."""

    async def _read(self, serializer_class, content: dict) -> dict | None:
        fields = serializer_class().fields
        data = {key: value for key, value in content.items() if key in fields}
        serializer = serializer_class(data=data)
        try:
            serializer.is_valid(raise_exception=True)
        except serializers.ValidationError as error:
            await self.send_error("invalid_frame", _invalid_text(error))
            return None
        return serializer.validated_data

    async def _proposal(self, content: dict):
        data = await self._read(ProposalIdSerializer, content)
        if data is None:
            return None
        return await db_async(proposal_selectors.proposal_of)(
            conversation=self.conversation, proposal_id=data["proposal"]
        )

    async def frame_propose(self, content: dict) -> None:
        if not self.is_agent:
            await self.send_error("proposal_not_allowed", "Only support agents can propose products or vouchers.")
            return
        data = await self._read(ProposalCreateSerializer, content)
        if data is None:
            return
        await db_async(proposal_services.proposal_propose)(
            conversation=self.conversation,
            agent=self.user,
            product_id=data.get("product"),
            quantity=data["quantity"],
            voucher_code=data["voucher_code"],
        )

    async def frame_withdraw(self, content: dict) -> None:
        proposal = await self._proposal(content)
        if proposal is not None:
            await db_async(proposal_services.proposal_withdraw)(proposal=proposal, agent=self.user)

    async def frame_accept(self, content: dict) -> None:
        proposal = await self._proposal(content)
        if proposal is not None:
            await db_async(self._accept)(proposal)

    def _accept(self, proposal) -> None:
        user, session_key = self.scope.get("user"), self.scope.get("ws_session_key")
        # only the shopper gets this far with a basket: refuse others before looking for one
        proposal_services.proposal_shopper_check(proposal=proposal, user=user, session_key=session_key)
        basket = proposal_services.socket_basket(user=user, cookies=self.scope.get("cookies") or {})
        proposal_services.proposal_accept(proposal=proposal, basket=basket, user=user, session_key=session_key)

    async def frame_decline(self, content: dict) -> None:
        proposal = await self._proposal(content)
        if proposal is not None:
            await db_async(proposal_services.proposal_decline)(
                proposal=proposal, user=self.scope.get("user"), session_key=self.scope.get("ws_session_key")
            )

    async def chat_proposal(self, event: dict) -> None:
        await self.send_json({"type": "proposal", "proposal": event["proposal"]})


class ConsoleProposalFrames:
    """The console socket's `basket` frame."""

    async def agents_basket(self, event: dict) -> None:
        await self.send_json(
            {"type": "basket", "conversation": event["conversation"], "basket_id": event["basket_id"],
             "basket": event["basket"]}
        )  # fmt: skip


def history_proposals(conversation) -> list[dict]:
    """The conversation's proposals for the `history` frame (sync: call through apibase.websocket_db.db_async)."""
    return [proposal_selectors.proposal_view(p) for p in proposal_selectors.proposals_of(conversation=conversation)]
