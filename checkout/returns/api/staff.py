"""Staff API on returns: `POST /api/v1/staff/returns/{id}/approve|reject|receive|refund/`.

Staff with `order.change_order` (the refunds API's permission, `CanManageOrders`). Each step calls its
service; a step the return's state does not allow is 409 `return_status_invalid`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from checkout.payment.api.staff import CanManageOrders

from .. import services
from ..models import ReturnRequest
from ..selectors import return_requests_queryset
from .serializers import DecisionInputSerializer, ReceiveInputSerializer, ReturnSerializer

STAFF_ERRORS = {
    **ERROR_RESPONSES,
    403: OpenApiResponse(ErrorSerializer, description="Not staff with `order.change_order`."),
    404: OpenApiResponse(ErrorSerializer, description="No return with this id."),
    409: OpenApiResponse(ErrorSerializer, description="`return_status_invalid`, `return_line_decided`."),
}


def _decide(request, pk: int, service) -> Response:
    found = get_object_or_404(ReturnRequest, pk=pk)
    data = DecisionInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    lines = data.validated_data.get("lines")
    notes = {item["id"]: item["note"] for item in lines} if lines else None
    decided = service(return_request=found, notes=notes, note=data.validated_data["note"], by=request.user)
    return _answer(decided)


def _answer(return_request) -> Response:
    return Response(ReturnSerializer(return_requests_queryset().get(pk=return_request.pk)).data)


class ReturnApproveView(APIView):
    permission_classes = [CanManageOrders]

    @extend_schema(
        operation_id="staff_return_approve",
        tags=["staff"],
        summary="Approve lines of a requested return",
        description="Approve the given lines (with a note each), or every line still waiting. Once every line is "
        "decided the return is `approved` (or `rejected` if none was) and the customer is emailed.",
        request=DecisionInputSerializer,
        responses={200: ReturnSerializer, **STAFF_ERRORS},
    )
    def post(self, request, pk: int):
        return _decide(request, pk, services.return_lines_approve)


class ReturnRejectView(APIView):
    permission_classes = [CanManageOrders]

    @extend_schema(
        operation_id="staff_return_reject",
        tags=["staff"],
        summary="Reject lines of a requested return",
        description="Reject the given lines (with a note each), or every line still waiting; see approve.",
        request=DecisionInputSerializer,
        responses={200: ReturnSerializer, **STAFF_ERRORS},
    )
    def post(self, request, pk: int):
        return _decide(request, pk, services.return_lines_reject)


class ReturnReceiveView(APIView):
    permission_classes = [CanManageOrders]

    @extend_schema(
        operation_id="staff_return_receive",
        tags=["staff"],
        summary="Mark an approved return's goods received, restocking the units chosen",
        request=ReceiveInputSerializer,
        responses={200: ReturnSerializer, **STAFF_ERRORS},
    )
    def post(self, request, pk: int):
        found = get_object_or_404(ReturnRequest, pk=pk)
        data = ReceiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restock = {item["id"]: item["restock"] for item in data.validated_data.get("lines", [])}
        return _answer(services.return_receive(return_request=found, restock=restock, by=request.user))


class ReturnRefundView(APIView):
    permission_classes = [CanManageOrders]

    @extend_schema(
        operation_id="staff_return_refund",
        tags=["staff"],
        summary="Refund a received return through the order's gateway, minus restocking fees",
        description=(
            "The approved units at the price paid for them (the order's per-line refund), minus each reason's "
            "restocking fee. Send an `Idempotency-Key` so a retried request never refunds twice: the same key "
            "replays the first answer; a second refund of the same return is 409 `return_status_invalid`."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=None,
        responses={
            200: ReturnSerializer,
            **STAFF_ERRORS,
            409: OpenApiResponse(
                ErrorSerializer, description="`return_status_invalid`; the order's refund refused (`refund_*`)."
            ),
            422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another body."),
            502: OpenApiResponse(ErrorSerializer, description="`payment_provider_error`: the gateway refused."),
        },
    )
    @idempotent()
    def post(self, request, pk: int):
        found = get_object_or_404(ReturnRequest, pk=pk)
        return _answer(services.return_refund(return_request=found, by=request.user))
