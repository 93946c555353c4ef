"""The catalogue in the back office: one product screen (variants in a grid with their stock and prices
per partner, images, attributes, categories), bulk actions and the category tree.

Oscar's own registrations are imported (so its other screens stay) and the main ones replaced.
"""

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.admin import *  # noqa: F403 - Oscar's registrations, some replaced below
from oscar.core.loading import get_model
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import RelatedDropdownFilter
from unfold.decorators import action, display

from backoffice.bulk_actions import CATEGORY_MOVE, PRICE_CHANGE, bulk_action_page
from backoffice.images import validate_uploaded_image
from backoffice.product_list import (
    THUMBNAIL_SIDE,
    product_list_filter_stock,
    product_list_queryset,
    product_list_thumbnail,
)
from backoffice.services import BackofficeError, product_publish, product_unpublish
from backoffice.variant_admin import VariantGridAdminMixin, VariantGridInline
from catalogue.selectors import STOCK_IN, STOCK_LOW, STOCK_OUT, product_price_range_display

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


class StockFilter(admin.SimpleListFilter):
    """The product list's stock state (backoffice.product_list): in stock, low, out."""

    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return ((STOCK_IN, _("In stock")), (STOCK_LOW, _("Low stock")), (STOCK_OUT, _("Out of stock")))

    def queryset(self, request, queryset):
        return product_list_filter_stock(products=queryset, state=self.value())


STOCK_BADGES = {STOCK_LOW: (_("Low"), "warning"), STOCK_OUT: (_("Out"), "danger")}
STOCK_BADGE_TITLE = _("Out: no unit free. Low: a stock record of the product or of a variant is below its threshold.")


@admin.register(Product)
class ProductAdmin(VariantGridAdminMixin, ModelAdmin):
    actions = ("publish", "unpublish", "change_prices", "move_to_category")
    date_hierarchy = "date_created"
    # One row per product (parents and standalone; variants inside their parent): backoffice.product_list.
    list_display = (
        "thumbnail",
        "title_or_parent",
        "product_class",
        "price",
        "stock",
        "variants",
        "published",
        "date_updated",
    )
    list_display_links = ("thumbnail", "title_or_parent")
    list_filter = (
        ("categories", RelatedDropdownFilter),
        ("product_class", RelatedDropdownFilter),
        StockFilter,
        "is_public",
        "date_created",
    )
    list_select_related = ("product_class",)
    # A variant's UPC or SKU finds its parent's row; `parent__title` lets the stock record and image
    # screens' autocompletes find variants by their parent's title.
    search_fields = (
        "title",
        "upc",
        "stockrecords__partner_sku",
        "children__upc",
        "children__stockrecords__partner_sku",
        "parent__title",
    )
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("parent",)
    readonly_fields = ("date_created", "date_updated", "rating")
    fieldsets = (
        (None, {"fields": ("title", "slug", "upc", "structure", "parent", "product_class", "is_public")}),
        (_("Description"), {"fields": ("description", "meta_title", "meta_description")}),
        (_("Options"), {"fields": ("is_discountable", "priority", "date_created", "date_updated", "rating")}),
    )
    inlines = [StockRecordInline, ProductImageInline, AttributeValueInline, ProductCategoryInline, VariantGridInline]

    def get_queryset(self, request):
        products = super().get_queryset(request)
        changelist = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist"
        if request.resolver_match and request.resolver_match.view_name == changelist:
            # The list (and its actions) only: forms, autocompletes and variant links still reach variants.
            return product_list_queryset(products=products)
        return products

    @admin.display(description="")
    def thumbnail(self, obj):
        thumbnail = product_list_thumbnail(obj)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" loading="lazy" class="object-cover rounded"{}>',
            thumbnail.url,
            THUMBNAIL_SIDE,
            THUMBNAIL_SIDE,
            format_html(' data-placeholder="{}"', "true") if thumbnail.is_placeholder else "",
        )

    @admin.display(description=_("Title"), ordering="title")
    def title_or_parent(self, obj):
        return obj.get_title()

    @admin.display(description=_("Price"), ordering="price_min")
    def price(self, obj):
        return product_price_range_display(obj) or "-"

    @admin.display(description=_("Stock"), ordering="stock_free")
    def stock(self, obj):
        badge = STOCK_BADGES.get(obj.stock_state)
        if badge is None:
            return obj.stock_free
        label = render_to_string(
            "unfold/helpers/label.html", {"text": badge[0], "type": badge[1], "label_title": STOCK_BADGE_TITLE}
        )
        return format_html('<span class="flex gap-2 items-center">{} {}</span>', obj.stock_free, label)

    @admin.display(description=_("Variants"), ordering="variant_count")
    def variants(self, obj):
        return obj.variant_count if obj.is_parent else "-"

    @display(description=_("Shop"), ordering="is_public", label={_("Published"): "success", _("Hidden"): "info"})
    def published(self, obj):
        return _("Published") if obj.is_public else _("Hidden")

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

    # Both open a page of their own: the action's field, a preview of every change, then Confirm.
    @action(description=_("Change prices by the percentage"), permissions=["change_prices"])
    def change_prices(self, request, queryset):
        return bulk_action_page(self, request, queryset, PRICE_CHANGE)

    @action(description=_("Move to the category"), permissions=["change"])
    def move_to_category(self, request, queryset):
        return bulk_action_page(self, request, queryset, CATEGORY_MOVE)

    def has_change_prices_permission(self, request, obj=None):
        return request.user.has_perm("partner.change_stockrecord")


@admin.register(Category)
class CategoryAdmin(ModelAdmin, TreeAdmin):
    """The category tree: drag rows to move them, or pick a position and a relative in the form."""

    form = CategoryForm
    change_list_template = "backoffice/tree_change_list.html"
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
