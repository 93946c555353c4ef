"""Log lines: one JSON object per line in production, plain text in `make run`, the same fields for
every logger (docs/adr/0035)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.integrations.observability import logging_config
from tests.asgi_server import ROOT


def test_each_record_is_one_json_object_with_time_level_logger_message_and_request_id(project_log):
    log = project_log(log_format="json")

    logging.getLogger("checkout.order").info("order %s placed", "100042", extra={"order_number": "100042"})
    logging.getLogger("huey").warning("task %s retried\nsecond line", "abc")

    first, second = log.records()
    assert list(first)[:5] == ["time", "level", "logger", "message", "request_id"]
    assert first["level"] == "INFO" and first["logger"] == "checkout.order"
    assert first["message"] == "order 100042 placed" and first["order_number"] == "100042"
    assert first["request_id"] is None  # outside a request
    assert "trace_id" not in first and "span_id" not in first  # no span: tracing is off
    moment = datetime.fromisoformat(first["time"])
    assert moment.utcoffset() == timedelta(0)
    assert second["message"] == "task abc retried\nsecond line"  # still one line of output
    assert len(log.text.splitlines()) == 2


def test_an_exception_is_one_field_of_the_same_line(project_log):
    log = project_log(log_format="json")

    try:
        raise ValueError("the basket was empty")
    except ValueError:
        logging.getLogger("checkout").exception("placing failed")

    (record,) = log.records()
    assert record["message"] == "placing failed" and record["level"] == "ERROR"
    assert record["exception"].startswith("Traceback") and "ValueError: the basket was empty" in record["exception"]
    assert list(record)[-1] == "exception"


def test_djangos_request_object_is_not_dumped_into_the_line(project_log, rf):
    log = project_log(log_format="json")

    logging.getLogger("django.request").error("boom", extra={"status_code": 500, "request": rf.get("/x/?key=1")})

    (record,) = log.records()
    assert "request" not in record and record["status_code"] == 500


def test_plain_lines_are_for_people(project_log):
    log = project_log(log_format="plain")

    logging.getLogger("ops.access").info("GET / 200 3ms")

    (line,) = log.text.splitlines()
    assert line.endswith(" INFO ops.access [-] GET / 200 3ms")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


def test_huey_has_the_one_handler_so_run_huey_adds_none_of_its_own(project_log):
    project_log()

    huey = logging.getLogger("huey")
    assert [type(handler.formatter).__name__ for handler in huey.handlers] == ["JsonLineFormatter"]
    assert huey.propagate is False


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "json"), ({"LOG_FORMAT": "plain"}, "plain")],
)
def test_production_logs_json_unless_told_otherwise(environment, expected):
    env = {name: value for name, value in os.environ.items() if name != "LOG_FORMAT"}
    env.update({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "shop.example", **environment})
    code = (
        "import config.pythonpath, config.settings.production as s;"
        "print(s.LOG_FORMAT, s.LOGGING['handlers']['console']['formatter'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == [expected, expected]
