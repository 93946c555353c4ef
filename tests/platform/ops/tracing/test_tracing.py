"""Tracing beyond the checkout (ADR 0034): off unless OTEL_* ask, exported over real OTLP/HTTP when they
do, task context carried through a real queue to the process that runs the task, websocket and outgoing
HTTP spans, Redis spans."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from huey import SqliteHuey
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.trace import SpanKind

from ops.tracing.setup import tracing_requested
from ops.tracing.tasks import task_spans_install
from tests.tracing import spans  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize(
    ("environ", "on"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_tracing_is_off_unless_the_standard_variables_ask_for_it(environ, on):
    assert tracing_requested(environ) is on


class Collector:
    """An OTLP/HTTP trace receiver on loopback: keeps every ExportTraceServiceRequest it is sent."""

    def __init__(self):
        self.requests: list[tuple[str, str, ExportTraceServiceRequest]] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                collector.requests.append((self.path, self.headers["Content-Type"], request))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_otel_variables_export_spans_over_otlp_http_to_the_collector(tmp_path):
    collector = Collector()
    script = (
        "import config.wsgi\n"
        "from django.test import Client\n"
        "from opentelemetry import trace\n"
        "assert Client().get('/healthz').status_code == 200\n"
        "trace.get_tracer_provider().force_flush()\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
        "OTEL_SERVICE_NAME": "hypex-test",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-2000:]
    finally:
        collector.stop()

    assert collector.requests, "nothing was exported"
    path, content_type, request = collector.requests[0]
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    resource = request.resource_spans[0].resource
    assert {"key": "service.name", "value": "hypex-test"} in [
        {"key": a.key, "value": a.value.string_value} for a in resource.attributes
    ]
    names = [s.name for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    assert "GET healthz" in names


def test_a_task_run_by_another_process_continues_the_enqueuing_trace(spans, tmp_path):  # noqa: F811
    queue = SqliteHuey("tracing-test", filename=str(tmp_path / "huey.sqlite3"))
    task_spans_install(queue)

    @queue.task(name="traced_job")
    def job():
        return None

    with trace.get_tracer("test").start_as_current_span("enqueuing request") as request:
        job()
    # A worker: no context of its own, only what came with the task in the queue's storage.
    queue.execute(queue.dequeue())

    [task] = [s for s in spans.get_finished_spans() if s.name == "task traced_job"]
    assert task.kind == SpanKind.CONSUMER
    assert task.context.trace_id == request.get_span_context().trace_id
    assert task.parent.span_id == request.get_span_context().span_id
    assert queue.get("hypex:trace:anything") is None and len(queue) == 0


def test_a_failed_task_span_records_the_error(spans, tmp_path):  # noqa: F811
    queue = SqliteHuey("tracing-test-2", filename=str(tmp_path / "huey.sqlite3"))
    task_spans_install(queue)

    @queue.task(name="broken_job")
    def broken():
        raise ValueError("no")

    broken()
    queue.execute(queue.dequeue())

    [task] = [s for s in spans.get_finished_spans() if s.name == "task broken_job"]
    assert task.status.status_code.name == "ERROR"
    assert [event.name for event in task.events] == ["exception"]


def test_outgoing_http_is_a_client_span_in_the_callers_trace(spans, sms_provider):  # noqa: F811
    from accounts.sms import get_sms_backend

    with trace.get_tracer("test").start_as_current_span("caller") as caller:
        get_sms_backend().send(to="+447700900123", body="Your code is 123456")

    [call] = [s for s in spans.get_finished_spans() if s.kind == SpanKind.CLIENT and s.name == "POST"]
    assert call.context.trace_id == caller.get_span_context().trace_id
    assert sms_provider.messages


@pytest.mark.django_db(transaction=True)
async def test_websocket_connects_and_messages_are_spans(spans):  # noqa: F811
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from ops.tracing.setup import asgi_traced

    socket = WebsocketCommunicator(asgi_traced(application), "/ws/search/", headers=[(b"host", b"testserver")])
    assert (await socket.connect())[0]
    await socket.send_json_to({"q": "shirt"})
    await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    finished = spans.get_finished_spans()
    connection = next(s for s in finished if s.name == "HTTP /ws/search/" and s.kind == SpanKind.SERVER)
    frames = [s for s in finished if s.context.trace_id == connection.context.trace_id and s is not connection]
    assert connection.kind == SpanKind.SERVER
    assert {"HTTP /ws/search/ websocket receive", "HTTP /ws/search/ websocket send"} <= {s.name for s in frames}


@pytest.mark.redis
def test_redis_commands_are_client_spans(spans, redis_server):  # noqa: F811
    import redis

    client = redis.Redis.from_url(redis_server.url)
    with trace.get_tracer("test").start_as_current_span("caller") as caller:
        client.set("traced", "1")
        client.get("traced")

    redis_spans = [s for s in spans.get_finished_spans() if s.attributes.get("db.system") == "redis"]
    assert [s.name for s in redis_spans] == ["SET", "GET"]
    assert {s.context.trace_id for s in redis_spans} == {caller.get_span_context().trace_id}
