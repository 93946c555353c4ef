"""The project's one API error format, and the handler that maps every exception onto it.

    {"error": {"code": "validation_error", "message": "Human sentence.", "fields": {"email": ["..."]}}}

`code` is machine-readable and stable; `message` is for people; `fields` appears on validation errors,
always one flat object of lists of strings: nested errors get dotted keys (`lines.0.quantity`,
`shipping_address.country`), errors about the whole object or a whole list the key `non_field_errors`
or the list's own key (docs/adr/0005-api-error-format.md, addendum).
Business rules raise `ApiError` subclasses (or Django's ValidationError) from services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(exceptions.APIException):
    """A business rule said no. Subclass with a status_code, default_code and default_detail."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"
    default_detail = "The request cannot be carried out."


_CODE_BY_EXCEPTION: dict[type, str] = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_message(next(iter(detail.values())))
    return str(detail)


def _error_code(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, dict) and "code" in detail and isinstance(detail["code"], str):
        return detail["code"]  # simplejwt's token errors carry their own code
    codes = exc.get_codes()
    if isinstance(codes, str) and codes != exc.default_code:
        return codes  # a specific code given where the error was raised
    for exc_type, code in _CODE_BY_EXCEPTION.items():
        if isinstance(exc, exc_type):
            return code
    return exc.default_code


def fields_flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.key": ["message", ...]}; order kept, strings only."""
    flat: dict[str, list[str]] = {}

    def add(key: str, message: Any) -> None:
        flat.setdefault(key or "non_field_errors", []).append(str(message))

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(child, f"{key}.{name}" if key else str(name))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                if isinstance(child, dict | list):
                    if child:  # [] / {} are the entries of `many=True` items that had no error
                        walk(child, f"{key}.{index}" if key else str(index))
                else:
                    add(key, child)
        else:
            add(key, node)

    walk(detail, prefix)
    return flat


def error_body(*, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    """The error format as a plain dict, for answers made outside DRF (middleware, handler404)."""
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django answer 500 and log it

    assert isinstance(exc, exceptions.APIException)
    error: dict[str, Any] = {"code": _error_code(exc)}
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        error["message"] = "The submitted data is not valid."
        if isinstance(detail, dict):
            error["fields"] = fields_flatten(detail)
        else:
            error["message"] = _first_message(detail)
    elif isinstance(detail, dict) and "detail" in detail:
        error["message"] = str(detail["detail"])
    else:
        error["message"] = _first_message(detail)
    response.data = {"error": error}
    return response


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(help_text="Stable machine-readable code, e.g. `validation_error`."),
                "message": serializers.CharField(help_text="A sentence for people."),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text=(
                        "Per-field messages, on validation errors only. Nested fields have dotted keys "
                        "(`lines.0.quantity`, `shipping_address.country`); `non_field_errors` is about "
                        "the whole body."
                    ),
                ),
            },
        )
    },
)

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input (`validation_error`)."),
    401: OpenApiResponse(ErrorSerializer, description="Missing or invalid credentials."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests (`throttled`)."),
}
