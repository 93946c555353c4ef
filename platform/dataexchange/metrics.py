"""Bulk imports for Prometheus (ADR 0033): jobs by resource, stage and outcome, and rows written."""

from prometheus_client import Counter

IMPORTS = Counter(
    "hypex_imports_total",
    "Import jobs that finished a stage, by resource, stage (dry_run, import) and outcome (ready, invalid; "
    "done, failed).",
    ["resource", "stage", "outcome"],
)
IMPORT_ROWS = Counter(
    "hypex_import_rows_total", "Rows an import wrote or refused, by resource and result (new, update, rejected).",
    ["resource", "result"],
)  # fmt: skip


def import_finished_record(*, job, stage: str) -> None:
    IMPORTS.labels(resource=job.resource, stage=stage, outcome=job.status).inc()
    if stage == "import":
        for result, rows in (("new", job.rows_new), ("update", job.rows_update), ("rejected", job.rows_rejected)):
            if rows:
                IMPORT_ROWS.labels(resource=job.resource, result=result).inc(rows)
