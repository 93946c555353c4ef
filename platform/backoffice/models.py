"""The back office has no tables; this model only carries the permission of its Operations pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskMonitor(models.Model):
    """No table (`managed = False`): it exists so the task monitor has a permission of its own, held by
    superusers and the Operations role (backoffice.roles), like a model's view permission."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("operate_task_monitor", _("Can see and operate the task monitor (workers, queue, outbox)"))]
        verbose_name = _("task monitor")
