from django.apps import AppConfig
from django.contrib import admin
from huey.contrib.djhuey import HUEY


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        from audittrail.history import audit_history_install

        from .task_activity import task_activity_install
        from .task_failures import task_failures_install
        from .unfoldify import reregister_on_unfold

        reregister_on_unfold()
        audit_history_install(admin.site)  # "History" shows the audit trail (ADR 0047)
        admin.site.index_title = "Dashboard"
        task_failures_install(HUEY)
        task_activity_install(HUEY)  # running tasks, recent runs, worker heartbeats (ADR 0037)
