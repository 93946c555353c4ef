"""Prometheus metrics (docs/adr/0033-prometheus-metrics.md).

- `families`: the platform's metric families (HTTP, database per request, cache, websockets, tasks,
  outbox). Business families live with their domain (`checkout.metrics`, `support.metrics`,
  `dataexchange.metrics`) and register scrape-time collectors here.
- `exposition`: `/metrics` in the text format, one registry for this process or, with
  `PROMETHEUS_MULTIPROC_DIR`, the sum of every process on the machine; `access` decides who may read it.
- `http`, `database`, `cache`, `websockets`, `tasks`: where the platform families are recorded.
- `worker_server`: the same exposition on `METRICS_PORT` for processes that serve no HTTP (huey).
"""
