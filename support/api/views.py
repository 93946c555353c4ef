"""/api/v1/support/: conversations and their messages. Another person's conversation answers 404."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from oscar.core.loading import get_model
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.parsers import StrictJSONParser
from apibase.services import websocket_ticket_issue
from support import selectors, services
from support.models import Message

from . import serializers as s

Order = get_model("order", "Order")


def _session_key(request, *, create: bool = False) -> str | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None and create:
        session.save()
    return session.session_key


class GuestCsrfCheck(BasePermission):
    """Guests are identified by their session cookie, so their writes need the CSRF token, as forms do."""

    message = "CSRF token missing or incorrect."

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS") or request.user.is_authenticated:
            return True
        SessionAuthentication().enforce_csrf(request)
        return True


class IsAgent(BasePermission):
    def has_permission(self, request, view):
        return selectors.user_is_agent(request.user)


class ConversationMixin:
    def get_conversation(self):
        conversation = selectors.conversation_for(
            conversation_id=self.kwargs["pk"], user=self.request.user, session_key=_session_key(self.request)
        )
        if conversation is None:
            raise Http404
        return conversation


@extend_schema(tags=["support"])
class ConversationListView(generics.ListAPIView):
    serializer_class = s.ConversationSerializer
    permission_classes = [GuestCsrfCheck]

    def get_queryset(self):
        queryset = selectors.conversations_visible_to(user=self.request.user, session_key=_session_key(self.request))
        status_filter = self.request.query_params.get("status")
        return queryset.filter(status=status_filter) if status_filter else queryset

    @extend_schema(summary="Your conversations (agents: all)", parameters=[OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Start a conversation (guests give an email)",
        request=s.ConversationStartSerializer,
        responses={201: s.ConversationSerializer, **ERROR_RESPONSES},
    )
    def post(self, request):
        data = s.ConversationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        customer = request.user if request.user.is_authenticated else None
        if customer is None and not values.get("guest_email"):
            raise serializers.ValidationError({"guest_email": ["Give an email so we can answer you."]})
        order_id = None
        if values.get("order"):
            order = Order.objects.filter(number=values["order"]).first()
            order_id = order.pk if order else -1
        conversation = services.conversation_start(
            customer=customer,
            guest_email=values.get("guest_email", ""),
            session_key=_session_key(request, create=True) or "",
            subject=values["subject"],
            body=values["body"],
            product_id=values.get("product"),
            order_id=order_id,
        )
        return Response(s.ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["support"], summary="One conversation", responses={200: s.ConversationSerializer, 404: ErrorSerializer}
)
class ConversationDetailView(ConversationMixin, APIView):
    def get(self, request, pk):
        return Response(s.ConversationSerializer(self.get_conversation()).data)


@extend_schema(tags=["support"])
class MessageListView(ConversationMixin, generics.ListAPIView):
    serializer_class = s.MessageSerializer
    permission_classes = [GuestCsrfCheck]
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        conversation = self.get_conversation()
        queryset = conversation.messages.select_related("author").order_by("id")
        after = self.request.query_params.get("after")
        if after is not None:
            if not after.isdigit():
                raise serializers.ValidationError({"after": ["A message id."]})
            queryset = queryset.filter(id__gt=int(after))
        return queryset

    @extend_schema(
        summary="Message history, oldest first (`?after=<id>` for what you missed)",
        parameters=[OpenApiParameter("after", OpenApiTypes.INT)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Send a message (JSON, or multipart with an image attachment)",
        request={"application/json": s.MessagePostSerializer, "multipart/form-data": s.MessagePostSerializer},
        responses={201: s.MessageSerializer, 409: ErrorSerializer, **ERROR_RESPONSES},
    )
    def post(self, request, pk):
        conversation = self.get_conversation()
        data = s.MessagePostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        role = Message.Role.AGENT if selectors.user_is_agent(request.user) else Message.Role.CUSTOMER
        message = services.message_post(
            conversation=conversation,
            author=request.user if request.user.is_authenticated else None,
            role=role,
            body=data.validated_data.get("body", ""),
            attachment=data.validated_data.get("attachment"),
        )
        return Response(s.MessageSerializer(message, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["support"], request=None, responses={200: s.ConversationSerializer, 404: ErrorSerializer})
class ConversationCloseView(ConversationMixin, APIView):
    permission_classes = [GuestCsrfCheck]

    @extend_schema(summary="Close a conversation")
    def post(self, request, pk):
        conversation = services.conversation_close(conversation=self.get_conversation())
        return Response(s.ConversationSerializer(conversation).data)


@extend_schema(tags=["support"], request=None, responses={200: s.ConversationSerializer, 404: ErrorSerializer})
class ConversationReopenView(ConversationMixin, APIView):
    permission_classes = [GuestCsrfCheck]

    @extend_schema(summary="Reopen a closed conversation")
    def post(self, request, pk):
        conversation = services.conversation_reopen(conversation=self.get_conversation())
        return Response(s.ConversationSerializer(conversation).data)


@extend_schema(
    tags=["support"],
    summary="Assign the conversation to yourself (agents)",
    request=None,
    responses={200: s.ConversationSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
)
class ConversationAssignView(ConversationMixin, APIView):
    permission_classes = [IsAgent]

    def post(self, request, pk):
        conversation = services.conversation_assign(conversation=self.get_conversation(), agent=request.user)
        return Response(s.ConversationSerializer(conversation).data)


@extend_schema(tags=["support"], summary="What the agent sees beside the chat: basket, recent orders, product",
               responses={200: inline_serializer("ConversationContext", {
                   "customer": serializers.CharField(allow_null=True),
                   "basket": serializers.ListField(child=serializers.DictField()),
                   "orders": serializers.ListField(child=serializers.DictField()),
                   "product": serializers.DictField(allow_null=True),
                   "order": serializers.CharField(allow_null=True),
               }), 403: ErrorSerializer, 404: ErrorSerializer})  # fmt: skip
class ConversationContextView(ConversationMixin, APIView):
    permission_classes = [IsAgent]

    def get(self, request, pk):
        return Response(selectors.conversation_context(conversation=self.get_conversation()))


@extend_schema(
    tags=["support"],
    summary="A single-use, 60-second ticket to open a support websocket (`?ticket=`)",
    description="An opaque random string, stored server side: it works for one handshake within "
    "`expires_in` seconds, then never again. It stands for the signed-in user or the guest's session.",
    request=None,
    responses={201: s.TicketSerializer, **ERROR_RESPONSES},
)
class TicketView(APIView):
    def post(self, request):
        session_key = _session_key(request)
        if not request.user.is_authenticated and not session_key:
            raise PermissionDenied("Sign in, or start a conversation as a guest first.")
        ticket = websocket_ticket_issue(user_id=request.user.pk if request.user.is_authenticated else None,
                                        session_key=session_key)  # fmt: skip
        return Response({"ticket": ticket, "expires_in": settings.SUPPORT_TICKET_MAX_AGE_SECONDS},
                        status=status.HTTP_201_CREATED)  # fmt: skip


@extend_schema(
    tags=["support"],
    summary="Whether an agent is online right now",
    responses={200: inline_serializer("SupportStatus", {"agents_online": serializers.BooleanField()})},
)
class SupportStatusView(APIView):
    def get(self, request):
        return Response({"agents_online": selectors.agents_online()})


@extend_schema(
    tags=["support"],
    summary="Rate a closed conversation 1-5 with an optional comment (its shopper only)",
    description="One rating per conversation: rating again replaces it until `SUPPORT_RATING_DAYS` (14) after "
    "closing; then, or while the conversation is not closed, 409 `rating_not_open`. Agents get 403.",
    request=s.ConversationRatingInputSerializer,
    responses={200: s.ConversationRatingSerializer, 409: ErrorSerializer, 404: ErrorSerializer, **ERROR_RESPONSES},
)
class ConversationRatingView(ConversationMixin, APIView):
    permission_classes = [GuestCsrfCheck]
    parser_classes = [StrictJSONParser]

    def post(self, request, pk):
        conversation = self.get_conversation()
        if selectors.user_is_agent(request.user):
            raise PermissionDenied("Only the shopper rates a conversation.")
        data = s.ConversationRatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.conversation_rate(
            conversation=conversation, score=data.validated_data["score"], comment=data.validated_data["comment"]
        )
        return Response(s.ConversationRatingSerializer(rating).data)
