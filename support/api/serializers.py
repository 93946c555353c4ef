"""Serializers for /api/v1/support/."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apibase.fields import StrictTypesMixin
from support.events import message_payload
from support.models import MESSAGE_MAX_LENGTH, Conversation, Message
from support.selectors import STATES, conversation_state


class ConversationSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(
        help_text="What happened last: waiting (the shopper wrote last, no agent has answered), answered (an agent "
        "replied last), closed."
    )
    customer = serializers.SerializerMethodField()
    assigned_agent = serializers.SerializerMethodField()
    order = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Conversation
        fields = [
            "id", "subject", "status", "state", "customer", "assigned_agent", "product", "order", "created_at",
            "last_message_at", "waiting_since", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=list(STATES)))
    def get_state(self, conversation) -> str:
        return conversation_state(conversation)

    def get_customer(self, conversation) -> str | None:
        return str(conversation.customer) if conversation.customer_id else conversation.guest_email

    def get_assigned_agent(self, conversation) -> str | None:
        agent = conversation.assigned_agent
        return (agent.get_full_name() or "Support") if agent else None


class ConversationStartSerializer(StrictTypesMixin, serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    product = serializers.IntegerField(required=False, min_value=1, help_text="A product the question is about.")
    order = serializers.CharField(required=False, max_length=128, help_text="The number of one of your orders.")
    guest_email = serializers.EmailField(required=False, help_text="Required when not signed in.")


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    attachment = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Message
        fields = ["id", "conversation", "role", "author", "body", "attachment", "created_at", "read_at"]
        read_only_fields = fields

    def get_author(self, message) -> str:
        return message_payload(message)["author"]


class MessagePostSerializer(StrictTypesMixin, serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False, help_text="An image (JPEG, PNG, GIF or WebP), at most 5 MB.")


class TicketSerializer(serializers.Serializer):
    ticket = serializers.CharField(
        help_text="Opaque; pass as ?ticket= when opening a support websocket. Works once, within expires_in."
    )
    expires_in = serializers.IntegerField(help_text="Seconds the ticket stays valid (60).")


class JsonWholeNumberField(serializers.IntegerField):
    """A JSON number without a fraction: "5", true and 4.0 are refused, as the websocket frame does."""

    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class ConversationRatingInputSerializer(StrictTypesMixin, serializers.Serializer):
    """Checked again by the service (support.services.rating_validate): score a whole number 1..5,
    comment optional text without NUL, at most 1000 characters."""

    score = JsonWholeNumberField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ConversationRatingSerializer(serializers.Serializer):
    conversation = serializers.IntegerField(source="conversation_id")
    score = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
