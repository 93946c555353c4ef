"""Serializers of the payment API: refund input and output. Money is a decimal string plus a currency."""

from decimal import Decimal

from rest_framework import serializers

from apibase.fields import FiniteDecimalField, StrictTypesMixin


class MoneyAmountSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text='Decimal string, e.g. "12.50".')
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. GBP.")


class RefundLineInputSerializer(StrictTypesMixin, serializers.Serializer):
    line_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1)


class RefundInputSerializer(StrictTypesMixin, serializers.Serializer):
    amount = FiniteDecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="Refund this sum. Omit both `amount` and `lines` to refund everything not yet refunded.",
    )
    lines = RefundLineInputSerializer(
        many=True, required=False, help_text="Refund these units at the price paid for them (after discounts)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate_lines(self, value):
        ids = [item["line_id"] for item in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Each line may appear once.")
        return value


class RefundLineSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(source="line.id")
    quantity = serializers.IntegerField()


class RefundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The gateway's refund id(s).")
    amount = serializers.SerializerMethodField()
    lines = RefundLineSerializer(source="line_quantities", many=True)
    created_at = serializers.DateTimeField(source="date_created")
    order_status = serializers.CharField(source="order.status")

    def get_amount(self, event) -> MoneyAmountSerializer:
        return {"amount": f"{event.amount:.2f}", "currency": event.order.currency}
