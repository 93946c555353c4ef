"""Support chat for Prometheus (ADR 0033): conversations waiting at scrape time, and how long the first
reply of support took."""

from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily

from .selectors import conversations_waiting_count

FIRST_RESPONSE = Histogram(
    "hypex_support_first_response_seconds",
    "Time from a conversation's start to support's first reply.",
    buckets=(30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600),
)


def support_waiting_collect():
    waiting = GaugeMetricFamily(
        "hypex_support_conversations_waiting", "Conversations whose shopper spoke last and waits for support."
    )
    waiting.add_metric([], conversations_waiting_count())
    yield waiting
