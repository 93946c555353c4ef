"""Partners and their stock records (stock and price per partner) in the back office."""

from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.admin import *  # noqa: F403 - Oscar's registrations, replaced below
from oscar.core.loading import get_model
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RelatedDropdownFilter

from catalogue.selectors import stock_free_expression, stock_threshold_expression

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

admin.site.unregister(Partner)
admin.site.unregister(StockRecord)


class LowStockFilter(admin.SimpleListFilter):
    """The dashboard's rule: free units (in stock - allocated) below the record's threshold."""

    title = _("stock level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return (("low", _("Low")), ("out", _("None free")))

    def queryset(self, request, queryset):
        free = stock_free_expression()
        if self.value() == "low":
            return queryset.alias(free=free, threshold=stock_threshold_expression()).filter(free__lt=F("threshold"))
        if self.value() == "out":
            return queryset.alias(free=free).filter(free__lte=0)
        return queryset


@admin.register(Partner)
class PartnerAdmin(ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    filter_horizontal = ("users",)


@admin.register(StockRecord)
class StockRecordAdmin(ModelAdmin):
    list_display = ("product", "partner", "partner_sku", "price", "price_currency", "num_in_stock", "num_allocated")
    list_editable = ("price", "num_in_stock")
    list_filter = (("partner", RelatedDropdownFilter), LowStockFilter, "price_currency", "date_updated")
    list_select_related = ("product", "partner")
    autocomplete_fields = ("product", "partner")
    search_fields = ("partner__name", "partner_sku", "product__title", "product__upc")
    readonly_fields = ("num_allocated", "date_created", "date_updated")
