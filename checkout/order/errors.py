"""Business errors of the order lifecycle, rendered in the project's one error format."""

from rest_framework import status

from apibase.errors import ApiError


class OrderStatusError(ApiError):
    """The order cannot move to the asked status from the one it is in."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "order_status_invalid"
    default_detail = "The order cannot change to this status now."


class ShippingEventError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "shipping_event_invalid"
    default_detail = "A shipping event cannot be added to this order now."
