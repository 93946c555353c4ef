"""Business errors of payments, rendered in the project's one error format."""

from rest_framework import status

from apibase.errors import ApiError


class PaymentError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "payment_error"
    default_detail = "The payment cannot be carried out."


class PaymentGatewayUnknown(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "payment_gateway_unknown"
    default_detail = "This payment method is not offered."


class PaymentNotPayable(PaymentError):
    default_code = "order_not_payable"
    default_detail = "This order is not waiting for payment."


class PaymentMismatch(PaymentError):
    default_code = "payment_mismatch"
    default_detail = "The amount or currency paid does not match the order."


class PaymentProviderError(ApiError):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "payment_provider_error"
    default_detail = "The payment provider could not be reached or refused the request. Try again."


class RefundError(PaymentError):
    default_code = "refund_invalid"
    default_detail = "This refund is not possible."


class WebhookSignatureInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "webhook_signature_invalid"
    default_detail = "The webhook signature is missing, wrong or too old."


class PaymentGatewayNotConfigured(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "payment_gateway_not_configured"
    default_detail = "This payment method is not set up for this shop."
