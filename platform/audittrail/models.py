"""The audit trail's one table: django-auditlog's log entry plus where the change came from (ADR 0047).

`AUDITLOG_LOGENTRY_MODEL` points auditlog at this model, so every entry auditlog writes (model signals)
and every entry the services write for bulk writes land here, with `source` filled from the context
(`audittrail.context`)."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models


class Source(models.TextChoices):
    ADMIN = "admin", "Back office"
    API = "api", "Staff API"
    IMPORT = "import", "Import"
    CMS = "cms", "CMS"
    BULK = "bulk", "Bulk change"
    TASK = "task", "Background task"
    SHELL = "shell", "Shell or command"


class AuditLogEntry(AbstractLogEntry):
    """One change of one audited object: who (`actor`, `actor_email` kept when the user is deleted), when
    (`timestamp`), what (`changes`: field -> [before, after], or an m2m add/delete), from where (`source`,
    `remote_addr`) and with what (`cid`: the request id, `import:<job id>` or `bulk:<change id>`)."""

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SHELL, db_index=True)

    objects = LogEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["content_type", "object_id", "timestamp"], name="audittrail_object_time")]
