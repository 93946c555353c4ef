"""The API's JSON parser: strict JSON, bounded nesting, no NUL characters.

Every body that `JSONParser` would accept is accepted, except:
- `NaN`, `Infinity`, `-Infinity` literals (not JSON; DRF's STRICT_JSON refuses them too);
- nesting deeper than `API_JSON_MAX_DEPTH` arrays/objects (default 32): Python's parser would raise
  RecursionError near 1,000 levels, a 500;
- a NUL character in any string or key (PostgreSQL cannot store it in text).

Each answers 400 `parse_error` in the error format (docs/adr/0029-api-contract-checked-in-ci.md).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON.")


def json_check(value: Any, *, max_depth: int) -> None:
    """Raise ValueError when `value` nests deeper than `max_depth` or holds a NUL character."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth >= max_depth:
                raise ValueError(f"JSON nested deeper than {max_depth} levels.")
            children = node.items() if isinstance(node, dict) else ((None, child) for child in node)
            for key, child in children:
                if isinstance(key, str) and "\x00" in key:
                    raise ValueError("JSON strings may not contain NUL characters.")
                stack.append((child, depth + 1))
        elif isinstance(node, str) and "\x00" in node:
            raise ValueError("JSON strings may not contain NUL characters.")


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
            value = json.loads(text, parse_constant=_refuse_constant)
            json_check(value, max_depth=settings.API_JSON_MAX_DEPTH)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - nested deeper than {settings.API_JSON_MAX_DEPTH} levels.") from exc
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise ParseError(f"JSON parse error - {exc}") from exc
        return value
