"""Support conversations in the back office (the live console is support.views.agent_console)."""

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from .models import Conversation, Message


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
