"""Business errors of the basket: each has a stable code the API returns and a sentence for people."""

from rest_framework import status

from apibase.errors import ApiError


class BasketError(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "basket_error"
    default_detail = "The basket cannot be changed like this."


class ProductNotAvailable(BasketError):
    default_code = "product_not_available"
    default_detail = "This product cannot be bought."


class InsufficientStock(BasketError):
    default_code = "insufficient_stock"
    default_detail = "Not enough of this product is in stock."


class QuantityLimitExceeded(BasketError):
    default_code = "quantity_limit_exceeded"
    default_detail = "A basket cannot hold that many items."


class BasketLineNotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"
    default_detail = "No such line in your basket."


class BasketNotEditable(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "basket_not_editable"
    default_detail = "This basket has been submitted and can no longer be changed."


class VoucherError(BasketError):
    default_code = "voucher_invalid"
    default_detail = "This voucher cannot be used."


class VoucherNotFound(VoucherError):
    default_code = "voucher_not_found"
    default_detail = "No voucher has this code."


class VoucherAlreadyApplied(VoucherError):
    default_code = "voucher_already_applied"
    default_detail = "This voucher is already in your basket."


class VoucherExpired(VoucherError):
    default_code = "voucher_expired"
    default_detail = "This voucher has expired."


class VoucherNotStarted(VoucherError):
    default_code = "voucher_not_started"
    default_detail = "This voucher cannot be used yet."


class VoucherUsedUp(VoucherError):
    default_code = "voucher_used_up"
    default_detail = "This voucher has already been used."


class VoucherSignInRequired(VoucherError):
    default_code = "voucher_sign_in_required"
    default_detail = "This voucher is only available to signed-in customers."


class VoucherMinimumNotMet(VoucherError):
    default_code = "voucher_minimum_not_met"
    default_detail = "Your basket does not meet this voucher's minimum yet."


class VoucherNotForTheseProducts(VoucherError):
    default_code = "voucher_not_for_these_products"
    default_detail = "This voucher does not apply to any product in your basket."
