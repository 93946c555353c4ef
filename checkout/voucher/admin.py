"""Vouchers and voucher sets in the back office (unfold)."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.apps.voucher.admin import *  # noqa: F403 - Oscar's registrations, replaced below
from oscar.core.loading import get_model
from unfold.admin import ModelAdmin, TabularInline

from backoffice.services import MAX_VOUCHER_SET_SIZE, BackofficeError, voucher_set_generate

ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")
VoucherSet = get_model("voucher", "VoucherSet")

admin.site.unregister(Voucher)
admin.site.unregister(VoucherApplication)


@admin.register(Voucher)
class VoucherAdmin(ModelAdmin):
    list_display = ("name", "code", "usage", "voucher_set", "start_datetime", "end_datetime", "num_orders")
    list_filter = ("usage", "voucher_set", "start_datetime", "end_datetime")
    search_fields = ("name", "code")
    readonly_fields = ("num_basket_additions", "num_orders", "total_discount", "voucher_set")
    filter_horizontal = ("offers",)
    fieldsets = (
        (None, {"fields": ("name", "code", "usage", "start_datetime", "end_datetime", "voucher_set")}),
        (_("Benefit"), {"fields": ("offers",)}),
        (_("Usage"), {"fields": ("num_basket_additions", "num_orders", "total_discount")}),
    )

    def delete_model(self, request, obj):
        voucher_set = obj.voucher_set
        super().delete_model(request, obj)
        if voucher_set is not None:
            voucher_set.update_count()

    def delete_queryset(self, request, queryset):
        sets = list(VoucherSet.objects.filter(vouchers__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for voucher_set in sets:
            voucher_set.update_count()


@admin.register(VoucherApplication)
class VoucherApplicationAdmin(ModelAdmin):
    list_display = ("voucher", "user", "order", "date_created")
    list_filter = ("date_created",)
    search_fields = ("voucher__code", "voucher__name", "user__email", "order__number")
    readonly_fields = ("voucher", "user", "order")


class VoucherSetForm(forms.ModelForm):
    usage = forms.ChoiceField(choices=Voucher.USAGE_CHOICES, label=_("Usage"))
    offers = forms.ModelMultipleChoiceField(
        label=_("Offers the vouchers give"),
        queryset=ConditionalOffer.objects.filter(offer_type=ConditionalOffer.VOUCHER),
    )
    count = forms.IntegerField(min_value=1, max_value=MAX_VOUCHER_SET_SIZE, label=_("Number of vouchers"))
    code_length = forms.IntegerField(min_value=6, max_value=32, initial=12, label=_("Length of code"))

    class Meta:
        model = VoucherSet
        fields = ("name", "description", "count", "code_length", "start_datetime", "end_datetime")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = self.instance.vouchers.first() if self.instance.pk else None
        if first is not None:
            self.fields["usage"].initial = first.usage
            self.fields["offers"].initial = list(first.offers.all())

    def clean_count(self):
        count = self.cleaned_data["count"]
        if self.instance.pk and count < self.instance.vouchers.count():
            raise forms.ValidationError(_("A set cannot shrink: delete vouchers from it instead."))
        return count


class VoucherInline(TabularInline):
    model = Voucher
    fields = ("code", "name", "usage", "num_orders")
    readonly_fields = fields
    extra = 0
    can_delete = False  # delete on the voucher list: the set's count follows (VoucherAdmin)
    show_change_link = True
    max_num = 0  # vouchers of a set are made by the set, never added by hand

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VoucherSet)
class VoucherSetAdmin(ModelAdmin):
    form = VoucherSetForm
    list_display = ("name", "count", "start_datetime", "end_datetime", "date_created")
    list_filter = ("start_datetime", "end_datetime")
    search_fields = ("name", "description", "vouchers__code")
    inlines = [VoucherInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            with transaction.atomic():
                created = voucher_set_generate(
                    voucher_set=form.instance, usage=form.cleaned_data["usage"], offers=form.cleaned_data["offers"]
                )
        except BackofficeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        form.instance.refresh_from_db()
        self.message_user(request, _("%(n)d vouchers created.") % {"n": created}, messages.SUCCESS)
