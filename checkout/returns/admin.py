"""Returns in the back office (unfold): the requests with their lines, and the steps - decide each line,
goods received (restock per line), refund - as action pages that call the services. The policy (the
window) and the reasons (accepted, restocking fee) are edited here too. Order managers only (roles)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from rest_framework.exceptions import APIException
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from apibase.money import money_display

from . import services
from .forms import ReturnDecisionForm, ReturnReceiveForm, ReturnRefundForm
from .models import ReturnLine, ReturnPolicy, ReturnReason, ReturnRequest
from .selectors import return_refund_quote, return_requests_queryset

STATUS_COLOURS = {
    ReturnRequest.Status.REQUESTED: "warning",
    ReturnRequest.Status.APPROVED: "info",
    ReturnRequest.Status.REJECTED: "danger",
    ReturnRequest.Status.RECEIVED: "primary",
    ReturnRequest.Status.REFUNDED: "success",
}


class ReturnLineInline(TabularInline):
    model = ReturnLine
    extra = 0
    can_delete = False
    fields = ("item", "quantity", "reason", "decision", "staff_note", "restocked")
    readonly_fields = fields

    @display(description="Item")
    def item(self, line):
        return line.order_line.title

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ModelAdmin):
    list_display = ("id", "order_number", "customer", "status_label", "units", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("=id", "order__number", "order__user__email", "order__guest_email")
    list_select_related = ("order", "order__user")
    date_hierarchy = "created_at"
    readonly_fields = ("order_link", "status_badge", "customer", "comment", "created_at", "decided_at", "received_at",
                       "refunded_at", "refund_money", "fee_money", "refund_event")  # fmt: skip
    fields = readonly_fields
    inlines = [ReturnLineInline]
    actions_detail = ["decide", "receive", "refund"]

    def get_queryset(self, request):
        return return_requests_queryset().select_related("order__user")

    def has_add_permission(self, request):
        return False  # customers ask for returns

    def has_delete_permission(self, request, obj=None):
        return False  # returns are records

    @display(description="Status", ordering="status", label=STATUS_COLOURS)
    def status_label(self, obj):
        return obj.status

    @display(description="Status")
    def status_badge(self, obj):
        # unfold draws `label=` badges in lists only; the screen renders the same label itself
        return render_to_string(
            "unfold/helpers/label.html", {"text": obj.status, "type": STATUS_COLOURS.get(obj.status, "")}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # every field is read-only: the steps are the actions above, so no Save buttons
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False, "show_delete": False}  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    @display(description="Order", ordering="order__number")
    def order_number(self, obj):
        return obj.order.number

    @display(description="Order")
    def order_link(self, obj):
        url = reverse("admin:order_order_change", args=[obj.order_id])
        return format_html(
            '<a href="{}" class="text-primary-600 font-semibold" data-order-link>{}</a>', url, obj.order.number
        )

    @display(description="Customer")
    def customer(self, obj):
        return obj.order.email

    @display(description="Units")
    def units(self, obj):
        return sum(line.quantity for line in obj.lines.all())

    @display(description="Refunded")
    def refund_money(self, obj):
        return money_display(obj.refund_amount, obj.currency)

    @display(description="Restocking fees kept")
    def fee_money(self, obj):
        return money_display(obj.fee_amount, obj.currency)

    def _step(self, request, object_id, *, title: str, form_class, handle, success: str):
        found = get_object_or_404(return_requests_queryset(), pk=object_id)
        data = request.POST if request.method == "POST" else None  # a form of unticked boxes posts nothing
        form = form_class(data) if form_class is ReturnRefundForm else form_class(data, return_request=found)
        back = reverse("admin:returns_returnrequest_change", args=[found.pk])
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    handle(found, form)
                except APIException as exc:
                    form.add_error(None, str(exc.detail))
                    status = exc.status_code
                else:
                    self.message_user(request, success, messages.SUCCESS)
                    return redirect(back)
            else:
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": f"{title} - return {found.pk}",
            "button": title,
            "return_request": found,
            "status_colour": STATUS_COLOURS.get(found.status, ""),
            "form": form,
            "opts": self.model._meta,
            "quote": return_refund_quote(return_request=found) if form_class is ReturnRefundForm else None,
            "back_url": back,
        }
        return TemplateResponse(request, "admin/returns/return_action.html", context, status=status)

    @action(description="Approve or reject lines", url_path="decide", permissions=["change"])
    def decide(self, request, object_id):
        def handle(found, form):
            services.return_lines_decide(return_request=found, decisions=form.decisions(), by=request.user)

        return self._step(request, object_id, title="Approve or reject lines", form_class=ReturnDecisionForm,
                          handle=handle, success="Decisions recorded.")  # fmt: skip

    @action(description="Goods received", url_path="receive", permissions=["change"])
    def receive(self, request, object_id):
        def handle(found, form):
            services.return_receive(return_request=found, restock=form.restock(), by=request.user)

        return self._step(request, object_id, title="Goods received", form_class=ReturnReceiveForm, handle=handle,
                          success="Goods received.")  # fmt: skip

    @action(description="Refund", url_path="refund", permissions=["change"])
    def refund(self, request, object_id):
        def handle(found, form):
            services.return_refund(return_request=found, by=request.user)

        return self._step(request, object_id, title="Refund", form_class=ReturnRefundForm, handle=handle,
                          success="Refund recorded.")  # fmt: skip


@admin.register(ReturnReason)
class ReturnReasonAdmin(ModelAdmin):
    list_display = ("name", "code", "is_active", "restocking_fee_percent", "position")
    list_editable = ("is_active", "restocking_fee_percent", "position")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}

    def has_delete_permission(self, request, obj=None):
        return False  # reasons of past returns stay; untick "accepted" instead


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(ModelAdmin):
    list_display = ("__str__", "window_days", "updated_at")
    fields = ("window_days", "instructions")

    def has_add_permission(self, request):
        return not ReturnPolicy.objects.exists()  # one policy

    def has_delete_permission(self, request, obj=None):
        return False
