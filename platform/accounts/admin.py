"""Users in the unfold back office."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from .models import MarketingOptOut, User


class HypexUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("email",)


class HypexUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")


class CustomerOrderInline(TabularInline):
    """The customer's orders, newest first, read-only; each links to its order screen."""

    model = Order
    fk_name = "user"
    fields = ("number", "date_placed", "status", "total_incl_tax", "currency")
    readonly_fields = fields
    ordering = ("-date_placed",)
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    tab = True
    verbose_name_plural = _("Orders")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("order.view_order")


class CustomerAddressInline(TabularInline):
    model = UserAddress
    fields = ("first_name", "last_name", "line1", "line4", "postcode", "country", "phone_number")
    extra = 0
    tab = True
    verbose_name_plural = _("Addresses")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ModelAdmin):
    form = HypexUserChangeForm
    add_form = HypexUserCreationForm
    change_password_form = AdminPasswordChangeForm
    ordering = ("-date_joined",)
    list_display = ("email", "first_name", "last_name", "phone", "order_count", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "date_joined")
    inlines = [CustomerOrderInline, CustomerAddressInline]
    search_fields = ("email", "first_name", "last_name", "phone")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(order_count=Count("orders", distinct=True))

    @admin.display(description=_("Orders"), ordering="order_count")
    def order_count(self, obj) -> int:
        return obj.order_count

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


@admin.register(MarketingOptOut)
class MarketingOptOutAdmin(ModelAdmin):
    """Addresses that asked for no marketing mail (the unsubscribe link, ADR 0046). Staff may add one on
    a customer's request, or delete one to let marketing mail go to that address again."""

    list_display = ("email", "date_created")
    search_fields = ("email",)
    readonly_fields = ("date_created",)
