"""Input and output serializers of the basket and checkout API. Money: decimal strings + currency."""

from oscar.core.loading import get_model
from rest_framework import serializers

from apibase.fields import StrictCharField, StrictTypesMixin
from apibase.money import MoneySerializer
from checkout.order.api.serializers import OrderSerializer
from checkout.payment.gateways import gateway_codes

Country = get_model("address", "Country")


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


class LineAddSerializer(StrictTypesMixin, serializers.Serializer):
    product = serializers.IntegerField(min_value=1, help_text="Product id (a variant, not its parent).")
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    options = serializers.DictField(
        child=StrictCharField(allow_blank=True, max_length=255),
        required=False,
        help_text='Product options by code, e.g. {"engraving": "Sam"}.',
    )


class LineUpdateSerializer(StrictTypesMixin, serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, max_value=10_000, help_text="0 removes the line.")


class VoucherAddSerializer(StrictTypesMixin, serializers.Serializer):
    code = serializers.CharField(max_length=128)


class ShippingMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    cost = MoneySerializer(help_text="What this basket costs to ship with this method, discounts included.")
    is_discounted = serializers.BooleanField()


class AddressInputSerializer(StrictTypesMixin, serializers.Serializer):
    first_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    line1 = serializers.CharField(max_length=255)
    line2 = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    line3 = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    line4 = serializers.CharField(max_length=255, required=False, allow_blank=True, default="", help_text="City.")
    state = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2, e.g. GB.")
    phone_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate_country(self, value):
        country = Country.objects.filter(iso_3166_1_a2=value.upper()).first()
        if country is None:
            raise serializers.ValidationError("Unknown country code.")
        return country


class CheckoutSerializer(StrictTypesMixin, serializers.Serializer):
    shipping_address = AddressInputSerializer(required=False, help_text="Or `address_id`.")
    address_id = serializers.IntegerField(required=False, help_text="A saved address of the signed-in customer.")
    billing_address = AddressInputSerializer(required=False)
    shipping_method = serializers.CharField(max_length=128, help_text="A `code` from /basket/shipping-methods/.")
    payment_method = serializers.CharField(max_length=32, help_text="A payment gateway code, e.g. `dummy`, `stripe`.")
    guest_email = serializers.EmailField(required=False, help_text="Required when not signed in.")

    def validate_payment_method(self, value):
        if value not in gateway_codes():
            raise serializers.ValidationError(f"Choose one of: {', '.join(gateway_codes())}.")
        return value

    def validate(self, attrs):
        if ("shipping_address" in attrs) == ("address_id" in attrs):
            raise serializers.ValidationError({"shipping_address": ["Give either shipping_address or address_id."]})
        return attrs


class PaymentActionSerializer(serializers.Serializer):
    gateway = serializers.CharField()
    type = serializers.ChoiceField(choices=["redirect", "client_secret"])
    redirect_url = serializers.CharField(allow_blank=True, help_text="type=redirect: send the payer here.")
    client_secret = serializers.CharField(allow_blank=True, help_text="type=client_secret: confirm with Stripe.")


class CheckoutResultSerializer(serializers.Serializer):
    order = OrderSerializer()
    payment = PaymentActionSerializer(allow_null=True, help_text="Null when the order no longer waits for payment.")
