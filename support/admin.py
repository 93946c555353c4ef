"""Support conversations in the back office (the live console is support.views.agent_console)."""

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from .canned_replies import PLACEHOLDERS
from .models import CannedReply, Conversation, ConversationRating, Message, ServiceLevel


class MessageInline(TabularInline):
    model = Message
    fields = ("created_at", "role", "author", "body", "attachment", "read_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(ModelAdmin):
    list_display = ("id", "subject", "status", "customer", "guest_email", "assigned_agent", "waiting_since",
                    "last_message_at")  # fmt: skip
    list_filter = ("status", "assigned_agent")
    search_fields = ("subject", "customer__email", "guest_email", "messages__body")
    readonly_fields = ("customer", "guest_email", "product", "order", "created_at", "last_message_at",
                       "waiting_since", "closed_at")  # fmt: skip
    fields = ("subject", "status", "assigned_agent", *readonly_fields)
    inlines = [MessageInline]
    list_select_related = ("customer", "assigned_agent")


@admin.register(ServiceLevel)
class ServiceLevelAdmin(ModelAdmin):
    """One row: the first-response target and business hours the console counts down in (ADR 0051).
    Without a row the defaults apply (60 minutes, Monday-Friday 09:00-17:00, Europe/London)."""

    list_display = ("__str__", "opens_at", "closes_at", "time_zone")
    fields = ("first_response_minutes", *ServiceLevel.DAY_FIELDS, "opens_at", "closes_at", "time_zone")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ServiceLevel.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConversationRating)
class ConversationRatingAdmin(ModelAdmin):
    """What shoppers said of closed conversations (read only)."""

    list_display = ("conversation", "score", "comment", "updated_at")
    list_filter = ("score",)
    search_fields = ("comment",)
    readonly_fields = ("conversation", "score", "comment", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CannedReply)
class CannedReplyAdmin(ModelAdmin):
    """Ready answers for the agent console (ADR 0050); the Support agent role manages them."""

    list_display = ("title", "shortcut", "created_at")
    search_fields = ("title", "shortcut", "body")
    prepopulated_fields = {"shortcut": ("title",)}
    fields = ("title", "shortcut", "body")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["body"].help_text = (
            "Plain text. Placeholders: "
            + ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            + ". One that has no value (a guest's first name, a conversation without an order) is left empty."
        )
        return form
