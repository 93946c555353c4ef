"""A span per SQL statement, from Django's execute wrappers: the same for SQLite and PostgreSQL, pooled
connections included. The statement is recorded with its placeholders, never its parameters (no
personal data in traces)."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from .state import tracing_on

_tracer = trace.get_tracer("hypex.sql")


def _operation(sql: str) -> str:
    word = sql.lstrip().split(None, 1)[0].upper() if sql and sql.strip() else "SQL"
    return word if word.isalpha() else "SQL"


def sql_span_wrapper(execute, sql, params, many, context):
    if not tracing_on():
        return execute(sql, params, many, context)
    connection = context["connection"]
    attributes = {
        "db.system": connection.vendor if connection.vendor != "postgresql" else "postgresql",
        "db.name": str(connection.settings_dict.get("NAME") or ""),
        "db.operation": _operation(sql),
        "db.statement": sql if len(sql) <= 4000 else sql[:4000],
        "db.executemany": bool(many),
    }
    with _tracer.start_as_current_span(
        f"{attributes['db.operation']} {attributes['db.name']}".strip(),
        kind=SpanKind.CLIENT,
        attributes=attributes,
        record_exception=True,
    ) as span:
        try:
            return execute(sql, params, many, context)
        except Exception:
            span.set_status(Status(StatusCode.ERROR))
            raise


def sql_spans_install(*, sender=None, connection, **kwargs) -> None:
    """`connection_created` receiver (and, when tracing starts, every open connection of the thread)."""
    if sql_span_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(sql_span_wrapper)


def sql_spans_on_connect(*, sender=None, connection, **kwargs) -> None:
    if tracing_on():
        sql_spans_install(connection=connection)
