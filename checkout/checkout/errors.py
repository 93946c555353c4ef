"""Business errors of checkout, in the project's one error format."""

from rest_framework import status

from apibase.errors import ApiError


class CheckoutError(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "checkout_error"
    default_detail = "The order cannot be placed."


class BasketEmpty(CheckoutError):
    default_code = "basket_empty"
    default_detail = "Your basket is empty."


class OutOfStock(CheckoutError):
    """Raised at allocation, under the stock record's row lock: someone else bought it first."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "insufficient_stock"
    default_detail = "Not enough of a product in your basket is left in stock."


class VoucherUnavailable(CheckoutError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "voucher_unavailable"
    default_detail = "A voucher in your basket can no longer be used. Remove it and try again."
