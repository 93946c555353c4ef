"""Forms of the variant grid and of "Add variants" on a parent product's screen.

The grid is an inline formset over the product's variants whose form carries, besides the variant's
title, UPC and visibility, one cell per grid attribute and per partner (SKU, price, stock): the form
class is built per product from its columns (`variant_grid_form`). Every cell is checked on its own
(numbers, bounds) and then the grid as a whole by the service (`product_variants_check`: duplicate
SKU per partner, duplicate UPC, stock below what orders hold), whose errors land on their cells; the
formset's save is `product_variants_update`, inside the admin's transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms.models import BaseInlineFormSet
from oscar.core.loading import get_model
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminNullBooleanSelectWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
)

from .services import BackofficeError
from .variant_grid import StockCell, VariantRow, product_variants_check, product_variants_update
from .variant_selectors import GridAttribute, VariantGridColumns

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

#: Cell widths, so a grid of a few attributes and one or two partners fits a 1280 px screen.
NARROW = {"style": "min-width: 5rem; width: 5rem"}
MEDIUM = {"style": "min-width: 7rem"}
WIDE = {"style": "min-width: 10rem"}

PRICE_ERRORS = {"min_value": "The price cannot be negative.", "invalid": "Enter a number."}
STOCK_ERRORS = {"min_value": "The stock cannot be negative.", "invalid": "Enter a whole number."}


def _attribute_field(attribute: GridAttribute) -> forms.Field:
    label = attribute.name
    if attribute.type == "option":
        return forms.TypedChoiceField(
            label=label,
            choices=[("", "-"), *attribute.options],
            coerce=int,
            empty_value=None,
            required=False,
            widget=UnfoldAdminSelectWidget(attrs=dict(NARROW)),
        )
    if attribute.type == "integer":
        return forms.IntegerField(label=label, required=False, widget=UnfoldAdminIntegerFieldWidget(attrs=dict(NARROW)))
    if attribute.type == "float":
        return forms.FloatField(label=label, required=False, widget=UnfoldAdminDecimalFieldWidget(attrs=dict(NARROW)))
    if attribute.type == "boolean":
        return forms.NullBooleanField(
            label=label, required=False, widget=UnfoldAdminNullBooleanSelectWidget(attrs=dict(NARROW))
        )
    return forms.CharField(label=label, required=False, widget=UnfoldAdminTextInputWidget(attrs=dict(MEDIUM)))


def variant_grid_fields(columns: VariantGridColumns) -> list[str]:
    """The grid's columns as form field names, in the order they show."""
    names = [f"attr_{a.id}" for a in columns.attributes] + ["title", "upc"]
    for partner in columns.partners:
        names += [f"sku_{partner.id}", f"price_{partner.id}", f"stock_{partner.id}"]
    return [*names, "is_public"]


