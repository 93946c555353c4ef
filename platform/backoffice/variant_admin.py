"""The variant parts of the product screen: the grid of a parent's variants (an inline whose formset
saves through `variant_grid.product_variants_update`) and the "Add variants" page.

`VariantGridAdminMixin` goes before unfold's `ModelAdmin` in the product admin's bases.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from oscar.core.loading import get_model
from unfold.admin import TabularInline
from unfold.decorators import action

from .services import BackofficeError
from .variant_add import product_variants_add
from .variant_forms import VariantGridFormSet, VariantsAddForm, variant_grid_fields, variant_grid_form
from .variant_selectors import (
    VariantGridColumns,
    variant_add_attributes,
    variant_grid_columns,
    variant_grid_queryset,
    variant_option_ids,
)

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def _columns(product) -> VariantGridColumns:
    """The grid's columns, read once per product object (the admin asks for the form several times)."""
    if product is None:
        return VariantGridColumns(attributes=(), partners=())
    columns = getattr(product, "_variant_grid_columns", None)
    if columns is None:
        columns = product._variant_grid_columns = variant_grid_columns(product=product)
    return columns


class VariantGridInline(TabularInline):
    """One row per variant: attribute values, title, UPC, SKU, price and stock per partner, public."""

    model = Product
    fk_name = "parent"
    formset = VariantGridFormSet
    extra = 0
    show_change_link = True
    tab = True
    verbose_name = "Variant"
    verbose_name_plural = "Variants"

    def get_queryset(self, request):
        return variant_grid_queryset(super().get_queryset(request))

    def get_fields(self, request, obj=None):
        return variant_grid_fields(_columns(obj))

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = variant_grid_form(_columns(obj))
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.is_parent and super().has_add_permission(request, obj)


class VariantGridAdminMixin:
    """The product admin's variant grid (parents only), its "Add variants" page, and a 400 answer when
    the product form or the grid refuses a save (the form shown again with each error on its cell)."""

    actions_detail = ["add_variants"]
    variants_add_template = "admin/catalogue/product/variants_add.html"

    def get_inlines(self, request, obj):
        """The grid on a parent's screen only; a parent has no stock records of its own (its variants do,
        in the grid), so it shows no stock inline."""
        inlines = super().get_inlines(request, obj)
        if obj is not None and obj.is_parent:
            return [inline for inline in inlines if inline.model is not StockRecord]
        return [inline for inline in inlines if not issubclass(inline, VariantGridInline)]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response

    def has_add_variants_permission(self, request, object_id=None):
        return (
            object_id is not None
            and self.has_change_permission(request)
            and Product.objects.filter(pk=object_id, structure=Product.PARENT).exists()
        )

    @action(description="Add variants", url_path="add-variants", permissions=["add_variants"])
    def add_variants(self, request, object_id):
        product = get_object_or_404(Product, pk=object_id, structure=Product.PARENT)
        if not self.has_change_permission(request, product):
            raise PermissionDenied
        attributes = variant_add_attributes(product=product)
        present = {a.id: variant_option_ids(product=product, attribute_id=a.id) for a in attributes}
        form = VariantsAddForm(
            request.POST if request.method == "POST" else None, attributes=attributes, present=present
        )
        back = reverse("admin:catalogue_product_change", args=[product.pk])
        status = 200
        if request.method == "POST":
            if form.is_valid():
                attribute_id, option_ids = form.cleaned_data["values"]
                try:
                    created = product_variants_add(
                        product=product,
                        attribute_id=attribute_id,
                        option_ids=option_ids,
                        partner=form.cleaned_data["partner"],
                        price=form.cleaned_data["price"],
                        num_in_stock=form.cleaned_data["num_in_stock"],
                    )
                except BackofficeError as error:
                    form.add_error(None, str(error))
                else:
                    message = (
                        f"{len(created)} variants added: {', '.join(v.title for v in created)}."
                        if created
                        else "Every chosen value has a variant already; nothing was added."
                    )
                    if created:
                        self.log_change(request, product, message)
                    self.message_user(request, message, messages.SUCCESS if created else messages.WARNING)
                    return redirect(back)
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add variants - {product.get_title()}",
            "product": product,
            "form": form,
            "has_attributes": bool(attributes),
            "opts": self.model._meta,
            "back_url": back,
        }
        return TemplateResponse(request, self.variants_add_template, context, status=status)
