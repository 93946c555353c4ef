"""The webhooks' Prometheus families (ADR 0033, ADR 0048): every POST of a delivery by event type and
outcome, and endpoints disabled for failing."""

from prometheus_client import Counter

WEBHOOK_ATTEMPTS = Counter(
    "hypex_webhook_attempts_total",
    "Webhook POSTs to merchants' apps, by event type and outcome (succeeded: 2xx; failed: anything else).",
    ["event", "outcome"],
)
WEBHOOK_ENDPOINTS_DISABLED = Counter(
    "hypex_webhook_endpoints_disabled_total", "Webhook endpoints disabled because every attempt failed for a day."
)