class VariantGridForm(forms.ModelForm):
    """One row of the grid. Built per product by `variant_grid_form`, which sets `columns`."""

    columns: VariantGridColumns = VariantGridColumns(attributes=(), partners=())

    class Meta:
        model = Product
        fields = ("title", "upc", "is_public")
        labels = {"is_public": "Public"}
        widgets = {
            "title": UnfoldAdminTextInputWidget(attrs=dict(WIDE)),
            "upc": UnfoldAdminTextInputWidget(attrs=dict(MEDIUM)),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.structure = Product.CHILD
        self.instance.product_class = None
        if self.instance.pk:
            self.initial.update(self._saved_cells())

    def _saved_cells(self) -> dict:
        """The cells as stored, from the rows prefetched by `variant_grid_queryset`."""
        cells = {}
        for value in self.instance.attribute_values.all():
            kind = value.attribute.type
            cells[f"attr_{value.attribute_id}"] = value.value_option_id if kind == "option" else value.value
        for record in self.instance.stockrecords.all():
            cells[f"sku_{record.partner_id}"] = record.partner_sku
            cells[f"price_{record.partner_id}"] = record.price
            cells[f"stock_{record.partner_id}"] = record.num_in_stock
        return cells

    def validate_unique(self):
        """UPCs are checked for the whole grid by the service (a swap between rows included)."""

    def _post_clean(self):
        """The service checks and writes the row (Oscar's `Product.clean` would query for every row)."""

    def row(self, *, delete: bool = False) -> VariantRow:
        data = self.cleaned_data
        return VariantRow(
            variant_id=self.instance.pk,
            title=(data.get("title") or "").strip(),
            upc=(data.get("upc") or "").strip(),
            is_public=bool(data.get("is_public")),
            values={a.id: data.get(f"attr_{a.id}") for a in self.columns.attributes},
            stock=tuple(
                StockCell(
                    partner_id=p.id,
                    sku=(data.get(f"sku_{p.id}") or "").strip(),
                    price=data.get(f"price_{p.id}"),
                    num_in_stock=data.get(f"stock_{p.id}"),
                )
                for p in self.columns.partners
            ),
            delete=delete,
        )


def variant_grid_form(columns: VariantGridColumns) -> type[VariantGridForm]:
    """The grid's row form for a product with these columns."""
    fields: dict[str, object] = {"columns": columns}
    for attribute in columns.attributes:
        fields[f"attr_{attribute.id}"] = _attribute_field(attribute)
    several = len(columns.partners) > 1
    for partner in columns.partners:
        # One partner: short headers, its name in the help; several: each header names its partner.
        named = f"{partner.name}: " if several else ""
        fields[f"sku_{partner.id}"] = forms.CharField(
            label=f"{named}SKU",
            help_text=f"The SKU at {partner.name}",
            required=False,
            max_length=128,
            widget=UnfoldAdminTextInputWidget(attrs=dict(MEDIUM)),
        )
        fields[f"price_{partner.id}"] = forms.DecimalField(
            label=f"{named}Price ({partner.currency})",
            help_text=f"The price at {partner.name}, in {partner.currency}",
            required=False,
            min_value=Decimal("0"),
            max_digits=12,
            decimal_places=2,
            error_messages=PRICE_ERRORS,
            widget=UnfoldAdminDecimalFieldWidget(attrs=dict(NARROW)),
        )
        fields[f"stock_{partner.id}"] = forms.IntegerField(
            label=f"{named}Stock",
            help_text=f"Units in stock at {partner.name}",
            required=False,
            min_value=0,
            error_messages=STOCK_ERRORS,
            widget=UnfoldAdminIntegerFieldWidget(attrs=dict(NARROW)),
        )
    return type("VariantGridRowForm", (VariantGridForm,), fields)


class VariantGridFormSet(BaseInlineFormSet):
    """The grid: checked as a whole by the service, saved by it in one call."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_field = form.fields.get(self.model._meta.pk.name)
        if pk_field is not None:
            # The row's own variant from the formset's one query, not a query per row.
            if not hasattr(self, "_known"):
                self._known = {str(obj.pk): obj for obj in self.get_queryset()}
            pk_field.to_python = self._known_variant

    def _known_variant(self, value):
        if value in (None, ""):
            return None
        if str(value) not in self._known:
            raise forms.ValidationError("This variant no longer exists; reload the page.", code="invalid_choice")
        return self._known[str(value)]

    def validate_unique(self):
        """Duplicate UPCs and SKUs are the service's check, reported on their cells."""

    def _rows(self) -> tuple[list[VariantRow], list[forms.Form]]:
        rows, forms_ = [], []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            if form.instance.pk is None and not form.has_changed():
                continue  # an empty extra row
            delete = self.can_delete and self._should_delete_form(form)
            if delete and form.instance.pk is None:
                continue
            rows.append(form.row(delete=delete))
            forms_.append(form)
        return rows, forms_

    def clean(self):
        super().clean()
        if not self.instance.is_parent:
            return
        rows, forms_ = self._rows()
        try:
            errors = product_variants_check(product=self.instance, rows=rows)
        except BackofficeError as error:  # the grid no longer matches the product (a stale page)
            raise forms.ValidationError(str(error)) from error
        for (index, name), message in errors.items():
            forms_[index].add_error(name if name in forms_[index].fields else None, message)

    def save(self, commit=True):
        rows, forms_ = self._rows()
        product_variants_update(product=self.instance, rows=rows)
        self.new_objects = [form.instance for form in forms_ if form.instance.pk is None]
        self.changed_objects = [
            (form.instance, form.changed_data) for form, row in zip(forms_, rows, strict=True)
            if form.instance.pk and not row.delete and form.has_changed()
        ]  # fmt: skip
        self.deleted_objects = [form.instance for form, row in zip(forms_, rows, strict=True) if row.delete]
        return []


class VariantsAddForm(forms.Form):
    """Pick the values of one attribute (e.g. Size: S, M, L); optionally a partner, price and stock."""

    values = forms.MultipleChoiceField(
        label="Values",
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text="Values of one attribute; one variant is made for each value no variant has yet.",
        error_messages={"required": "Choose at least one value."},
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.order_by("name"), required=False, label="Partner", widget=UnfoldAdminSelectWidget
    )
    price = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        error_messages=PRICE_ERRORS,
        label="Price for each",
        widget=UnfoldAdminDecimalFieldWidget,
    )
    num_in_stock = forms.IntegerField(
        required=False,
        min_value=0,
        error_messages=STOCK_ERRORS,
        label="Stock for each",
        widget=UnfoldAdminIntegerFieldWidget,
    )

    def __init__(self, *args, attributes: tuple[GridAttribute, ...], present: dict[int, set[int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.attributes = {a.id: a for a in attributes}
        self.fields["values"].choices = [
            (a.name, [(f"{a.id}:{pk}", text + (" (has a variant)" if pk in present.get(a.id, ()) else ""))
                      for pk, text in a.options])
            for a in attributes
        ]  # fmt: skip

    def clean_values(self) -> tuple[int, list[int]]:
        picked = [tuple(int(part) for part in value.split(":")) for value in self.cleaned_data["values"]]
        attributes = {attribute_id for attribute_id, _option in picked}
        if len(attributes) != 1:
            raise forms.ValidationError("Choose values of one attribute only (e.g. sizes, or colours).")
        return attributes.pop(), [option for _attribute, option in picked]

    def clean(self):
        data = super().clean()
        if (data.get("price") is not None or data.get("num_in_stock") is not None) and not data.get("partner"):
            self.add_error("partner", "Choose the partner that holds the price and stock.")
        return data
