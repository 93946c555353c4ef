"""Orders export (no import): one row per order, its lines summarised as "SKU x quantity; ..."."""

from __future__ import annotations

from import_export import fields
from oscar.core.loading import get_model

from .base import HypexResource

Order = get_model("order", "Order")


class OrderResource(HypexResource):
    number = fields.Field(attribute="number", column_name="number")
    date_placed = fields.Field(column_name="date_placed")
    status = fields.Field(attribute="status", column_name="status")
    email = fields.Field(column_name="email")
    currency = fields.Field(attribute="currency", column_name="currency")
    total_excl_tax = fields.Field(column_name="total_excl_tax")
    total_incl_tax = fields.Field(column_name="total_incl_tax")
    shipping_incl_tax = fields.Field(column_name="shipping_incl_tax")
    shipping_method = fields.Field(attribute="shipping_method", column_name="shipping_method")
    shipping_address = fields.Field(column_name="shipping_address")
    lines = fields.Field(column_name="lines")
    item_count = fields.Field(column_name="item_count")

    class Meta(HypexResource.Meta):
        model = Order
        fields = ("number", "date_placed", "status", "email", "currency", "total_excl_tax", "total_incl_tax",
                  "shipping_incl_tax", "shipping_method", "shipping_address", "lines", "item_count")  # fmt: skip
        export_order = fields

    def get_queryset(self):
        orders = Order.objects.select_related("user", "shipping_address").prefetch_related("lines")
        return orders.order_by("-date_placed")

    def dehydrate_date_placed(self, order) -> str:
        return order.date_placed.isoformat() if order.date_placed else ""

    def dehydrate_email(self, order) -> str:
        return order.user.email if order.user_id else (order.guest_email or "")

    def dehydrate_total_excl_tax(self, order) -> str:
        return str(order.total_excl_tax)

    def dehydrate_total_incl_tax(self, order) -> str:
        return str(order.total_incl_tax)

    def dehydrate_shipping_incl_tax(self, order) -> str:
        return str(order.shipping_incl_tax)

    def dehydrate_shipping_address(self, order) -> str:
        return ", ".join(order.shipping_address.active_address_fields()) if order.shipping_address_id else ""

    def dehydrate_lines(self, order) -> str:
        return "; ".join(f"{line.partner_sku or line.upc} x {line.quantity}" for line in order.lines.all())

    def dehydrate_item_count(self, order) -> int:
        return sum(line.quantity for line in order.lines.all())
