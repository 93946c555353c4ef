"""One access line per request - method, path, status, duration, request id - and no other server
line repeating it: not runserver's, not Django's "Not Found", not the server's (docs/adr/0035)."""

from __future__ import annotations

import http.client
import json
import logging

import pytest

from tests.asgi_server import AsgiServer


def _access_lines(log) -> list[dict]:
    return [record for record in log.records() if record["logger"] == "ops.access"]


@pytest.mark.django_db
def test_one_line_per_request_with_method_path_status_and_duration(client, project_log):
    log = project_log()

    response = client.get("/healthz?secret=1")

    (line,) = _access_lines(log)
    assert line["message"].startswith("GET /healthz 200 ") and line["message"].endswith("ms")
    assert (line["method"], line["path"], line["status"], line["level"]) == ("GET", "/healthz", 200, "INFO")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert "secret" not in log.text  # the query string is not logged


@pytest.mark.django_db
def test_a_404_is_one_warning_line_not_three(client, project_log):
    log = project_log()

    client.get("/no-such-page/")

    assert [(r["logger"], r["level"], r["status"]) for r in log.records()] == [("ops.access", "WARNING", 404)]


@pytest.mark.urls("tests.platform.ops.test_request_id")
def test_a_500_is_the_access_line_and_djangos_line_with_the_traceback(client, project_log):
    log = project_log()
    client.raise_request_exception = False

    client.get("/boom/")

    lines = log.records()
    assert sorted(r["logger"] for r in lines) == ["django.request", "ops.access"]
    assert all(r["level"] == "ERROR" for r in lines)
    assert "exception" in next(r for r in lines if r["logger"] == "django.request")


@pytest.mark.django_db
def test_control_characters_in_the_path_cannot_start_a_new_line(client, project_log):
    log = project_log(log_format="plain")

    client.get("/x%0Aforged INFO line/")

    assert len(log.text.splitlines()) == 1 and "/x?forged INFO line/" in log.text


def test_djangos_own_console_handler_and_runservers_lines_are_gone(project_log):
    project_log()

    assert logging.getLogger("django").handlers == []  # with DEBUG on it printed every line twice
    assert logging.getLogger("django.channels.server").getEffectiveLevel() > logging.ERROR


@pytest.fixture
def json_server(django_db_setup, django_db_blocker):
    """The production server as the Dockerfile runs it (gunicorn's access log off), JSON lines, behind
    one proxy."""
    with django_db_blocker.unblock():
        server = AsgiServer(env={"LOG_FORMAT": "json", "TRUSTED_PROXY_COUNT": "1"})
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_under_the_production_server_every_line_is_json_and_each_request_one_line_with_the_proxys_id(json_server):
    for target, request_id in [("/healthz", "nginx-req-1"), ("/no-such-page/", "nginx-req-2")]:
        connection = http.client.HTTPConnection("127.0.0.1", json_server.port, timeout=30)
        connection.request("GET", target, headers={"X-Request-ID": request_id, "X-Forwarded-For": "203.0.113.9"})
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.getheader("X-Request-ID") == request_id
    json_server.stop()

    lines = [json.loads(line) for line in json_server.log_path.read_text().splitlines() if line.strip()]
    requests = [
        (r["request_id"], r["path"], r["status"]) for r in lines if (r.get("request_id") or "").startswith("nginx-")
    ]
    assert requests == [("nginx-req-1", "/healthz", 200), ("nginx-req-2", "/no-such-page/", 404)]
