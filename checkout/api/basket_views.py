"""Basket API: /api/v1/basket/... Thin views: parse, call a basket service, render the basket."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oscar.core.loading import get_model
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.money import Money
from checkout.basket import services
from checkout.basket.errors import BasketLineNotFound, ProductNotAvailable
from checkout.basket.selectors import basket_for_request, basket_view
from checkout.basket.tokens import BASKET_TOKEN_HEADER
from checkout.shipping.selectors import shipping_country_get, shipping_methods_for_basket

from .serializers import (
    BasketSerializer,
    LineAddSerializer,
    LineUpdateSerializer,
    ShippingMethodSerializer,
    VoucherAddSerializer,
)

Product = get_model("catalogue", "Product")

TOKEN_PARAMETER = OpenApiParameter(
    BASKET_TOKEN_HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Anonymous clients without cookies: the `token` of a basket response.",
)
BASKET_ERRORS = {**ERROR_RESPONSES, 404: ErrorSerializer, 409: ErrorSerializer}


def basket_response(request, basket, status_code: int = status.HTTP_200_OK) -> Response:
    """Apply offers, render the basket, and keep an anonymous basket in Oscar's cookie as well."""
    services.basket_offers_apply(basket=basket, user=request.user, request=request)
    data = basket_view(basket=basket)
    response = Response(BasketSerializer(data).data, status=status_code)
    if data["token"]:
        response.set_cookie(
            settings.OSCAR_BASKET_COOKIE_OPEN,
            data["token"],
            max_age=settings.OSCAR_BASKET_COOKIE_LIFETIME,
            secure=settings.OSCAR_BASKET_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


class BasketApiView(APIView):
    def basket(self, *, create: bool = False):
        return basket_for_request(request=self.request, create=create)

    def line(self, basket, pk: int):
        line = basket.lines.filter(pk=pk).first() if basket.pk else None
        if line is None:
            raise BasketLineNotFound()
        return line


@extend_schema(tags=["basket"], parameters=[TOKEN_PARAMETER])
class BasketView(BasketApiView):
    @extend_schema(
        summary="The client's basket: lines, discounts by name, vouchers, totals",
        responses={200: BasketSerializer, **ERROR_RESPONSES},
    )
    def get(self, request):
        return basket_response(request, self.basket())


@extend_schema(tags=["basket"], parameters=[TOKEN_PARAMETER])
class BasketLinesView(BasketApiView):
    @extend_schema(
        summary="Add a product (quantity checked against stock and the basket limit)",
        request=LineAddSerializer,
        responses={201: BasketSerializer, **BASKET_ERRORS},
    )
    def post(self, request):
        data = LineAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = (
            Product.objects.select_related("product_class", "parent__product_class")
            .prefetch_related("stockrecords")
            .filter(pk=data.validated_data["product"])
            .first()
        )
        if product is None:
            raise ValidationError({"product": ["No such product."]})
        if not product.is_public:
            raise ProductNotAvailable()
        basket = self.basket(create=True)
        services.basket_line_add(
            basket=basket,
            product=product,
            quantity=data.validated_data["quantity"],
            options=data.validated_data.get("options"),
        )
        return basket_response(request, basket, status.HTTP_201_CREATED)


@extend_schema(tags=["basket"], parameters=[TOKEN_PARAMETER])
class BasketLineView(BasketApiView):
    @extend_schema(
        summary="Change a line's quantity (0 removes it)",
        request=LineUpdateSerializer,
        responses={200: BasketSerializer, **BASKET_ERRORS},
    )
    def patch(self, request, pk: int):
        data = LineUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        basket = self.basket()
        services.basket_line_update(basket=basket, line=self.line(basket, pk), quantity=data.validated_data["quantity"])
        return basket_response(request, basket)

    @extend_schema(summary="Remove a line", request=None, responses={200: BasketSerializer, **BASKET_ERRORS})
    def delete(self, request, pk: int):
        basket = self.basket()
        services.basket_line_delete(basket=basket, line=self.line(basket, pk))
        return basket_response(request, basket)


@extend_schema(tags=["basket"], parameters=[TOKEN_PARAMETER])
class BasketVouchersView(BasketApiView):
    @extend_schema(
        summary="Apply a voucher, or learn why it cannot apply",
        description=(
            "Error codes: `voucher_not_found`, `voucher_already_applied`, `voucher_not_started`, "
            "`voucher_expired`, `voucher_used_up`, `voucher_sign_in_required`, `voucher_minimum_not_met`, "
            "`voucher_not_for_these_products`."
        ),
        request=VoucherAddSerializer,
        responses={201: BasketSerializer, **BASKET_ERRORS},
    )
    def post(self, request):
        data = VoucherAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        basket = self.basket()
        services.basket_voucher_add(basket=basket, code=data.validated_data["code"], user=request.user, request=request)
        return basket_response(request, basket, status.HTTP_201_CREATED)


@extend_schema(tags=["basket"], parameters=[TOKEN_PARAMETER])
class BasketVoucherView(BasketApiView):
    @extend_schema(summary="Remove a voucher", request=None, responses={200: BasketSerializer, **BASKET_ERRORS})
    def delete(self, request, code: str):
        basket = self.basket()
        services.basket_voucher_remove(basket=basket, code=code)
        return basket_response(request, basket)


@extend_schema(tags=["basket"])
class BasketShippingMethodsView(BasketApiView):
    @extend_schema(
        summary="Shipping methods available for the basket and a destination country, with their cost",
        parameters=[
            OpenApiParameter("country", str, required=True, description="ISO 3166-1 alpha-2 code, e.g. GB."),
            TOKEN_PARAMETER,
        ],
        responses={200: ShippingMethodSerializer(many=True), 400: OpenApiResponse(ErrorSerializer)},
    )
    def get(self, request):
        code = request.query_params.get("country", "").strip()
        if not code:
            raise ValidationError({"country": ["This parameter is required."]})
        country = shipping_country_get(code=code)
        if country is None:
            raise ValidationError({"country": ["We do not ship to this country."]})
        basket = self.basket()
        services.basket_offers_apply(basket=basket, user=request.user, request=request)
        currency = basket.currency or settings.OSCAR_DEFAULT_CURRENCY
        methods = [
            {
                "code": method.code,
                "name": str(method.name),
                "description": str(getattr(method, "description", "") or ""),
                "cost": Money(currency, charge.excl_tax, charge.incl_tax if charge.is_tax_known else None),
                "is_discounted": bool(getattr(method, "is_discounted", False)),
            }
            for method, charge in shipping_methods_for_basket(basket=basket, country=country)
        ]
        return Response(ShippingMethodSerializer(methods, many=True).data)
