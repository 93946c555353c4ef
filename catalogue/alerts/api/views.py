"""`POST /api/v1/products/{id}/alerts/`: "email me when it's back" for a sold-out product or variant."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oscar.core.loading import get_model
from rest_framework import generics, status
from rest_framework.response import Response

from apibase.errors import ERROR_RESPONSES, ErrorSerializer
from apibase.throttling import ClientIpScopedRateThrottle

from .. import services
from .serializers import AlertCreateSerializer, AlertSerializer

Product = get_model("catalogue", "Product")


class ProductAlertCreateView(generics.GenericAPIView):
    serializer_class = AlertSerializer
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "product_alert"

    def get_queryset(self):
        return Product.objects.filter(is_public=True)

    @extend_schema(
        tags=["catalogue"],
        summary="Email me when this sold-out product (or variant) is back in stock",
        description="Signed in: the alert is active at once. Guest: give `email`; the alert waits for the "
        "confirmation link mailed there. Each subscriber is emailed once when stock returns.",
        request=AlertCreateSerializer,
        responses={
            201: AlertSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such product (`not_found`)."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="`in_stock` (buy it now) or `already_subscribed` (this person already waits for it).",
            ),
            **ERROR_RESPONSES,
            400: OpenApiResponse(ErrorSerializer, description="Invalid input: `validation_error`, `email_required`."),
        },
    )
    def post(self, request, pk):
        product = get_object_or_404(self.get_queryset(), pk=pk)
        data = AlertCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.product_alert_subscribe(
            product=product, user=request.user, email=data.validated_data.get("email", "")
        )
        return Response(AlertSerializer(alert).data, status=status.HTTP_201_CREATED)
