"""A log line names the trace it belongs to while a span is active, and nothing when tracing is off."""

from __future__ import annotations

import logging

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@pytest.fixture
def tracer():
    """A tracer of a provider of its own: the global provider (tracing off) is left as it is."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider.get_tracer("tests"), exporter
    provider.shutdown()


def test_a_line_written_inside_a_span_carries_its_trace_and_span_ids(project_log, tracer):
    log = project_log()
    tracer, exporter = tracer

    with tracer.start_as_current_span("checkout"):
        logging.getLogger("checkout").info("placing")
    logging.getLogger("checkout").info("after")

    inside, after = log.records()
    (span,) = exporter.get_finished_spans()
    assert inside["trace_id"] == format(span.context.trace_id, "032x")
    assert inside["span_id"] == format(span.context.span_id, "016x")
    assert list(inside)[4:7] == ["request_id", "trace_id", "span_id"]
    assert "trace_id" not in after and "span_id" not in after


def test_with_tracing_off_there_is_no_trace_id(project_log):
    from opentelemetry import trace

    log = project_log()

    # What the API's no-op tracer gives when no SDK is installed (tracing off); a provider installed by
    # another test of this process cannot be removed, so the no-op span is made explicitly.
    with trace.use_span(trace.INVALID_SPAN):
        logging.getLogger("checkout").info("placing")

    (line,) = log.records()
    assert "trace_id" not in line


def test_plain_lines_show_the_trace_id(project_log, tracer):
    log = project_log(log_format="plain")
    tracer, _ = tracer

    with tracer.start_as_current_span("checkout") as span:
        logging.getLogger("checkout").info("placing")

    assert f"[- trace={format(span.get_span_context().trace_id, '032x')}] placing" in log.text
