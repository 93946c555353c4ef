"""Orders API (read side and cancel): /api/v1/orders/..."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.throttling import ClientIpScopedRateThrottle
from checkout.order.errors import OrderStatusError
from checkout.order.services import order_cancel

from . import selectors
from .serializers import OrderCancelSerializer, OrderCardSerializer, OrderLookupSerializer, OrderSerializer

NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such order of yours.")}


@extend_schema(tags=["orders"], summary="The signed-in customer's orders, newest first")
class OrderListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderCardSerializer

    def get_queryset(self):
        return selectors.orders_of_customer(user=self.request.user)


@extend_schema(
    tags=["orders"],
    summary="One of the signed-in customer's orders: lines, totals, statuses, payments, shipping events",
    responses={200: OrderSerializer, **ERROR_RESPONSES, **NOT_FOUND},
)
class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, number: str):
        order = selectors.order_of_customer(user=request.user, number=number)
        if order is None:
            raise NotFound("No such order.")
        return Response(OrderSerializer(order).data)


@extend_schema(
    tags=["orders"],
    summary="A guest order, by its number and the email given at checkout",
    request=OrderLookupSerializer,
    responses={200: OrderSerializer, **ERROR_RESPONSES, **NOT_FOUND},
)
class OrderLookupView(APIView):
    authentication_classes: list = []
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "order_lookup"

    def post(self, request):
        data = OrderLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = selectors.order_of_guest(**data.validated_data)
        if order is None:
            raise NotFound("No order has this number and email.")
        return Response(OrderSerializer(order).data)


@extend_schema(
    tags=["orders"],
    summary="Cancel an order while it is waiting for payment",
    description=(
        "The customer's own order, or a guest order with `email`. Stock and voucher use are released. "
        "409 `order_status_invalid` once paid (paid orders are refunded by the shop)."
    ),
    request=OrderCancelSerializer,
    responses={200: OrderSerializer, 409: ErrorSerializer, **ERROR_RESPONSES, **NOT_FOUND},
)
class OrderCancelView(APIView):
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "order_lookup"

    def post(self, request, number: str):
        data = OrderCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if request.user.is_authenticated:
            order = selectors.order_of_customer(user=request.user, number=number)
        elif data.validated_data.get("email"):
            order = selectors.order_of_guest(number=number, email=data.validated_data["email"])
        else:
            order = None
        if order is None:
            raise NotFound("No such order.")
        if not selectors.order_customer_can_cancel(order=order):
            raise OrderStatusError(f"Order {order.number} cannot be cancelled while '{order.status}'.")
        order_cancel(order=order, by=request.user, reason=data.validated_data["reason"] or "Cancelled by the customer.")
        return Response(OrderSerializer(selectors.order_detail_queryset().get(pk=order.pk)).data)
