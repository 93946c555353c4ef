"""Imports by outcome on /metrics: a dry run that passes and one that fails, then the import (ADR 0033)."""

from __future__ import annotations

import pytest

from dataexchange.models import ImportJob
from tests.metrics import scrape
from tests.platform.dataexchange.test_products_import import product_rows

pytestmark = pytest.mark.django_db


def test_import_jobs_are_counted_by_resource_stage_and_outcome(shop, dry_run, confirm):
    before = scrape()

    bad = dry_run("products", [{**product_rows()[0], "price": "not a price"}])
    job = confirm(dry_run("products", product_rows()))

    after = scrape()
    assert bad.status == ImportJob.Status.INVALID and job.status == ImportJob.Status.DONE

    def delta(name, **labels):
        return after.value(name, **labels) - before.value(name, **labels)

    assert delta("hypex_imports_total", resource="products", stage="dry_run", outcome="invalid") == 1
    assert delta("hypex_imports_total", resource="products", stage="dry_run", outcome="ready") == 1
    assert delta("hypex_imports_total", resource="products", stage="import", outcome="done") == 1
    assert delta("hypex_import_rows_total", resource="products", result="new") == job.rows_new > 0
