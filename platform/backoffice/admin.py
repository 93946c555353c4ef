"""Bulk changes in the back office: what each confirmed bulk action wrote, row by row, and Undo (for
24 hours, only rows nobody changed since; `bulk_changes.bulk_change_undo`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from .bulk_changes import bulk_change_undo, bulk_change_undoable_until
from .models import BulkChange, BulkChangeRow
from .services import BackofficeError


class BulkChangeRowInline(TabularInline):
    model = BulkChangeRow
    fields = ("target_id", "label", "before", "after", "undo_outcome")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BulkChange)
class BulkChangeAdmin(ModelAdmin):
    list_display = ("created_at", "action", "summary", "row_count", "created_by", "undo_state")
    list_filter = ("action",)
    list_select_related = ("created_by", "undone_by")
    readonly_fields = ("action", "summary", "created_by", "created_at", "undone_at", "undone_by")
    fields = readonly_fields
    inlines = [BulkChangeRowInline]
    actions = ["undo"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(row_count=Count("rows"))

    @display(description="Rows", ordering="row_count")
    def row_count(self, change):
        return change.row_count

    def has_add_permission(self, request):
        return False  # recorded by the bulk actions

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what staff did stays

    @display(
        description="Undo",
        label={"Undone": "info", "Can be undone": "success", "Too old to undo": "warning"},
    )
    def undo_state(self, change):
        if change.undone_at:
            return "Undone"
        if timezone.now() <= bulk_change_undoable_until(change):
            return "Can be undone"
        return "Too old to undo"

    def _undo(self, request, change) -> None:
        try:
            restored, refused = bulk_change_undo(bulk_change=change, by=request.user)
        except BackofficeError as error:
            self.message_user(request, f"{change}: {error}", messages.ERROR)
            return
        self.message_user(request, f"{change}: {restored} row(s) restored.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @action(description="Undo (restore the values from before)", permissions=["change"])
    def undo(self, request, queryset):
        for change in queryset.order_by("pk"):
            self._undo(request, change)
