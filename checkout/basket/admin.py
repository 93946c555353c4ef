"""Oscar's basket admins (re-based on unfold by the back office), and the abandoned-basket reminder
setting and log (ADR 0046)."""

from django.contrib import admin
from oscar.apps.basket.admin import *  # noqa: F401,F403
from oscar.core.loading import get_model
from unfold.admin import ModelAdmin

BasketReminder = get_model("basket", "BasketReminder")
BasketReminderSettings = get_model("basket", "BasketReminderSettings")


@admin.register(BasketReminderSettings)
class BasketReminderSettingsAdmin(ModelAdmin):
    """One row: the delay after which an abandoned basket is recalled to its shopper (0/empty: off).
    Without a row the default (4 hours) applies; staff add the row once, then change it."""

    list_display = ("__str__", "delay_hours")
    search_fields = ("delay_hours",)
    fields = ("delay_hours",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BasketReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BasketReminder)
class BasketReminderAdmin(ModelAdmin):
    """The reminders sent: to whom, when, whether the link was used and into which basket."""

    list_display = ("basket", "email", "date_sent", "date_restored", "restored_into")
    list_filter = ("date_sent", "date_restored")
    search_fields = ("email",)
    readonly_fields = ("basket", "email", "date_sent", "date_restored", "restored_into")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
