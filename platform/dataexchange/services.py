"""Import jobs: upload, dry run, confirm, import. Exports: a resource as file bytes.

Every import is checked first (a dry run: all rows run inside a transaction that is rolled back) and
written only when staff confirm it; the confirmed import runs in one transaction and any rejected row
or error rolls all of it back. Both runs are outbox messages written with the change that asks for
them and delivered by the worker after commit; so is the search indexing of what an import wrote
(`dataexchange.handlers`, ADR 0024). An import's changes are in the audit trail as one group,
`import:<job id>`, source `import`, by the staff member who confirmed it (ADR 0047); a dry run records
nothing. An import of something shoppers see (products, categories, stock,
prices) invalidates the anonymous catalogue cache after it commits: stock and price rows are written
with raw SQL and send no model signal (ADR 0023).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import tablib
from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from import_export.results import Result, RowResult

from audittrail.context import audit_context
from audittrail.models import Source
from audittrail.selectors import import_job_group
from catalogue.cache import catalogue_cache_invalidate
from mediafiles.paths import display_file_name
from sideeffects.services import outbox_message_add

from .formats import FORMATS, FileUnreadable, cell_shown, dataset_export, dataset_read
from .metrics import import_finished_record
from .models import ImportJob
from .progress import progress_clear, progress_publish
from .resources import IMPORTABLE, RESOURCES
from .search_index import indexing_deferred, reindex_schedule

logger = logging.getLogger("dataexchange")
PREVIEW_ROWS = 100  # rows to create/update listed on the dry-run page
MAX_ERRORS = 500  # rejected rows kept with their errors (the count is always exact)
PREVIEW_COLUMNS = 6
Status = ImportJob.Status
DRY_RUN_TOPIC = "dataexchange.dry_run"
IMPORT_TOPIC = "dataexchange.import"


class ImportJobNotConfirmable(Exception):
    """Only a job whose dry run found no rejected rows can be confirmed, once."""


@dataclass
class RunOutcome:
    total: int = 0
    new: int = 0
    update: int = 0
    rejected: int = 0
    errors: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.message


def import_job_create(*, resource: str, format: str, file: UploadedFile, user=None) -> ImportJob:  # noqa: A002
    """Store an upload and enqueue its dry run after commit. Raises ValidationError on bad input."""
    errors = {}
    if resource not in IMPORTABLE:
        errors["resource"] = "Choose what to import."
    if format not in FORMATS:
        errors["format"] = "Choose CSV, XLSX or JSON."
    if file.size and file.size > settings.DATAEXCHANGE_MAX_UPLOAD_BYTES:
        errors["import_file"] = f"The file is larger than {settings.DATAEXCHANGE_MAX_UPLOAD_BYTES // 2**20} MB."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        job = ImportJob.objects.create(
            resource=resource,
            format=format,
            file=file,
            original_name=display_file_name(file.name or ""),
            created_by=user,
        )
        outbox_message_add(topic=DRY_RUN_TOPIC, payload={"job_id": job.pk}, dedupe_key=f"{DRY_RUN_TOPIC}:{job.pk}")
    return job


def import_job_dry_run(*, job_id: int) -> ImportJob | None:
    """Check every row without writing anything; safe to call twice and concurrently.

    An uploaded job is checked; so is one left "checking" by a worker that died (the outbox delivers
    its message again once the lease ends). While another run is alive it holds the job's row lock, and
    this call leaves the job to it.
    """
    if not _job_claim(job_id, claimable=[Status.UPLOADED, Status.DRY_RUNNING], running=Status.DRY_RUNNING):
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.get(pk=job_id)
    with disable_auditlog():  # rolled back anyway
        outcome = _run(job=job, dry_run=True)
    if outcome is not None:
        _finish(job, outcome, stage="dry_run")
    return job


def import_job_confirm(*, job: ImportJob, user=None) -> ImportJob:
    """Staff confirmed the dry run: the import runs after commit. Raises ImportJobNotConfirmable."""
    now = timezone.now()
    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
            status=Status.QUEUED, confirmed_by=user, confirmed_at=now, updated_at=now, rows_done=0
        ):
            raise ImportJobNotConfirmable(f"Import #{job.pk} is not waiting for confirmation.")
        outbox_message_add(topic=IMPORT_TOPIC, payload={"job_id": job.pk}, dedupe_key=f"{IMPORT_TOPIC}:{job.pk}")
    job.refresh_from_db()
    return job


def import_job_import(*, job_id: int) -> ImportJob | None:
    """Write a confirmed job's rows, all or nothing; safe to call twice and concurrently.

    A queued job runs; so does one left "importing" by a worker that died: its transaction died with
    it, so nothing of it was written. A successful import marks the job done in its own transaction,
    so a second delivery finds it done, never writes the rows twice.
    """
    if not _job_claim(job_id, claimable=[Status.QUEUED, Status.IMPORTING], running=Status.IMPORTING):
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("confirmed_by").get(pk=job_id)
    with audit_context(source=Source.IMPORT, actor=job.confirmed_by, cid=import_job_group(job.pk)):
        outcome = _run(job=job, dry_run=False)
    if outcome is not None:
        _finish(job, outcome, stage="import")
    return job


def _finish(job: ImportJob, outcome: RunOutcome, *, stage: str) -> None:
    """Record a finished run on the job (a successful import already did, in its transaction)."""
    if not (stage == "import" and outcome.ok):
        _save_outcome(job, outcome, stage=stage)
    progress_clear(job_id=job.pk)
    import_finished_record(job=job, stage=stage)


def _save_outcome(job: ImportJob, outcome: RunOutcome, *, stage: str) -> None:
    if stage == "dry_run":
        job.status, job.checked_at = (Status.READY if outcome.ok else Status.INVALID), timezone.now()
    else:
        job.status, job.finished_at = (Status.DONE if outcome.ok else Status.FAILED), timezone.now()
    job.total_rows, job.rows_new, job.rows_update = outcome.total, outcome.new, outcome.update
    job.rows_rejected, job.errors, job.preview, job.message = (
        outcome.rejected, outcome.errors, outcome.preview, cell_shown(outcome.message),
    )  # fmt: skip
    job.rows_done = outcome.total if outcome.ok else 0
    job.save()


def _job_claim(job_id: int, *, claimable: list[str], running: str) -> bool:
    """Mark the job `running` if it is in a `claimable` status and no live run holds its row lock
    (skipped, never waited for: a run holds it for minutes). SQLite has one writer: no lock to skip."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(skip_locked=True).filter(pk=job_id, status__in=claimable)
        if not job.exists():
            return False
        job.update(status=running, updated_at=timezone.now())
    return True


