"""/api/v1/support/canned-replies/ and .../conversations/{id}/pages/: what the agent console shows beside
a chat (ADR 0050). Agents only."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from support import selectors
from support.canned_replies import PLACEHOLDERS, canned_replies_for
from support.page_trail import page_trail

from .views import ConversationMixin, IsAgent

MAX_ID = 2**63 - 1

CannedReplySerializer = inline_serializer(
    "CannedReply",
    many=True,
    fields={
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "shortcut": serializers.CharField(),
        "body": serializers.CharField(help_text="Plain text, its placeholders filled for the conversation."),
    },
)
PageVisitSerializer = inline_serializer(
    "SupportPageVisit",
    many=True,
    fields={
        "url": serializers.CharField(),
        "title": serializers.CharField(),
        "visited_at": serializers.DateTimeField(),
    },
)


@extend_schema(
    tags=["support"],
    summary="Canned replies, rendered for a conversation (agents)",
    description="Placeholders: " + "; ".join(f"`{{{name}}}`: {text}" for name, text in PLACEHOLDERS.items())
    + " Unknown or missing values render as empty text. Without `conversation` only `{agent_first_name}` is filled.",
    parameters=[OpenApiParameter("conversation", OpenApiTypes.INT, description="The conversation to fill them for.")],
    responses={200: CannedReplySerializer, **ERROR_RESPONSES, 403: ErrorSerializer, 404: ErrorSerializer},
)  # fmt: skip
class CannedReplyListView(APIView):
    permission_classes = [IsAgent]

    def get(self, request):
        raw = request.query_params.get("conversation")
        conversation = None
        if raw is not None:
            if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
                raise serializers.ValidationError({"conversation": ["A conversation id."]})
            conversation = selectors.conversation_for(conversation_id=int(raw), user=request.user, session_key=None)
            if conversation is None:
                raise Http404
        return Response(canned_replies_for(conversation=conversation, agent=request.user, request=request))


@extend_schema(
    tags=["support"],
    summary="The pages the shopper opened while chatting, newest first: where they are now (agents)",
    responses={200: PageVisitSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
)
class ConversationPagesView(ConversationMixin, APIView):
    permission_classes = [IsAgent]

    def get(self, request, pk: int):
        return Response(page_trail(conversation_id=self.get_conversation().pk))
