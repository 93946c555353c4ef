"""Fixtures for the logging tests: the project's own logging configuration, writing to a buffer."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest

from config.settings.integrations.observability import logging_config


class CapturedLog:
    """What the project's console handler wrote: `text`, and `records()` parsed one JSON object a line."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


def _install(*, log_format: str, level: str) -> CapturedLog:
    stream = io.StringIO()
    config = logging_config(log_format=log_format, level=level)
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    return CapturedLog(stream)


@pytest.fixture
def project_log(settings):
    """`project_log(log_format="json", level="DEBUG")` installs the project's LOGGING (formatter and
    filters as shipped) writing to a buffer and returns it; the settings' LOGGING is restored after."""
    root = logging.getLogger()
    # pytest's capture handlers sit on the root logger; dictConfig drops them, so they are put back.
    pytest_handlers = [handler for handler in root.handlers if type(handler).__module__.startswith("_pytest")]

    def capture(*, log_format: str = "json", level: str = "DEBUG") -> CapturedLog:
        return _install(log_format=log_format, level=level)

    try:
        yield capture
    finally:
        logging.config.dictConfig(settings.LOGGING)
        for handler in pytest_handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
