"""Payment API endpoints: the Stripe webhook."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apibase.errors import ERROR_RESPONSES, ErrorSerializer

from ..webhooks import stripe_webhook_process


class StripeWebhookView(APIView):
    """Stripe calls this; it is authenticated by its signature, not by a user."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="payments_stripe_webhook",
        tags=["payments"],
        summary="Stripe webhook (signed)",
        description=(
            "Receives Stripe events. The `Stripe-Signature` header must verify against the webhook secret and "
            "be at most 5 minutes old. Each event id is processed once; a replay answers `duplicate`. "
            "Handled: `payment_intent.succeeded` (order paid once, amount and currency checked), "
            "`payment_intent.payment_failed`, `payment_intent.canceled`; other types answer `ignored`."
        ),
        request={"application/json": {"type": "object", "description": "A Stripe Event object."}},
        parameters=[OpenApiParameter("Stripe-Signature", str, OpenApiParameter.HEADER, required=True)],
        responses={
            200: inline_serializer(
                name="WebhookResult",
                fields={
                    "outcome": serializers.CharField(
                        help_text="paid, duplicate, late, mismatch, failed, ignored or unknown_payment"
                    )
                },
            ),
            400: OpenApiResponse(
                ErrorSerializer, description="`webhook_signature_invalid` / `webhook_payload_invalid`."
            ),
            503: OpenApiResponse(ErrorSerializer, description="Webhooks not configured."),
            429: ERROR_RESPONSES[429],
        },
    )
    def post(self, request):
        outcome = stripe_webhook_process(payload=request.body, signature=request.headers.get("Stripe-Signature"))
        return Response({"outcome": outcome})
