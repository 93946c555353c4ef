"""Where a log line comes from: the request id and, when tracing is on, the trace (docs/adr/0035).

`RequestContextFilter` is on every handler in the logging settings. It gives each record:

- `request_id`: the id of the HTTP request or websocket connection being served (`ops.request_id`),
  or of the request a record carries (Django's `django.request` and `django.security` lines, written
  after the middleware returned); None outside one (start-up, management commands, huey workers);
- `trace_id` (32 hex) and `span_id` (16 hex): the OpenTelemetry span current in this context, only when
  there is a valid one. With tracing off the API's span is invalid and the fields are left out.
"""

from __future__ import annotations

import logging

from opentelemetry import trace

from .request_id import current_request_id

CONTEXT_FIELDS = ("request_id", "trace_id", "span_id")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or getattr(getattr(record, "request", None), "request_id", None)
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid and not hasattr(record, "trace_id"):
            record.trace_id = format(span_context.trace_id, "032x")
            record.span_id = format(span_context.span_id, "016x")
        return True