def _job_hold(job: ImportJob, *, running: str) -> bool:
    """Lock the job's row for this run's transaction; False when the job is no longer `running`: two
    deliveries claimed it at once and the other run finished first (it held the lock until then)."""
    return ImportJob.objects.select_for_update().filter(pk=job.pk, status=running).exists()


def _run(*, job: ImportJob, dry_run: bool) -> RunOutcome | None:
    """Run the rows (rolled back for a dry run); None when another run of this job is alive."""
    phase = "dry_run" if dry_run else "import"
    try:
        with job.file.open("rb") as handle:
            dataset = dataset_read(content=handle.read(), format_key=job.format)
    except FileUnreadable as exc:
        return RunOutcome(message=str(exc))
    except OSError as exc:  # the upload is gone (another machine's disk, cleaned up): say so, never hang
        return RunOutcome(message=f"The uploaded file cannot be read: {exc}")
    if len(dataset) > settings.DATAEXCHANGE_MAX_ROWS:
        return RunOutcome(total=len(dataset), message=f"At most {settings.DATAEXCHANGE_MAX_ROWS} rows per file.")
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(dataset))

    def report(done: int, total: int) -> None:
        progress_publish(job_id=job.pk, phase=phase, done=done, total=total)

    entry = RESOURCES[job.resource]
    resource = entry.resource_class(progress=report)
    try:
        with indexing_deferred() as saved, transaction.atomic():
            if not _job_hold(job, running=Status.DRY_RUNNING if dry_run else Status.IMPORTING):
                logger.info("import job %s: %s left to the run that holds it", job.pk, phase)
                return None
            result = resource.import_data(
                dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
            )
            outcome = _outcome(result=result, dataset=dataset, resource=resource)
            if dry_run or not outcome.ok:
                transaction.set_rollback(True)
            else:  # done in the transaction that wrote the rows; indexed and refreshed once it commits
                _save_outcome(job, outcome, stage=phase)
                reindex_schedule(saved)
                if entry.shown_in_catalogue:
                    catalogue_cache_invalidate()
    except Exception as exc:  # noqa: BLE001 - whatever broke, the transaction is gone and the job must say so
        logger.exception("import job %s: %s failed", job.pk, phase)
        return RunOutcome(total=len(dataset), message=f"The import stopped on an error and wrote nothing: {exc}")
    logger.info("import job %s: %s finished: %s new, %s update, %s rejected", job.pk, phase, outcome.new,
                outcome.update, outcome.rejected)  # fmt: skip
    return outcome


