"""The back office's own records: the task monitor's permission (no table) and the bulk changes staff
made, kept for a day's undo."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskMonitor(models.Model):
    """No table (`managed = False`): it exists so the task monitor has a permission of its own, held by
    superusers and the Operations role (backoffice.roles), like a model's view permission."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("operate_task_monitor", _("Can see and operate the task monitor (workers, queue, outbox)"))]
        verbose_name = _("task monitor")


class BulkChange(models.Model):
    """One bulk action staff confirmed (prices by a percentage, products moved to a category): who, when,
    and each row's value before and after (`BulkChangeRow`), so it can be undone for a day
    (`backoffice.bulk_changes.bulk_change_undo`)."""

    class Action(models.TextChoices):
        PRICES = "prices", _("Prices changed by a percentage")
        CATEGORY = "category", _("Products moved to a category")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    summary = models.CharField(_("summary"), max_length=200, help_text=_('e.g. "+12.5%" or "to Lamps"'))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("undone by"),
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk change")
        verbose_name_plural = _("bulk changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.summary}"


class BulkChangeRow(models.Model):
    """One row a bulk change wrote: a stock record's price (`target_id` is the stock record) or a
    product's categories (`target_id` is the product). `before`/`after` are JSON: a price as a decimal
    string ("9.99"), categories as a sorted list of ids. `undo_outcome` is empty until an undo, then
    "restored" or why the row was left alone."""

    bulk_change = models.ForeignKey(BulkChange, on_delete=models.CASCADE, related_name="rows")
    target_id = models.PositiveBigIntegerField(_("row id"))
    label = models.CharField(_("what"), max_length=300)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    undo_outcome = models.CharField(_("undo"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("changed row")
        verbose_name_plural = _("changed rows")

    def __str__(self) -> str:
        return self.label
