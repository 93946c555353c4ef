"""Vouchers, keyed by code. Columns: code, name, usage, start_datetime, end_datetime (ISO 8601, UTC when
no offset is given), offers (names of voucher offers, ";"-separated); num_orders, total_discount: export only."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets
from oscar.core.loading import get_model

from .base import HypexResource, text

Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")


class IsoDateTimeWidget(widgets.Widget):
    """Aware datetimes as ISO 8601 in UTC; naive input is read as UTC."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            moment = value
        else:
            raw = text(value)
            if not raw:
                return None
            try:
                moment = datetime.fromisoformat(raw)
            except ValueError as exc:
                raise ValueError(f"Enter a date and time such as 2026-01-31T09:00:00Z, not {raw!r}.") from exc
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)

    def render(self, value, obj=None, **kwargs):
        return value.astimezone(UTC).isoformat() if value else ""


class VoucherResource(HypexResource):
    code = fields.Field(attribute="code", column_name="code")
    name = fields.Field(attribute="name", column_name="name")
    usage = fields.Field(attribute="usage", column_name="usage")
    start_datetime = fields.Field(attribute="start_datetime", column_name="start_datetime", widget=IsoDateTimeWidget())
    end_datetime = fields.Field(attribute="end_datetime", column_name="end_datetime", widget=IsoDateTimeWidget())
    offers = fields.Field(
        attribute="offers",
        column_name="offers",
        widget=widgets.ManyToManyWidget(ConditionalOffer, field="name", separator=";"),
    )
    num_orders = fields.Field(attribute="num_orders", column_name="num_orders", readonly=True)
    total_discount = fields.Field(attribute="total_discount", column_name="total_discount", readonly=True)

    class Meta(HypexResource.Meta):
        model = Voucher
        fields = ("code", "name", "usage", "start_datetime", "end_datetime", "offers", "num_orders",
                  "total_discount")  # fmt: skip
        export_order = fields
        import_id_fields = ["code"]

    def get_queryset(self):
        return Voucher.objects.prefetch_related("offers").order_by("code")

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        row["code"] = text(row.get("code")).upper()
        if "usage" in row and not text(row.get("usage")):
            row["usage"] = Voucher.MULTI_USE

    def import_instance(self, instance, row, **kwargs) -> None:
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        names = [n.strip() for n in text(row.get("offers")).split(";") if n.strip()]
        if names:
            found = dict(ConditionalOffer.objects.filter(name__in=names).values_list("name", "offer_type"))
            missing = [n for n in names if n not in found]
            not_voucher = [n for n, kind in found.items() if kind != ConditionalOffer.VOUCHER]
            if missing:
                errors["offers"] = ValidationError(f"No offer named {', '.join(missing)}.")
            elif not_voucher:
                errors["offers"] = ValidationError(f"Not a voucher offer: {', '.join(not_voucher)}.")
        if errors:
            raise ValidationError(errors)
