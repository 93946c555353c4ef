"""deploy/monitoring/ speaks the code's language: every metric the Grafana dashboard and the alert rules
name is one Hypex exports, the dashboard shows every family Hypex exports, and every alert has its
"what it means, what to do" section in docs/OPERATIONS.md (ADR 0033)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from huey import SqliteHuey
from prometheus_client.parser import text_string_to_metric_families

from ops.metrics.database_pool import database_pool_families
from ops.metrics.tasks import task_queue_collect
from tests.metrics import scrape

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "monitoring"
METRIC = re.compile(r"\bhypex_[a-z0-9_]+\b")
PROMETHEUS_OWN = {"up"}
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")


@pytest.fixture
def exported(db, tmp_path) -> set[str]:
    """Every sample name /metrics can carry: scraped from the endpoint (counters and histograms are
    declared even before their first sample), plus the queue families, which only a real queue has,
    and the connection pool's, which only PostgreSQL has (from psycopg_pool's statistics keys)."""
    names: set[str] = set()
    families = list(text_string_to_metric_families(scrape().text))
    families += list(task_queue_collect(SqliteHuey("monitoring-test", filename=str(tmp_path / "q.sqlite3"))))
    families += list(database_pool_families({}, pid=1))
    for family in families:
        if family.type == "counter":
            names.add(f"{family.name}_total")
        elif family.type == "histogram":
            names.update(f"{family.name}{suffix}" for suffix in HISTOGRAM_SUFFIXES)
        else:
            names.add(family.name)
    return {name for name in names if name.startswith("hypex_")}


def _dashboard_expressions() -> list[str]:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def _alert_rules() -> list[dict]:
    rules = yaml.safe_load((MONITORING / "alerts.yaml").read_text())
    return [rule for group in rules["groups"] for rule in group["rules"]]


def test_every_metric_the_dashboard_names_is_exported(exported):
    used = {name for expr in _dashboard_expressions() for name in METRIC.findall(expr)}

    assert used, "the dashboard names no metric"
    assert used - exported == set()


def test_the_dashboard_shows_every_family_hypex_exports(exported):
    used = {name for expr in _dashboard_expressions() for name in METRIC.findall(expr)}
    bases = {re.sub(r"_(bucket|count|sum)$", "", name) for name in used}

    missing = {name for name in exported if name not in used and re.sub(r"_(bucket|count|sum)$", "", name) not in bases}
    assert missing == set()


def test_every_metric_the_alert_rules_name_is_exported(exported):
    rules = _alert_rules()
    used = {name for rule in rules for name in METRIC.findall(rule["expr"])}
    other = {word for rule in rules for word in re.findall(r"\b(up)\{", rule["expr"])}

    assert len(rules) >= 8
    assert used - exported == set()
    assert other <= PROMETHEUS_OWN


def test_alert_rules_cover_errors_latency_outbox_queue_and_readiness():
    expressions = " ".join(rule["expr"] for rule in _alert_rules())

    for needed in ('status=~"5.."', "histogram_quantile(0.99", "hypex_outbox_oldest_pending_age_seconds",
                   "hypex_task_queue_depth", "hypex_dependency_up"):  # fmt: skip
        assert needed in expressions


def test_every_alert_is_explained_in_the_operations_guide():
    guide = (ROOT / "docs" / "OPERATIONS.md").read_text()
    headings = {line.lstrip("#").strip().lower() for line in guide.splitlines() if line.startswith("#")}

    for rule in _alert_rules():
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["runbook"] == f"docs/OPERATIONS.md#{rule['alert'].lower()}"
        assert rule["alert"].lower() in headings, f"docs/OPERATIONS.md has no section for {rule['alert']}"
