"""The shipping events a customer sees, for the orders API: include `ShippingEventSerializer(many=True)`
as the order's `shipping_events` field (source: `order.shipping_events`)."""

from rest_framework import serializers


class ShippingEventSerializer(serializers.Serializer):
    type = serializers.CharField(source="event_type.name", help_text="e.g. Shipped")
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    created_at = serializers.DateTimeField(source="date_created")
