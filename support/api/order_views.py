"""/api/v1/support/conversations/{id}/orders/...: an agent acts on an order of the conversation's shopper
(ADR 0050; the services are support.order_actions).

Every agent lists the orders, resends a confirmation and adds a note; cancelling and refunding need
`order.change_order` as well (the Order manager role, as the staff refunds API). Another shopper's order,
or an order that does not exist, answers 404; a state that does not allow the action 409."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.fields import StrictTypesMixin
from apibase.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from support import order_actions
from support.models import MESSAGE_MAX_LENGTH

from .serializers import MessageSerializer
from .views import ConversationMixin, IsAgent


def can_manage_orders(user) -> bool:
    """Cancel and refund: the permission the staff refunds API asks (the Order manager role holds it)."""
    return bool(user.is_staff and user.has_perm("order.change_order"))


class RefundLineSerializer(StrictTypesMixin, serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The order line's id.")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000, help_text="Units of it to refund.")


class RefundSerializer(StrictTypesMixin, serializers.Serializer):
    lines = RefundLineSerializer(many=True, allow_empty=False, max_length=100)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate_lines(self, value):
        ids = [item["line"] for item in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Each line may appear once.")
        return value


class CancelSerializer(StrictTypesMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class NoteSerializer(StrictTypesMixin, serializers.Serializer):
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


OrderActionResult = inline_serializer(
    "SupportOrderActionResult",
    {
        "order": inline_serializer(
            "SupportOrderState", {"number": serializers.CharField(), "status": serializers.CharField()}
        ),
        "message": MessageSerializer(help_text="The system message that records the action in the conversation."),
    },
)
SupportOrderLine = inline_serializer(
    "SupportOrderLine",
    many=True,
    fields=
    {"id": serializers.IntegerField(), "title": serializers.CharField(), "quantity": serializers.IntegerField(),
     "price": serializers.CharField(allow_null=True)},
)  # fmt: skip
SupportOrder = inline_serializer(
    "SupportOrder",
    many=True,
    fields=
    {
        "number": serializers.CharField(), "status": serializers.CharField(),
        "total": serializers.CharField(allow_null=True), "currency": serializers.CharField(),
        "placed": serializers.DateTimeField(), "unpaid": serializers.BooleanField(help_text="May be cancelled."),
        "lines": SupportOrderLine,
    },
)  # fmt: skip

ACTION_ERRORS = {
    **ERROR_RESPONSES,
    403: OpenApiResponse(ErrorSerializer, description="Not an agent; cancel and refund: no `order.change_order`."),
    404: OpenApiResponse(ErrorSerializer, description="No such conversation, or the order is not its shopper's."),
    409: OpenApiResponse(
        ErrorSerializer,
        description="The order's state does not allow it: `order_not_unpaid`, `order_status_invalid`, "
        "`refund_nothing_left`, `refund_line_unknown`, `refund_line_quantity`, `refund_too_much`.",
    ),
}


class OrderActionView(ConversationMixin, APIView):
    permission_classes = [IsAgent]
    needs_order_manager = False

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.needs_order_manager and not can_manage_orders(request.user):
            raise PermissionDenied("Cancelling and refunding orders needs the Order manager role.")

    def get_order(self, conversation, number: str):
        order = order_actions.conversation_order_get(conversation=conversation, number=number)
        if order is None:
            raise Http404
        return order

    def answer(self, order, message) -> Response:
        order.refresh_from_db(fields=["status"])
        return Response(
            {"order": {"number": str(order.number), "status": order.status},
             "message": MessageSerializer(message, context={"request": self.request}).data}
        )  # fmt: skip


@extend_schema(
    tags=["support"],
    summary="The shopper's recent orders with their lines (agents), for the console's order actions",
    responses={
        200: inline_serializer(
            "SupportOrders",
            {
                "can_manage_orders": serializers.BooleanField(help_text="Whether you may cancel and refund."),
                "orders": SupportOrder,
            },
        ),
        403: ErrorSerializer,
        404: ErrorSerializer,
    },
)
class ConversationOrdersView(ConversationMixin, APIView):
    permission_classes = [IsAgent]

    def get(self, request, pk: int):
        orders = order_actions.conversation_orders_for_console(conversation=self.get_conversation())
        return Response({"can_manage_orders": can_manage_orders(request.user), "orders": orders})


@extend_schema(
    tags=["support"],
    summary="Send the order confirmation again (agents)",
    request=None,
    responses={200: OrderActionResult, **ACTION_ERRORS},
)
class OrderConfirmationResendView(OrderActionView):
    def post(self, request, pk: int, number: str):
        conversation = self.get_conversation()
        order = self.get_order(conversation, number)
        message = order_actions.order_confirmation_resend(conversation=conversation, order=order, agent=request.user)
        return self.answer(order, message)


@extend_schema(
    tags=["support"],
    summary="Cancel an unpaid order (agents with the Order manager role)",
    request=CancelSerializer,
    responses={200: OrderActionResult, **ACTION_ERRORS},
)
class OrderCancelView(OrderActionView):
    needs_order_manager = True

    def post(self, request, pk: int, number: str):
        conversation = self.get_conversation()
        order = self.get_order(conversation, number)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = order_actions.order_cancel_unpaid(
            conversation=conversation, order=order, agent=request.user, reason=data.validated_data["reason"]
        )
        return self.answer(order, message)


@extend_schema(
    tags=["support"],
    summary="Refund units of order lines (agents with the Order manager role)",
    description="Gives money back through the gateway that took it (the staff refunds API's service) and tells "
    "the shopper. Send an `Idempotency-Key` so a retried request never refunds twice.",
    parameters=[IDEMPOTENCY_PARAMETER],
    request=RefundSerializer,
    responses={
        200: OrderActionResult,
        **ACTION_ERRORS,
        422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another body."),
        502: OpenApiResponse(ErrorSerializer, description="`payment_provider_error`: the gateway refused."),
    },
)
class OrderRefundView(OrderActionView):
    needs_order_manager = True

    @idempotent()
    def post(self, request, pk: int, number: str):
        conversation = self.get_conversation()
        order = self.get_order(conversation, number)
        data = RefundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = {item["line"]: item["quantity"] for item in data.validated_data["lines"]}
        message = order_actions.order_lines_refund(
            conversation=conversation, order=order, agent=request.user, lines=lines,
            reason=data.validated_data["reason"],
        )  # fmt: skip
        return self.answer(order, message)


@extend_schema(
    tags=["support"],
    summary="Add a note to the order (agents); the conversation says a note was added, not what it says",
    request=NoteSerializer,
    responses={200: OrderActionResult, **ACTION_ERRORS},
)
class OrderNoteView(OrderActionView):
    def post(self, request, pk: int, number: str):
        conversation = self.get_conversation()
        order = self.get_order(conversation, number)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = order_actions.order_support_note_add(
            conversation=conversation, order=order, agent=request.user, message=data.validated_data["message"]
        )
        return self.answer(order, message)
