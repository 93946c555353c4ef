"""Business errors of back-in-stock alerts: a stable code for the API and a sentence for people."""

from rest_framework import status

from apibase.errors import ApiError


class AlertError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "alert_refused"
    default_detail = "This alert cannot be set up."


class ProductInStock(AlertError):
    default_code = "in_stock"
    default_detail = "This product is in stock: you can buy it now."


class AlertExists(AlertError):
    default_code = "already_subscribed"
    default_detail = "You will already be emailed when this product is back in stock."


class EmailRequired(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "email_required"
    default_detail = "Give an email address, or sign in."
