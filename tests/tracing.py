"""Tracing in tests: the real setup (ops.tracing.setup) with an in-memory exporter instead of OTLP.

OpenTelemetry allows one tracer provider per process, so one exporter serves the whole test process;
each test starts the instrumentations, reads the spans it made, and stops them again."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ops.tracing.setup import tracing_start, tracing_stop

EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans():
    """Tracing on for this test; returns the exporter (`.get_finished_spans()`)."""
    EXPORTER.clear()
    tracing_start(exporter=EXPORTER)
    yield EXPORTER
    tracing_stop()
    EXPORTER.clear()


def by_trace(finished, trace_id: int) -> list:
    return [span for span in finished if span.context.trace_id == trace_id]
