"""Offers in the back office (unfold): offers with their condition and benefit, ranges of products."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.apps.offer.admin import *  # noqa: F403 - Oscar's registrations, replaced below
from oscar.core.loading import get_model
from unfold.admin import ModelAdmin

ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")

for _model in (ConditionalOffer, Condition, Benefit, Range):
    admin.site.unregister(_model)


@admin.register(ConditionalOffer)
class ConditionalOfferAdmin(ModelAdmin):
    list_display = ("name", "offer_type", "status", "start_datetime", "end_datetime", "priority", "num_orders")
    list_filter = ("offer_type", "status", "exclusive", "start_datetime", "end_datetime")
    search_fields = ("name", "description", "slug", "vouchers__code")
    readonly_fields = ("total_discount", "num_orders", "num_applications")
    autocomplete_fields = ("condition", "benefit")
    fieldsets = (
        (None, {"fields": ("name", "description", "offer_type", "exclusive", "status", "condition", "benefit")}),
        (_("Availability"), {"fields": ("start_datetime", "end_datetime", "priority", "max_global_applications",
                                        "max_user_applications", "max_basket_applications", "max_discount")}),
        (_("Usage"), {"fields": ("total_discount", "num_orders", "num_applications")}),
    )  # fmt: skip


@admin.register(Condition)
class ConditionAdmin(ModelAdmin):
    list_display = ("__str__", "type", "value", "range")
    list_filter = ("type",)
    search_fields = ("range__name", "proxy_class")


@admin.register(Benefit)
class BenefitAdmin(ModelAdmin):
    list_display = ("__str__", "type", "value", "range", "max_affected_items")
    list_filter = ("type",)
    search_fields = ("range__name", "proxy_class")


@admin.register(Range)
class RangeAdmin(ModelAdmin):
    list_display = ("name", "includes_all_products", "is_public", "date_created")
    list_filter = ("includes_all_products", "is_public")
    search_fields = ("name", "slug", "description")
    filter_horizontal = ("classes", "included_categories", "excluded_categories")
    autocomplete_fields = ("included_products", "excluded_products")
