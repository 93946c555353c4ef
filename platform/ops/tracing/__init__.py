"""OpenTelemetry traces (docs/adr/0034-opentelemetry-traces.md).

Off unless the standard `OTEL_*` variables ask for an exporter (`setup`). When on: the ASGI app
(HTTP and websockets) and Django's views (opentelemetry-instrumentation-asgi/-django), Redis and
outgoing HTTP through requests (Stripe, the SMS provider) by their instrumentations; SQL by a Django
execute wrapper (`database`, the same for SQLite and PostgreSQL, pooled or not); huey tasks by huey's
signals, with the enqueuing request's context carried to the worker (`tasks`). The outbox keeps the
context of the request that wrote a message and links its delivery to it (sideeffects.delivery).
"""
