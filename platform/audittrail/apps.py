from django.apps import AppConfig
from huey.contrib.djhuey import HUEY


class AudittrailConfig(AppConfig):
    """The staff audit trail on django-auditlog (ADR 0047). A ground app: it names the audited models only
    by label (the list is `AUDITLOG_INCLUDE_TRACKING_MODELS` in `config/settings/integrations/audittrail.py`)
    and imports no domain app; the back office and the imports tell it where a change comes from."""

    name = "audittrail"
    label = "audittrail"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401 - registers the system check and the receivers
        from .context import audit_task_hooks_install

        audit_task_hooks_install(HUEY)
