"""Orders as the API shows them: lines with snapshots of name, SKU and price, totals, statuses,
payments and shipping events. Money: decimal strings with the order's currency."""

from __future__ import annotations

from rest_framework import serializers

from apibase.fields import StrictTypesMixin
from apibase.money import Money, MoneySerializer

from .selectors import order_customer_can_cancel


class OrderAddressSerializer(serializers.Serializer):
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    line1 = serializers.CharField()
    line2 = serializers.CharField(allow_blank=True)
    line3 = serializers.CharField(allow_blank=True)
    line4 = serializers.CharField(allow_blank=True, help_text="City.")
    state = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2.")


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField(source="product_id", allow_null=True)
    title = serializers.CharField(help_text="The product's name when ordered.")
    upc = serializers.CharField(allow_null=True)
    sku = serializers.CharField(source="partner_sku", allow_blank=True)
    quantity = serializers.IntegerField()
    status = serializers.CharField()
    unit_price = serializers.SerializerMethodField()
    line_price = serializers.SerializerMethodField()
    tax_rate = serializers.DecimalField(
        max_digits=6,
        decimal_places=4,
        allow_null=True,
        help_text="The rate the line was taxed at (the destination's), e.g. 0.2000 for 20%; null on old orders.",
    )

    def get_unit_price(self, line) -> MoneySerializer:
        return MoneySerializer(Money(line.order.currency, line.unit_price_excl_tax, line.unit_price_incl_tax)).data

    def get_line_price(self, line) -> MoneySerializer:
        return MoneySerializer(Money(line.order.currency, line.line_price_excl_tax, line.line_price_incl_tax)).data


class OrderDiscountSerializer(serializers.Serializer):
    name = serializers.CharField(source="offer_name")
    voucher = serializers.CharField(source="voucher_code", allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class OrderTotalsSerializer(serializers.Serializer):
    lines = MoneySerializer(help_text="Lines after discounts.")
    shipping = MoneySerializer()
    discount = MoneySerializer()
    total = MoneySerializer(help_text="What the customer pays.")
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)


class StatusChangeSerializer(serializers.Serializer):
    old_status = serializers.CharField()
    new_status = serializers.CharField()
    date = serializers.DateTimeField(source="date_created")
    note = serializers.CharField(allow_blank=True)


class PaymentSerializer(serializers.Serializer):
    type = serializers.CharField(source="source_type.name")
    reference = serializers.CharField(allow_blank=True)
    amount_allocated = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_debited = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_refunded = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class ShippingEventLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line_id")
    quantity = serializers.IntegerField()


class ShippingEventSerializer(serializers.Serializer):
    type = serializers.CharField(source="event_type.name")
    date = serializers.DateTimeField(source="date_created")
    notes = serializers.CharField(allow_blank=True)
    carrier = serializers.CharField(allow_blank=True, default="")
    tracking_number = serializers.CharField(allow_blank=True, default="")
    lines = ShippingEventLineSerializer(source="line_quantities.all", many=True)


class OrderSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    date_placed = serializers.DateTimeField()
    email = serializers.EmailField(help_text="The account's email, or the guest's.")
    is_guest = serializers.BooleanField(source="is_anonymous")
    currency = serializers.CharField()
    can_cancel = serializers.SerializerMethodField(help_text="POST .../cancel/ is allowed now.")
    shipping_method = serializers.SerializerMethodField()
    shipping_tax_rate = serializers.DecimalField(
        max_digits=6,
        decimal_places=4,
        allow_null=True,
        help_text="The rate the shipping charge was taxed at (the destination's); null on old orders and "
        "when nothing is shipped.",
    )
    shipping_address = OrderAddressSerializer(allow_null=True)
    billing_address = OrderAddressSerializer(allow_null=True)
    lines = OrderLineSerializer(many=True, source="lines.all")
    discounts = OrderDiscountSerializer(many=True, source="discounts.all")
    totals = serializers.SerializerMethodField()
    status_history = StatusChangeSerializer(many=True, source="status_changes.all")
    payments = PaymentSerializer(many=True, source="sources.all")
    shipping_events = ShippingEventSerializer(many=True, source="shipping_events.all")

    def get_can_cancel(self, order) -> bool:
        return order_customer_can_cancel(order=order)

    def get_shipping_method(self, order) -> dict[str, str]:
        return {"code": order.shipping_code, "name": order.shipping_method}

    def get_totals(self, order) -> OrderTotalsSerializer:
        return OrderTotalsSerializer(
            {
                "lines": Money(order.currency, order.basket_total_excl_tax, order.basket_total_incl_tax),
                "shipping": Money(order.currency, order.shipping_excl_tax, order.shipping_incl_tax),
                "discount": Money(order.currency, order.total_discount_excl_tax, order.total_discount_incl_tax),
                "total": Money(order.currency, order.total_excl_tax, order.total_incl_tax),
                "tax": order.total_tax,
            }
        ).data


class OrderCardSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    date_placed = serializers.DateTimeField()
    num_items = serializers.IntegerField()
    total = serializers.SerializerMethodField()

    def get_total(self, order) -> MoneySerializer:
        return MoneySerializer(Money(order.currency, order.total_excl_tax, order.total_incl_tax)).data


class OrderLookupSerializer(StrictTypesMixin, serializers.Serializer):
    number = serializers.CharField(max_length=128)
    email = serializers.EmailField()


class OrderCancelSerializer(StrictTypesMixin, serializers.Serializer):
    email = serializers.EmailField(required=False, help_text="Guests: the email given at checkout.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