def _column_names(resource) -> dict[str, str]:
    names = {}
    for name, fld in resource.fields.items():
        names[name] = fld.column_name
        if fld.attribute:
            names[fld.attribute] = fld.column_name
    return names


def _row_values(dataset: tablib.Dataset, number: int) -> dict:
    row = dataset[number - 1]
    return {
        cell_shown(header): cell_shown(value)[:200]
        for header, value in list(zip(dataset.headers, row, strict=False))[:PREVIEW_COLUMNS]
    }


def _outcome(*, result: Result, dataset: tablib.Dataset, resource) -> RunOutcome:
    outcome = RunOutcome(total=len(dataset))
    columns = _column_names(resource)
    for error in result.base_errors:
        outcome.errors.append({"row": None, "messages": [str(error.error)], "fields": {}, "values": {}})
    if result.base_errors:
        outcome.message = "The file could not be imported: " + "; ".join(str(e.error) for e in result.base_errors)
    for number, row_result in enumerate(result.rows, 1):
        kind = row_result.import_type
        if kind in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            if kind == RowResult.IMPORT_TYPE_NEW:
                outcome.new += 1
            else:
                outcome.update += 1
            if len(outcome.preview) < PREVIEW_ROWS:
                outcome.preview.append(
                    {
                        "row": number,
                        "type": kind,
                        "object": row_result.object_repr or "",
                        "values": _row_values(dataset, number),
                    }  # fmt: skip
                )
        elif kind in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
            outcome.rejected += 1
            if len(outcome.errors) < MAX_ERRORS:
                outcome.errors.append(_row_error(number, row_result, dataset, columns))
    return outcome


def _row_error(number: int, row_result: RowResult, dataset: tablib.Dataset, columns: dict[str, str]) -> dict:
    messages: list[str] = []
    fields: dict[str, list[str]] = {}
    if row_result.validation_error is not None:
        error = row_result.validation_error
        if hasattr(error, "error_dict"):
            for key, errs in error.message_dict.items():
                if key == NON_FIELD_ERRORS:
                    messages.extend(errs)
                else:
                    fields.setdefault(columns.get(key, key), []).extend(errs)
        else:
            messages.extend(error.messages)
    for error in row_result.errors:
        messages.append(str(error.error))
    return {"row": number, "messages": messages, "fields": fields, "values": _row_values(dataset, number)}


def export_render(*, resource: str, format: str, queryset=None) -> tuple[bytes, str, str]:  # noqa: A002
    """A resource exported to a file: (content, content type, file name). Formulas are escaped."""
    entry = RESOURCES[resource]
    dataset = entry.resource_class().export(queryset)
    fmt = FORMATS[format]()
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return dataset_export(dataset=dataset, format_key=format), fmt.get_content_type(), f"{resource}-{stamp}.{format}"
