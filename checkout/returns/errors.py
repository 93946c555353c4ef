"""Business errors of returns, rendered in the project's one error format."""

from rest_framework import status

from apibase.errors import ApiError


class ReturnStateError(ApiError):
    """The return request (or the order) is not in a state that allows this step."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "return_status_invalid"
    default_detail = "This return cannot take this step now."


class ReturnInvalid(ApiError):
    """What was asked is not a valid return (unknown line, reason or too many units)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "return_invalid"
    default_detail = "This return request is not valid."
