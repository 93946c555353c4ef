"""The outbox's Prometheus families (ADR 0033): deliveries as they happen, and the backlog at scrape
time (`outbox_backlog_collect`, registered by ops.metrics, which sits above this app)."""

from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily

from .selectors import outbox_backlog

OUTBOX_DELIVERED = Counter("hypex_outbox_delivered_total", "Outbox messages delivered, by topic.", ["topic"])
OUTBOX_DELIVERY_FAILURES = Counter(
    "hypex_outbox_delivery_failures_total",
    "Failed outbox delivery attempts by topic (each is retried until OUTBOX_MAX_ATTEMPTS).",
    ["topic"],
)


def outbox_backlog_collect():
    backlog = outbox_backlog()
    messages = GaugeMetricFamily(
        "hypex_outbox_messages",
        "Outbox messages by status (pending: not delivered yet; failed: waiting for staff).",
        labels=["status"],
    )
    messages.add_metric(["pending"], backlog["pending"])
    messages.add_metric(["failed"], backlog["failed"])
    yield messages
    age = GaugeMetricFamily(
        "hypex_outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox message (0 when none)."
    )
    age.add_metric([], backlog["oldest_pending_seconds"])
    yield age
