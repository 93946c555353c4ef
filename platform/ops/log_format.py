"""The two shapes of a log line, chosen by `LOG_FORMAT` (docs/adr/0035).

`json` (production): one JSON object per line,

    {"time": "2026-12-06T06:00:45.257311+00:00", "level": "WARNING", "logger": "ops.access",
     "message": "GET /nope/ 404 3ms", "request_id": "5f0c...", "trace_id": "...", "span_id": "...",
     "method": "GET", "path": "/nope/", "status": 404, "duration_ms": 3.1}

`time` is UTC ISO-8601, `request_id` is null outside a request, `trace_id`/`span_id` appear only
while a span is recording, fields given with `extra=` follow, and `exception` (the formatted,
redacted traceback) and `stack_info` come last when there are any.

`plain` (`make run`, tests, a terminal):
`2026-12-06 06:00:45,257 WARNING ops.access [5f0c...] GET /nope/ 404 3ms`.
"""

from __future__ import annotations

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

FIRST_FIELDS = ("time", "level", "logger", "message", "request_id", "trace_id", "span_id")
LAST_FIELDS = ("exception", "stack_info")
# Record attributes that are not for the line: Django's request object (its repr holds the path with
# its query string), the plain formatter's helper, the redaction mark.
SKIPPED_ATTRIBUTES = ("request", "server_time", "taskName", "hypex_context", "hypex_redacted")


class JsonLineFormatter(JsonFormatter):
    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp="time",
            reserved_attrs=[*RESERVED_ATTRS, *SKIPPED_ATTRIBUTES],
        )

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_text:
            # ops.log_redaction left the scrubbed traceback in exc_text: print it, not a fresh one.
            exc_info, record.exc_info = record.exc_info, None
            try:
                return super().format(record)
            finally:
                record.exc_info = exc_info
        return super().format(record)

    def process_log_record(self, log_data: dict) -> dict:
        log_data.setdefault("request_id", None)
        first = {name: log_data.pop(name) for name in FIRST_FIELDS if name in log_data}
        last = {name: log_data.pop(name) for name in LAST_FIELDS if name in log_data}
        return {**first, **log_data, **last}


class PlainFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(hypex_context)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        context = getattr(record, "request_id", None) or "-"
        trace_id = getattr(record, "trace_id", None)
        record.hypex_context = f"{context} trace={trace_id}" if trace_id else context
        return super().format(record)
