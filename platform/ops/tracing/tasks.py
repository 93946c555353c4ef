"""huey task spans, in the trace of the request (or task) that enqueued them.

At enqueue (huey's SIGNAL_ENQUEUED, in the enqueuing process) the current trace context is written
beside the task in huey's storage, under `hypex:trace:<task id>` (in memory when tasks run in-process).
The process that runs the task (SIGNAL_EXECUTING) reads it back and starts a CONSUMER span with that
context as parent, ended by whichever signal ends the run. Nothing is stored while tracing is off.
"""

from __future__ import annotations

import threading

from huey.signals import (
    SIGNAL_CANCELED,
    SIGNAL_COMPLETE,
    SIGNAL_ENQUEUED,
    SIGNAL_ERROR,
    SIGNAL_EXECUTING,
    SIGNAL_INTERRUPTED,
    SIGNAL_LOCKED,
    SIGNAL_RATE_LIMITED,
    SIGNAL_TIMEOUT,
)
from opentelemetry import context, trace
from opentelemetry.propagate import extract, inject
from opentelemetry.trace import SpanKind, Status, StatusCode

from .state import tracing_on

TRACE_PREFIX = "hypex:trace:"
_ENDING = (SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_CANCELED, SIGNAL_INTERRUPTED, SIGNAL_LOCKED, SIGNAL_TIMEOUT,
           SIGNAL_RATE_LIMITED)  # fmt: skip
_tracer = trace.get_tracer("hypex.tasks")
_lock = threading.Lock()
_in_process: dict[str, dict] = {}  # immediate mode: the carrier never leaves the process
_running: dict[str, tuple] = {}  # task id -> (span, context token)


def _carrier_store(huey, task) -> None:
    carrier: dict[str, str] = {}
    inject(carrier)
    if not carrier:
        return
    if huey.immediate:
        with _lock:
            _in_process[task.id] = carrier
    else:
        huey.put(f"{TRACE_PREFIX}{task.id}", carrier)


def _carrier_take(huey, task) -> dict:
    if huey.immediate:
        with _lock:
            return _in_process.pop(task.id, {})
    return huey.get(f"{TRACE_PREFIX}{task.id}") or {}


def _span_start(huey, task) -> None:
    parent = extract(_carrier_take(huey, task))
    span = _tracer.start_span(
        f"task {task.name}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "huey",
            "messaging.message.id": task.id,
            "huey.task.name": task.name,
            "huey.task.retries_left": task.retries,
        },  # fmt: skip
    )
    token = context.attach(trace.set_span_in_context(span))
    with _lock:
        _running[task.id] = (span, token)


def _span_end(signal, task, exc=None) -> None:
    with _lock:
        running = _running.pop(task.id, None)
    if running is None:
        return
    span, token = running
    if exc is not None:
        span.record_exception(exc)
    if signal != SIGNAL_COMPLETE:
        span.set_status(Status(StatusCode.ERROR, signal))
    span.set_attribute("huey.outcome", signal)
    context.detach(token)
    span.end()


def task_spans_install(huey) -> None:
    """Connect the span recorder to `huey` (idempotent)."""
    if getattr(huey, "_hypex_spans_installed", False):
        return

    def receiver(signal, task, exc=None, *args):
        if signal in _ENDING:
            _span_end(signal, task, exc if isinstance(exc, BaseException) else None)
            return
        if not tracing_on():
            return
        if signal == SIGNAL_ENQUEUED:
            _carrier_store(huey, task)
        elif signal == SIGNAL_EXECUTING:
            _span_start(huey, task)

    huey.signal(SIGNAL_ENQUEUED, SIGNAL_EXECUTING, *_ENDING)(receiver)
    huey._hypex_spans_installed = True
