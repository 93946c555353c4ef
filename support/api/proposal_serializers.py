"""Input and output of basket proposals (ADR 0049); the websocket frames read the same input."""

from __future__ import annotations

from rest_framework import serializers

from apibase.fields import StrictTypesMixin

MAX_ID = 2**63 - 1
MAX_QUANTITY = 999


class StrictIntegerField(serializers.IntegerField):
    """An integer that must be a JSON integer: "3", 3.0 and true are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ProposalCreateSerializer(StrictTypesMixin, serializers.Serializer):
    product = StrictIntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True,
        help_text="A variant (child) or standalone product's id; or give `voucher_code`.",
    )  # fmt: skip
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY, required=False, default=1)
    voucher_code = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs.get("product")) == bool(attrs.get("voucher_code")):
            raise serializers.ValidationError({"product": ["Propose either a product or a voucher code."]})
        return attrs


class ProposalIdSerializer(serializers.Serializer):
    proposal = StrictIntegerField(min_value=1, max_value=MAX_ID)


class ProposalProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    image = serializers.CharField(allow_null=True)
    price = serializers.CharField(allow_null=True, help_text='Decimal as a string, e.g. "45.00".')
    currency = serializers.CharField(allow_null=True)
    in_stock = serializers.BooleanField(help_text="Whether the proposed quantity can be bought now.")
    availability = serializers.CharField()


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["product", "voucher"])
    status = serializers.ChoiceField(choices=["proposed", "accepted", "declined", "withdrawn"])
    product = ProposalProductSerializer(allow_null=True)
    quantity = serializers.IntegerField(allow_null=True)
    voucher_code = serializers.CharField(allow_null=True)
    proposed_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
