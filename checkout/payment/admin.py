"""Payments in the back office: Oscar's sources and transactions (re-based on unfold by backoffice), and
our payment attempts and processed webhook events, read-only - payments change through services."""

from django.contrib import admin
from oscar.apps.payment.admin import *  # noqa: F401,F403
from unfold.admin import ModelAdmin

from .models import PaymentAttempt, WebhookEvent


class _ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(_ReadOnlyAdmin):
    list_display = ("order", "gateway", "reference", "amount", "currency", "status", "created_at")
    list_filter = ("gateway", "status")
    search_fields = ("order__number", "reference")
    list_select_related = ("order",)
    exclude = ("token",)  # a bearer capability for the dummy pay page: never shown


@admin.register(WebhookEvent)
class WebhookEventAdmin(_ReadOnlyAdmin):
    list_display = ("event_id", "gateway", "event_type", "outcome", "received_at")
    list_filter = ("gateway", "event_type", "outcome")
    search_fields = ("event_id",)
