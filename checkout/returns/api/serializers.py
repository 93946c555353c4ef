"""Serializers of the returns API: the customer's request input, staff step inputs, and a return as the
API shows it. Money is a decimal string plus the order's currency (as the refunds API writes it)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apibase.fields import StrictTypesMixin
from checkout.payment.api.serializers import MoneyAmountSerializer

MAX_UNITS = 10_000


def _unique_ids(value: list[dict], key: str) -> list[dict]:
    ids = [item[key] for item in value]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError("Each line may appear once.")
    return value


class ReturnLineInputSerializer(StrictTypesMixin, serializers.Serializer):
    line_id = serializers.IntegerField(min_value=1, help_text="The order line's id.")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_UNITS)
    reason = serializers.CharField(max_length=40, help_text="A reason code (see `reasons` in the list answer).")


class ReturnCreateInputSerializer(StrictTypesMixin, serializers.Serializer):
    lines = ReturnLineInputSerializer(many=True, allow_empty=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    def validate_lines(self, value):
        return _unique_ids(value, "line_id")


class DecisionLineInputSerializer(StrictTypesMixin, serializers.Serializer):
    id = serializers.IntegerField(min_value=1, help_text="The return line's id.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class DecisionInputSerializer(StrictTypesMixin, serializers.Serializer):
    lines = DecisionLineInputSerializer(
        many=True, required=False, allow_empty=False, help_text="Omit to decide every line still waiting."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default="", help_text="The note of lines without one."
    )

    def validate_lines(self, value):
        return _unique_ids(value, "id")


class ReceiveLineInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, help_text="An approved return line's id.")
    restock = serializers.BooleanField(help_text="Put the units back into stock.")


class ReceiveInputSerializer(serializers.Serializer):
    lines = ReceiveLineInputSerializer(
        many=True, required=False, help_text="Omit (or leave a line out) to restock every approved line."
    )

    def validate_lines(self, value):
        return _unique_ids(value, "id")


class ReturnReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    restocking_fee_percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class ReturnLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    line_id = serializers.IntegerField(source="order_line_id", help_text="The order line's id.")
    title = serializers.CharField(source="order_line.title")
    quantity = serializers.IntegerField()
    reason = ReturnReasonSerializer()
    decision = serializers.ChoiceField(choices=["pending", "approved", "rejected"])
    note = serializers.CharField(source="staff_note", help_text="Staff's note to the customer.")
    restocked = serializers.BooleanField(allow_null=True)


class ReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.CharField(source="order.number", help_text="The order's number.")
    status = serializers.ChoiceField(choices=["requested", "approved", "rejected", "received", "refunded"])
    comment = serializers.CharField()
    lines = ReturnLineSerializer(many=True)
    refund = serializers.SerializerMethodField(help_text="What was paid back; null until refunded.")
    restocking_fee = serializers.SerializerMethodField(help_text="Restocking fees kept; null until refunded.")
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    refunded_at = serializers.DateTimeField(allow_null=True)

    def _money(self, amount, currency):
        return None if amount is None else {"amount": f"{amount:.2f}", "currency": currency}

    @extend_schema_field(MoneyAmountSerializer(allow_null=True))
    def get_refund(self, request):
        return self._money(request.refund_amount, request.currency)

    @extend_schema_field(MoneyAmountSerializer(allow_null=True))
    def get_restocking_fee(self, request):
        return self._money(request.fee_amount, request.currency)


class ReturnableLineSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(source="line.id")
    title = serializers.CharField(source="line.title")
    bought = serializers.IntegerField(source="line.quantity")
    returnable = serializers.IntegerField(help_text="Units that may still be asked for.")


class OrderReturnsSerializer(serializers.Serializer):
    can_return = serializers.BooleanField(help_text="Whether a new return may be asked for now.")
    deadline = serializers.DateTimeField(allow_null=True, help_text="The end of the return window.")
    returnable_lines = ReturnableLineSerializer(many=True)
    reasons = ReturnReasonSerializer(many=True, help_text="The reasons the shop accepts.")
    returns = ReturnSerializer(many=True)
