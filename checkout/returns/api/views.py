"""Returns API for customers: `GET/POST /api/v1/orders/{number}/returns/`, `GET /api/v1/returns/{id}/`.

The signed-in customer's own orders only (as the orders API); anybody else's order or return is 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from checkout.order.api.selectors import order_of_customer

from .. import selectors
from ..services import ReturnLineInput, return_request_create
from .serializers import OrderReturnsSerializer, ReturnCreateInputSerializer, ReturnSerializer

NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such order or return of yours.")}


class OrderReturnsView(APIView):
    permission_classes = [IsAuthenticated]

    def _order(self, request, number: str):
        order = order_of_customer(user=request.user, number=number)
        if order is None:
            raise NotFound("No such order.")
        return order

    @extend_schema(
        operation_id="order_returns_list",
        tags=["returns"],
        summary="An order's returns, what may still be returned, until when, and the accepted reasons",
        responses={200: OrderReturnsSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def get(self, request, number: str):
        return Response(
            OrderReturnsSerializer(selectors.order_returns_overview(order=self._order(request, number))).data
        )

    @extend_schema(
        operation_id="order_returns_create",
        tags=["returns"],
        summary="Ask to return lines of a delivered order",
        description=(
            "Each line with its units and a reason code. Only delivered orders, inside the return window "
            "(409 `return_order_not_delivered`, `return_window_closed`, `return_nothing_left`); at most the "
            "units still returnable (400 `return_quantity_invalid`), accepted reasons only (400 "
            "`return_reason_invalid`), lines of this order only (400 `return_line_unknown`). The customer is "
            "emailed. Send an `Idempotency-Key` so a retried request never asks twice."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=ReturnCreateInputSerializer,
        responses={
            201: ReturnSerializer,
            **ERROR_RESPONSES,
            **NOT_FOUND,
            409: OpenApiResponse(ErrorSerializer, description="The order cannot be returned now."),
            422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another body."),
        },
    )
    @idempotent()
    def post(self, request, number: str):
        order = self._order(request, number)
        data = ReturnCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = [
            ReturnLineInput(order_line_id=item["line_id"], quantity=item["quantity"], reason_code=item["reason"])
            for item in data.validated_data["lines"]
        ]
        created = return_request_create(order=order, lines=lines, by=request.user,
                                        comment=data.validated_data["comment"])  # fmt: skip
        created = selectors.return_requests_queryset().get(pk=created.pk)
        return Response(ReturnSerializer(created).data, status=status.HTTP_201_CREATED)


class ReturnDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="returns_retrieve",
        tags=["returns"],
        summary="One of the signed-in customer's returns",
        responses={200: ReturnSerializer, **ERROR_RESPONSES, **NOT_FOUND},
    )
    def get(self, request, pk: int):
        found = selectors.return_of_customer(user=request.user, return_id=pk)
        if found is None:
            raise NotFound("No such return.")
        return Response(ReturnSerializer(found).data)
