"""The catalogue in the back office: one product screen (variants in a grid with their stock and prices
per partner, images, attributes, categories), bulk actions and the category tree.

Oscar's own registrations are imported (so its other screens stay) and the main ones replaced.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.admin import *  # noqa: F403 - Oscar's registrations, some replaced below
from oscar.core.loading import get_model
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import RelatedDropdownFilter
from unfold.decorators import action
from unfold.forms import ActionForm

from backoffice.images import validate_uploaded_image
from backoffice.services import (
    BackofficeError,
    product_category_move,
    product_publish,
    product_unpublish,
    stockrecord_prices_change,
)
from backoffice.variant_admin import VariantGridAdminMixin, VariantGridInline

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

for _model in (Product, Category, ProductImage):
    admin.site.unregister(_model)


class ProductImageForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ("original", "caption", "display_order")

    def clean_original(self):
        upload = self.cleaned_data.get("original")
        if isinstance(upload, UploadedFile):  # a new file (an unchanged one is a stored FieldFile)
            validate_uploaded_image(upload)
        return upload


class CategoryForm(movenodeform_factory(Category)):
    """The tree form with the category image checked and renamed like product images."""

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            validate_uploaded_image(upload)
        return upload


class ProductImageInline(TabularInline):
    """Ordered by `display_order`, rows dragged into place; the first is the primary image lists show."""

    model = ProductImage
    form = ProductImageForm
    extra = 0
    tab = True
    ordering_field = "display_order"
    hide_ordering_field = True


class StockRecordInline(TabularInline):
    model = StockRecord
    fields = (
        "partner",
        "partner_sku",
        "price_currency",
        "price",
        "num_in_stock",
        "num_allocated",
        "low_stock_threshold",
    )
    readonly_fields = ("num_allocated",)
    extra = 0
    tab = True
    verbose_name_plural = _("Stock and prices per partner")


class AttributeValueInline(TabularInline):
    model = ProductAttributeValue
    fields = (
        "attribute",
        "value_text",
        "value_integer",
        "value_boolean",
        "value_float",
        "value_richtext",
        "value_date",
        "value_option",
    )
    raw_id_fields = ("attribute",)
    extra = 0
    tab = True
    verbose_name_plural = _("Attributes")


class ProductCategoryInline(TabularInline):
    model = ProductCategory
    autocomplete_fields = ("category",)
    extra = 0
    tab = True
    verbose_name_plural = _("Categories")


class ProductActionForm(ActionForm):
    # Text, parsed by the action: a bad value must say why, not "No action selected".
    percent = forms.CharField(required=False, max_length=12, label=_("Percent"), help_text=_("for price changes"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("path"), required=False, label=_("Category"), empty_label=_("Category")
    )


def _action_value(request, name: str):
    """One extra field of the action form, cleaned; None when empty or invalid."""
    field = PERCENT_FIELD if name == "percent" else ProductActionForm.base_fields[name]
    try:
        return field.clean((request.POST.get(name) or "").strip() or None)
    except ValidationError:
        return None


PERCENT_FIELD = forms.DecimalField(required=False, max_digits=7, decimal_places=2)


class StockFilter(admin.SimpleListFilter):
    title = _("in stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return (("out", _("Out of stock")), ("in", _("In stock")))

    def queryset(self, request, queryset):
        if self.value() == "out":
            return queryset.exclude(stockrecords__num_in_stock__gt=0)
        if self.value() == "in":
            return queryset.filter(stockrecords__num_in_stock__gt=0).distinct()
        return queryset


@admin.register(Product)
class ProductAdmin(VariantGridAdminMixin, ModelAdmin):
    action_form = ProductActionForm
    actions = ("publish", "unpublish", "change_prices", "move_to_category")
    date_hierarchy = "date_created"
    list_display = ("title_or_parent", "upc", "product_class", "structure", "is_public", "date_updated")
    list_filter = (
        "is_public",
        "structure",
        ("product_class", RelatedDropdownFilter),
        ("categories", RelatedDropdownFilter),
        StockFilter,
        "date_created",
    )
    list_select_related = ("product_class", "parent")
    search_fields = ("title", "upc", "slug", "stockrecords__partner_sku", "parent__title")
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("parent",)
    readonly_fields = ("date_created", "date_updated", "rating")
    fieldsets = (
        (None, {"fields": ("title", "slug", "upc", "structure", "parent", "product_class", "is_public")}),
        (_("Description"), {"fields": ("description", "meta_title", "meta_description")}),
        (_("Options"), {"fields": ("is_discountable", "priority", "date_created", "date_updated", "rating")}),
    )
    inlines = [StockRecordInline, ProductImageInline, AttributeValueInline, ProductCategoryInline, VariantGridInline]

    @admin.display(description=_("Title"), ordering="title")
    def title_or_parent(self, obj):
        return obj.get_title()

    def _run(self, request, func, done: str, **kwargs):
        try:
            count = func(**kwargs)
        except BackofficeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, done % {"n": count}, messages.SUCCESS)

    @action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        self._run(request, product_publish, _("%(n)d products published."), products=queryset)

    @action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._run(request, product_unpublish, _("%(n)d products unpublished."), products=queryset)

    @action(description=_("Change prices by the percentage"), permissions=["change_prices"])
    def change_prices(self, request, queryset):
        percent = _action_value(request, "percent")
        if percent is None:
            self.message_user(request, _("Enter the percentage, e.g. 10 or -15."), messages.ERROR)
            return
        self._run(request, stockrecord_prices_change, _("%(n)d prices changed."), products=queryset, percent=percent)

    @action(description=_("Move to the category"), permissions=["change"])
    def move_to_category(self, request, queryset):
        category = _action_value(request, "category")
        self._run(request, product_category_move, _("%(n)d products moved."), products=queryset, category=category)

    def has_change_prices_permission(self, request, obj=None):
        return request.user.has_perm("partner.change_stockrecord")


@admin.register(Category)
class CategoryAdmin(ModelAdmin, TreeAdmin):
    """The category tree: drag rows to move them, or pick a position and a relative in the form."""

    form = CategoryForm
    list_display = ("name", "slug", "is_public")
    list_filter = ("is_public",)
    search_fields = ("name", "slug", "pk")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ProductImage)
class ProductImageAdmin(ModelAdmin):
    form = ProductImageForm
    list_display = ("product", "caption", "display_order", "date_created")
    search_fields = ("caption", "product__upc", "product__title")
    autocomplete_fields = ("product",)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = ("product", "original", "caption", "display_order")
        return super().get_form(request, obj, **kwargs)
