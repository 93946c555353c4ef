"""Review moderation in the unfold back office: approve or reject in bulk, edit, delete.
Every change goes through catalogue.reviews.services so the product's rating and count stay right."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model
from unfold.admin import ModelAdmin
from unfold.decorators import action

from . import services

ProductReview = get_model("reviews", "ProductReview")
Vote = get_model("reviews", "Vote")


@admin.register(ProductReview)
class ProductReviewAdmin(ModelAdmin):
    list_display = ("title", "product", "score", "status", "user", "date_created")
    list_filter = ("status", "score")
    list_select_related = ("product", "user")
    search_fields = ("title", "body", "user__email", "product__title", "product__upc")
    readonly_fields = ("product", "user", "total_votes", "delta_votes", "date_created")
    fields = ("product", "user", "status", "score", "title", "body", "total_votes", "delta_votes", "date_created")
    actions = ["approve", "reject"]
    ordering = ("status", "-date_created")

    @action(description=_("Approve selected reviews"))
    def approve(self, request, queryset):
        changed = services.reviews_approve(review_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%d review approved.", "%d reviews approved.", changed) % changed)

    @action(description=_("Reject selected reviews"))
    def reject(self, request, queryset):
        changed = services.reviews_reject(review_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%d review rejected.", "%d reviews rejected.", changed) % changed)

    def has_add_permission(self, request):
        return False  # reviews come from purchasers, not from staff

    def save_model(self, request, obj, form, change):
        services.review_update(review=obj, fields=list(form.changed_data))

    def delete_model(self, request, obj):
        services.reviews_delete(review_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.reviews_delete(review_ids=queryset.values_list("pk", flat=True))


@admin.register(Vote)
class VoteAdmin(ModelAdmin):
    list_display = ("review", "user", "delta", "date_created")
