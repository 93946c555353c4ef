"""The Outbox screen in the back office (ADR 0024): every side effect waiting, delivered or failed, with
its error, attempts and age; "Retry now" for pending and failed messages. Superusers only: the outbox
spans every domain, and a pending account mail holds a live link."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from . import selectors, services
from .delivery import Outcome
from .models import OutboxMessage
from .registry import handler_for

Status = OutboxMessage.Status


def _retry(request, model_admin, message_ids) -> None:
    results: dict[str, int] = {}
    for message_id in message_ids:
        outcome = services.outbox_message_retry(message_id=message_id)
        results[outcome] = results.get(outcome, 0) + 1
    delivered, queued = results.pop(Outcome.DELIVERED, 0), results.pop(Outcome.QUEUED, 0)
    skipped = results.pop(Outcome.SKIPPED, 0)
    failing = sum(results.values())
    if delivered or queued:
        model_admin.message_user(request, f"Delivered {delivered}, handed to the worker {queued}.", messages.SUCCESS)
    if failing:
        model_admin.message_user(request, f"{failing} failed again: see the error.", messages.ERROR)
    if skipped:
        model_admin.message_user(request, f"{skipped} skipped (delivered already or in delivery).", messages.WARNING)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ModelAdmin):
    list_display = ("id", "topic", "status_label", "attempts", "age", "next_attempt_at", "error_excerpt")
    list_filter = ("status", "topic")
    search_fields = ("topic", "dedupe_key", "last_error")
    ordering = ("-created_at", "-pk")
    fields = ("topic", "status", "attempts", "last_error", "payload_shown", "dedupe_key", "created_at",
              "next_attempt_at", "delivered_at")  # fmt: skip
    readonly_fields = fields
    actions = ["retry_selected"]
    actions_detail = ["retry_one"]
    list_before_template = "admin/sideeffects/backlog.html"

    # Superusers only (see module docstring).
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_retry_permission(self, request, obj=None) -> bool:
        """Superusers; on a message's page (unfold passes its id) only while it is not delivered."""
        allowed = request.user.is_active and request.user.is_superuser
        if allowed and obj is not None:
            message_id = obj.pk if isinstance(obj, OutboxMessage) else obj
            return OutboxMessage.objects.filter(pk=message_id).exclude(status=Status.DELIVERED).exists()
        return allowed

    def has_add_permission(self, request) -> bool:
        return False  # messages are written by the changes that cause them

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only; Retry goes through the service

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of what was sent

    def changelist_view(self, request, extra_context=None):
        backlog = selectors.outbox_backlog()
        title = f"Outbox: {backlog['pending']} pending, {backlog['failed']} failed"
        if backlog["pending"]:
            title += f", oldest pending {backlog['oldest_pending_seconds']} s"
        context = {**(extra_context or {}), "title": title, "outbox_backlog": backlog}
        return super().changelist_view(request, context)

    @display(
        description="Status",
        ordering="status",
        label={Status.PENDING: "warning", Status.DELIVERED: "success", Status.FAILED: "danger"},
    )
    def status_label(self, message: OutboxMessage):
        return message.status

    @display(description="Age", ordering="created_at")
    def age(self, message: OutboxMessage) -> str:
        return timesince(message.created_at, timezone.now())

    @display(description="Error")
    def error_excerpt(self, message: OutboxMessage) -> str:
        return message.last_error[:120]

    @display(description="Payload")
    def payload_shown(self, message: OutboxMessage):
        handler = handler_for(message.topic)
        if handler is not None and handler.sensitive:
            return "(hidden: it holds a rendered mail with a live link)"
        return message.payload

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_selected(self, request, queryset):
        _retry(request, self, list(queryset.exclude(status=Status.DELIVERED).values_list("pk", flat=True)[:100]))

    @action(description="Retry now", url_path="retry", permissions=["retry"])
    def retry_one(self, request, object_id):
        """GET: a confirmation page; POST: retry the message and go back to it."""
        message = get_object_or_404(OutboxMessage, pk=object_id)
        back_url = reverse("admin:sideeffects_outboxmessage_change", args=[message.pk])
        if request.method == "POST":
            _retry(request, self, [message.pk])
            return redirect(back_url)
        context = {**self.admin_site.each_context(request), "title": f"Retry outbox message #{message.pk}",
                   "message": message, "opts": self.model._meta, "back_url": back_url}  # fmt: skip
        return TemplateResponse(request, "admin/sideeffects/retry.html", context)
