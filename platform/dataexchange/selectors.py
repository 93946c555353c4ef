"""Reads for the import/export screens: what a user may import or export, and a job's progress."""

from __future__ import annotations

from .models import ImportJob
from .progress import progress_read
from .resources import RESOURCES, ResourceEntry
from .resources.products import ATTR_PREFIX


def user_can_import(*, user, resource: str) -> bool:
    entry = RESOURCES.get(resource)
    return bool(
        entry and entry.can_import and user.has_perm("dataexchange.add_importjob") and user.has_perm(entry.permission)
    )


def importable_resources(*, user) -> list[ResourceEntry]:
    return [entry for key, entry in RESOURCES.items() if user_can_import(user=user, resource=key)]


def exportable_resources(*, user) -> list[ResourceEntry]:
    return [entry for entry in RESOURCES.values() if user.has_perm(entry.view_permission)]


def resource_columns() -> dict[str, list[str]]:
    """Each resource's columns, for the help text on the upload and export pages."""
    columns = {}
    for key, entry in RESOURCES.items():
        names = [field.column_name for field in entry.resource_class().fields.values()]
        if key == "products":
            names.append(f"{ATTR_PREFIX}<code>")
        columns[entry.label] = names
    return columns


def import_job_progress(*, job: ImportJob) -> dict:
    """Where a job is: status, phase, rows done of total, percent, and whether it is still running."""
    live = progress_read(job_id=job.pk) if job.is_running else None
    done, total = (live["done"], live["total"]) if live else (job.rows_done, job.total_rows)
    if job.status in {ImportJob.Status.READY, ImportJob.Status.INVALID, ImportJob.Status.DONE}:
        done = total
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "phase": live["phase"] if live else None,
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else (0 if job.is_running else 100),
        "running": job.is_running,
        "rows_new": job.rows_new,
        "rows_update": job.rows_update,
        "rows_rejected": job.rows_rejected,
    }
