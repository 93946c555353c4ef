"""Turning tracing on: once per process, before Django builds its middleware chain.

On when an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp`, and `OTEL_SDK_DISABLED` is not
true. The exporter reads the rest of the standard variables itself (headers, timeout, protocol is
OTLP/HTTP); `OTEL_SERVICE_NAME` names the service (default `hypex`), `OTEL_RESOURCE_ATTRIBUTES` adds to it.
"""

from __future__ import annotations

import logging
import os

from django.db import connections
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

from .database import sql_spans_install
from .state import TRACING, tracing_on

logger = logging.getLogger("ops.tracing")


def tracing_requested(environ=os.environ) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return False
    endpoint = environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    return bool(endpoint) or exporter == "otlp"


def _provider(exporter: SpanExporter | None) -> TracerProvider:
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):  # set earlier in this process (tests configure it once)
        provider = current
    else:
        resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "hypex")})
        provider = TracerProvider(resource=resource)
        trace.set_tracer_provider(provider)
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: PLC0415 - heavy; tracing only

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    elif exporter not in TRACING["exporters"]:
        TRACING["exporters"].append(exporter)
        provider.add_span_processor(_WhileOn(exporter))
    return provider


def _instrumentors() -> list:
    """Django's, Redis's and requests' instrumentors (singletons). Imported here, as are the OTLP exporter
    and the ASGI middleware below: importing them takes about 0.3 s, which only a tracing process pays."""
    from opentelemetry.instrumentation.django import DjangoInstrumentor  # noqa: PLC0415 - heavy; tracing only
    from opentelemetry.instrumentation.redis import RedisInstrumentor  # noqa: PLC0415 - heavy; tracing only
    from opentelemetry.instrumentation.requests import RequestsInstrumentor  # noqa: PLC0415 - heavy; tracing only

    return [DjangoInstrumentor(), RedisInstrumentor(), RequestsInstrumentor()]


class _WhileOn(SimpleSpanProcessor):
    """Exports at once, and only while tracing is on: a provider cannot be removed from a process,
    so after `tracing_stop` (tests) spans made by the API alone are dropped here."""

    def on_end(self, span) -> None:
        if TRACING["on"]:
            super().on_end(span)


def tracing_start(*, exporter: SpanExporter | None = None) -> TracerProvider:
    """Install the provider and the instrumentations (idempotent). `exporter` replaces OTLP (tests:
    an in-memory exporter, exported at once)."""
    if TRACING["on"]:
        return TRACING["provider"]
    provider = _provider(exporter)
    for instrumentor in _instrumentors():
        instrumentor.instrument(tracer_provider=provider)
    for connection in connections.all(initialized_only=True):
        sql_spans_install(connection=connection)
    TRACING.update(on=True, provider=provider)
    logger.info("tracing on: spans exported %s", "over OTLP" if exporter is None else f"to {type(exporter).__name__}")
    return provider


def tracing_stop() -> None:
    """Undo `tracing_start`'s instrumentations (tests); spans already recorded stay exported."""
    if not TRACING["on"]:
        return
    for instrumentor in _instrumentors():
        instrumentor.uninstrument()
    TRACING.update(on=False)


def tracing_start_from_env() -> bool:
    """Called at process start (config.asgi, config.wsgi, run_huey): on if the environment asks."""
    if tracing_requested():
        tracing_start()
    return tracing_on()


def asgi_traced(app):
    """The ASGI app wrapped for HTTP and websocket spans, when tracing is on."""
    if not tracing_on():
        return app
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware  # noqa: PLC0415 - heavy; tracing only

    return OpenTelemetryMiddleware(app, tracer_provider=TRACING["provider"])
