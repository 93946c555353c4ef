"""drf-spectacular hooks, and the AutoSchema that documents the error answers every operation can give.

Each operation lists, besides what its view declares, the error-format answers the machinery around it
can produce (docs/adr/0029-api-contract-checked-in-ci.md):

- 400 always (a NUL in the URL; invalid input where there is input);
- 401 when the view authenticates (a bad or expired token) or needs a signed-in user;
- 403 when a permission decides, or a session-cookie client may fail the CSRF check;
- 404 when the path has a parameter, or the list is paginated (`?page=` past the end);
- 414 always (a query string over `REQUEST_MAX_QUERY_STRING_BYTES`);
- 415 when the operation takes a body (another content type);
- 429 when the view is throttled.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from .errors import ErrorSerializer


def only_public_api(endpoints):
    """Keep the schema to /api/v1/: spectacular would otherwise also describe Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


ERROR_DESCRIPTIONS = {
    400: "Invalid input (`validation_error`, `parse_error`) or a NUL character in the URL (`nul_character`).",
    401: "Missing, invalid or expired credentials (`not_authenticated`, `token_not_valid`, ...).",
    403: "Not allowed (`permission_denied`), or a missing CSRF token with a session cookie.",
    404: "No such object, or no such page of results (`not_found`).",
    414: "The query string is too long (`query_string_too_long`).",
    415: "The body is not in a content type this operation reads (`unsupported_media_type`).",
    429: "Too many requests (`throttled`); retry after the `Retry-After` header's seconds.",
}


class AutoSchema(openapi.AutoSchema):
    def error_codes(self) -> set[int]:
        """The error statuses this operation can answer without its view saying so."""
        view = self.view
        codes = {400, 414}
        authenticators = list(getattr(view, "authentication_classes", []))
        permissions = list(getattr(view, "permission_classes", []))
        if authenticators or any(permission is not AllowAny for permission in permissions):
            codes.add(401)
        if SessionAuthentication in authenticators or any(permission is not AllowAny for permission in permissions):
            codes.add(403)
        if "{" in self.path or (self.method == "GET" and getattr(view, "pagination_class", None)):
            codes.add(404)
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.add(415)
        if getattr(view, "throttle_classes", None):
            codes.add(429)
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(self.error_codes()):
            if str(code) not in responses:
                response = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return dict(sorted(responses.items()))
