"""Import jobs: one uploaded file, its dry run, and (once confirmed) its import."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediafiles.images import random_file_name


def import_file_storage():
    """Uploads hold business data: keep them out of MEDIA_ROOT (which nginx serves) in their own folder,
    shared by web and worker processes. On object storage, the private `dataexchange` storage
    (config/settings/integrations/storage.py). Empty DATAEXCHANGE_FILES_ROOT means the default storage
    (tests)."""
    if "dataexchange" in settings.STORAGES:
        return storages["dataexchange"]
    if not settings.DATAEXCHANGE_FILES_ROOT:
        return default_storage
    return FileSystemStorage(location=settings.DATAEXCHANGE_FILES_ROOT, base_url=None)


def import_file_path(instance: ImportJob, filename: str) -> str:
    """`imports/<YYYY>/<MM>/<random>.<format>`: the client's name is never a storage path (ADR 0026);
    it is kept, sanitised, in `original_name` for display."""
    return f"imports/{timezone.now():%Y/%m}/{random_file_name(instance.format)}"


class ImportJob(models.Model):
    """A file staff uploaded to import into one resource.

    Life: uploaded -> dry_running -> ready (or invalid: some rows rejected, or unreadable file)
    -> (confirmed) queued -> importing -> done (or failed: nothing written).
    `errors` is a list of rejected rows: {"row": n, "messages": [...], "fields": {column: [...]}, "values": {...}}
    (`row` is None for a file-level error); `preview` lists the first rows to create and update.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        DRY_RUNNING = "dry_running", _("Checking (dry run)")
        READY = "ready", _("Checked: ready to import")
        INVALID = "invalid", _("Rejected rows: fix the file")
        QUEUED = "queued", _("Confirmed: waiting for a worker")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed: nothing written")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"

    resource = models.CharField(_("what to import"), max_length=40)
    format = models.CharField(max_length=8, choices=Format.choices)
    file = models.FileField(upload_to=import_file_path, storage=import_file_storage)
    original_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED, db_index=True)

    total_rows = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(_("rows to create"), default=0)
    rows_update = models.PositiveIntegerField(_("rows to update"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.resource}, {self.original_name or self.format})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.UPLOADED, self.Status.DRY_RUNNING, self.Status.QUEUED, self.Status.IMPORTING}

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.READY

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in {self.Status.DONE, self.Status.READY} else 0
        return min(100, round(100 * self.rows_done / self.total_rows))
