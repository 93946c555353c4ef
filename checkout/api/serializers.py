"""Input and output serializers of the basket and checkout API. Money: decimal strings + currency."""

from rest_framework import serializers

from catalogue.api.serializers import MoneySerializer  # one Money component in the schema


class LineOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()


class BasketLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField(help_text="Product id.")
    title = serializers.CharField()
    upc = serializers.CharField(allow_null=True)
    sku = serializers.CharField(allow_null=True)
    quantity = serializers.IntegerField()
    options = LineOptionSerializer(many=True)
    unit_price = MoneySerializer()
    line_price = MoneySerializer(help_text="Before discounts.")
    line_price_incl_discounts = MoneySerializer()
    is_available = serializers.BooleanField()
    availability = serializers.CharField()
    warning = serializers.CharField(allow_null=True, help_text="E.g. the price changed since it was added.")


class DiscountSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The offer's name, as the shop calls it.")
    description = serializers.CharField(allow_blank=True)
    voucher = serializers.CharField(allow_null=True, help_text="The voucher code that gave it, if any.")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class VoucherRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BasketSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null until something is added.")
    status = serializers.CharField()
    token = serializers.CharField(
        allow_null=True,
        help_text="Anonymous baskets only: send it back as the `X-Basket-Token` header (or keep the cookie).",
    )
    num_items = serializers.IntegerField()
    lines = BasketLineSerializer(many=True)
    discounts = DiscountSerializer(many=True, help_text="Offers and vouchers applied, each with its name.")
    vouchers = VoucherRefSerializer(many=True)
    total_discount = MoneySerializer()
    total = MoneySerializer(help_text="Lines after discounts, before shipping.")
    is_tax_known = serializers.BooleanField()


class LineAddSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, help_text="Product id (a variant, not its parent).")
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    options = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=255),
        required=False,
        help_text='Product options by code, e.g. {"engraving": "Sam"}.',
    )


class LineUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, max_value=10_000, help_text="0 removes the line.")


class VoucherAddSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=128)


class ShippingMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    cost = MoneySerializer(help_text="What this basket costs to ship with this method, discounts included.")
    is_discounted = serializers.BooleanField()
