"""POST /api/v1/checkout/: place the order for the client's basket and say how to pay."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from checkout.basket.selectors import basket_for_request
from checkout.basket.tokens import basket_id_from_token, request_basket_token
from checkout.checkout import services
from checkout.checkout.errors import BasketEmpty
from checkout.order.statuses import can_be_paid
from checkout.payment.services import payment_start

from .basket_views import TOKEN_PARAMETER
from .serializers import CheckoutResultSerializer, CheckoutSerializer


def checkout_scope(request) -> str:
    """Whose Idempotency-Keys these are: the account, or the anonymous basket."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    token = request_basket_token(request)
    basket_id = basket_id_from_token(token) if token else None
    return f"basket:{basket_id}" if basket_id else "anonymous"


def checkout_response(request, *, order, payment_method: str, status_code: int) -> Response:
    payment = None
    if can_be_paid(order.status):
        action = payment_start(order=order, gateway_code=payment_method, request=request)
        payment = {key: value for key, value in asdict(action).items() if key != "attempt_token"}
    body = CheckoutResultSerializer({"order": order, "payment": payment}, context={"request": request}).data
    return Response(body, status=status_code)


@extend_schema(tags=["checkout"])
class CheckoutView(APIView):
    @extend_schema(
        summary="Place the order for the basket; answers with the order and how to pay",
        description=(
            "201: a new order in `Pending payment`; follow `payment.redirect_url` or confirm with "
            "`payment.client_secret`. 200: this basket had already been ordered (a resubmission): the "
            "existing order. 409 `insufficient_stock`: someone bought the last units first."
        ),
        parameters=[IDEMPOTENCY_PARAMETER, TOKEN_PARAMETER],
        request=CheckoutSerializer,
        responses={
            201: CheckoutResultSerializer,
            200: OpenApiResponse(CheckoutResultSerializer, description="The basket's existing order."),
            **ERROR_RESPONSES,
            409: ErrorSerializer,
            422: OpenApiResponse(ErrorSerializer, description="Idempotency-Key reused with another body."),
        },
    )
    @idempotent(scope=checkout_scope)
    def post(self, request):
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        basket = basket_for_request(request=request)
        if not basket.pk or basket.is_empty:
            previous = services.checkout_previous_order(user=user, basket_token=request_basket_token(request))
            if previous is None:
                raise BasketEmpty()
            return checkout_response(
                request, order=previous, payment_method=values["payment_method"], status_code=status.HTTP_200_OK
            )
        if not user.is_authenticated and not values.get("guest_email"):
            raise ValidationError({"guest_email": ["Give an email address to check out as a guest."]})
        shipping_address = services.checkout_shipping_address_build(
            user=user, data=values.get("shipping_address"), address_id=values.get("address_id")
        )
        billing_address = services.checkout_billing_address_build(data=values.get("billing_address"))
        placed = services.checkout_place_order(
            basket=basket,
            user=user,
            shipping_address=shipping_address,
            billing_address=billing_address,
            shipping_method_code=values["shipping_method"],
            guest_email=values.get("guest_email", ""),
            request=request,
        )
        return checkout_response(
            request,
            order=placed.order,
            payment_method=values["payment_method"],
            status_code=status.HTTP_201_CREATED if placed.created else status.HTTP_200_OK,
        )
