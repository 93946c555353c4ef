"""The platform's metric families. Names follow Prometheus conventions (`_total` counters, `_seconds`
histograms, base units) and are the contract the dashboard and alert rules in deploy/monitoring/ use
(a test checks every name those files use is exported).

Labels are bounded: route *names* (never raw paths), task names, websocket route patterns, outcomes.
In multiprocess mode (PROMETHEUS_MULTIPROC_DIR) each process writes its own file and `/metrics` sums
them; gauges therefore say how to combine processes (`livesum`: the sum over live processes).
"""

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# No `_created` series: they double the samples and no dashboard or alert uses them.
disable_created_metrics()

# Request latency buckets: a shop page is fast under 100 ms, slow over 1 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
QUERY_COUNT_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0)

HTTP_REQUESTS = Counter(
    "hypex_http_requests_total",
    "HTTP requests answered, by route name, method and status code.",
    ["route", "method", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "hypex_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by route name.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
HTTP_EXCEPTIONS = Counter(
    "hypex_http_exceptions_total",
    "Requests whose view raised an unhandled exception (answered 500 or 503), by route and exception type.",
    ["route", "exception"],
)
DB_QUERIES_PER_REQUEST = Histogram(
    "hypex_http_request_db_queries",
    "Database queries one request ran, by route name.",
    ["route"],
    buckets=QUERY_COUNT_BUCKETS,
)
DB_TIME_PER_REQUEST = Histogram(
    "hypex_http_request_db_seconds",
    "Time one request spent waiting on the database, by route name.",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
CACHE_REQUESTS = Counter(
    "hypex_cache_requests_total",
    "Cache reads by result (hit, miss). A read during a Redis outage is a miss and an error.",
    ["result"],
)
CACHE_ERRORS = Counter(
    "hypex_cache_errors_total",
    "Cache operations that failed or were skipped because Redis was away (ADR 0025).",
)
WEBSOCKET_CONNECTIONS = Gauge(
    "hypex_websocket_connections",
    "Websocket connections open now, by route.",
    ["route"],
    multiprocess_mode="livesum",
)
WEBSOCKET_CONNECTS = Counter(
    "hypex_websocket_connects_total",
    "Websocket handshakes by route and outcome (accepted, refused).",
    ["route", "outcome"],
)
WEBSOCKET_FRAMES = Counter(
    "hypex_websocket_frames_total",
    "Websocket frames by route and direction (received from clients, sent to them).",
    ["route", "direction"],
)
TASK_RUNS = Counter(
    "hypex_task_runs_total",
    "huey task runs by task name and outcome (success; retry: failed, will run again; failure: failed for good).",
    ["task", "outcome"],
)
TASK_DURATION = Histogram(
    "hypex_task_duration_seconds",
    "huey task run time by task name (successful and failed runs).",
    ["task"],
    buckets=TASK_BUCKETS,
)
SCRAPE_COLLECTOR_ERRORS = Counter(
    "hypex_metrics_collector_errors_total",
    "Scrape-time collectors (queue depth, outbox backlog, ...) that failed; their families are left out.",
    ["collector"],
)
