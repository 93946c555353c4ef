"""Staff API on orders' payments: `POST /api/v1/staff/orders/{number}/refunds/`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.idempotency import IDEMPOTENCY_PARAMETER, idempotent

from ..services import order_refund
from .serializers import RefundInputSerializer, RefundSerializer

Order = get_model("order", "Order")


class CanManageOrders(BasePermission):
    """Staff with the `order.change_order` permission."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff and user.has_perm("order.change_order"))


class OrderRefundsView(APIView):
    permission_classes = [CanManageOrders]

    @extend_schema(
        operation_id="staff_order_refund_create",
        tags=["staff"],
        summary="Refund an order, whole or per line",
        description=(
            "Gives money back through the gateway that took it and records a `Refunded` payment event. "
            "Send `lines` to refund units at the price paid, `amount` to refund a sum, or neither to refund "
            "everything not yet refunded. When nothing is left to refund, the order moves to `Refunded`. "
            "Staff with `order.change_order` only. Send an `Idempotency-Key` so a retried request never "
            "refunds twice: the same key and body replay the first answer."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=RefundInputSerializer,
        responses={
            201: RefundSerializer,
            **ERROR_RESPONSES,
            403: OpenApiResponse(ErrorSerializer, description="Not staff with `order.change_order`."),
            404: OpenApiResponse(ErrorSerializer, description="No order with this number."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="`refund_nothing_left`, `refund_too_much`, `refund_line_unknown`, `refund_line_quantity`.",
            ),
            422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another body."),
            502: OpenApiResponse(ErrorSerializer, description="`payment_provider_error`: the gateway refused."),
        },
    )
    @idempotent()
    def post(self, request, number: str):
        order = get_object_or_404(Order, number=number)
        data = RefundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = {item["line_id"]: item["quantity"] for item in data.validated_data.get("lines", [])} or None
        event = order_refund(
            order=order,
            amount=data.validated_data.get("amount"),
            lines=lines,
            by=request.user,
            reason=data.validated_data["reason"],
        )
        event.order.refresh_from_db(fields=["status"])
        return Response(RefundSerializer(event).data, status=status.HTTP_201_CREATED)
