"""The one test helper for API error answers (platform/apibase/errors.py's format).

    {"error": {"code": "...", "message": "...", "fields": {...}}}

A bare `assert response.status_code == 400` still passes when the API refuses for another reason; an
API error is asserted with its status and, where the API gives one, its code.
"""

from __future__ import annotations


def assert_api_error(response, status: int, code: str | None = None) -> dict:
    """Assert `response` is an API error in the project's format, with `status` (and `code` if given).

    Returns the error dict, so a test can also look at `message` or `fields`.
    """
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str), error
    if code is not None:
        assert error["code"] == code, (error["code"], error["message"])
    return error
