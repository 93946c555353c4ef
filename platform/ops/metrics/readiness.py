"""Readiness at scrape time: the `/readyz` probes (database, cache, channel layer, task queue) as a gauge
per dependency, labelled with whether it is critical (`READYZ_CRITICAL_CHECKS`). The alert rules page on
a critical one down, and warn on the others (the shop sells without Redis, ADR 0025)."""

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

from ops.probes import run_probes


def readiness_collect():
    critical = set(settings.READYZ_CRITICAL_CHECKS)
    up = GaugeMetricFamily(
        "hypex_dependency_up",
        "1 when the dependency answers its readiness probe, 0 when it does not (as /readyz reports).",
        labels=["dependency", "critical"],
    )
    for result in run_probes():
        up.add_metric([result.name, "true" if result.name in critical else "false"], 1 if result.up else 0)
    yield up
