"""Orders in the back office (unfold): list, detail with lines, totals, payments, shipping events and the
status history as a timeline, and actions (status change, cancel, refund, note, shipping event) that
call the services - nothing here changes an order directly."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from oscar.apps.order.admin import *  # noqa: F401,F403 - Oscar's other order admins (re-based on unfold)
from oscar.core.loading import get_model
from rest_framework.exceptions import APIException
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display

from apibase.money import money_display
from checkout.invoices.selectors import document_of_order, order_documents
from checkout.invoices.views import pdf_response
from checkout.payment.selectors import order_refund_state
from checkout.payment.services import order_refund, order_refundable_amount

from . import services, statuses
from .forms import OrderNoteForm, OrderRefundForm, OrderStatusForm, ShippingEventForm
from .selectors import order_timeline

Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")
ShippingEvent = get_model("order", "ShippingEvent")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")


class _ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(_ReadOnlyInline):
    model = Line
    fields = ("title", "upc", "quantity", "unit_price_incl_tax", "line_price_incl_tax", "status", "num_allocated")
    readonly_fields = fields


class SourceInline(_ReadOnlyInline):
    model = Source
    fields = ("source_type", "reference", "currency", "amount_debited", "amount_refunded")
    readonly_fields = fields


class PaymentEventInline(_ReadOnlyInline):
    model = PaymentEvent
    fields = ("date_created", "event_type", "amount", "reference")
    readonly_fields = fields


class ShippingEventInline(_ReadOnlyInline):
    model = ShippingEvent
    fields = ("date_created", "event_type", "carrier", "tracking_number", "notes", "created_by")
    readonly_fields = fields


#: each status's badge colour (unfold's label types), on the list and the order screen
STATUS_COLOURS: dict[str, str] = {
    statuses.PENDING_PAYMENT: "warning",
    statuses.PAID: "primary",
    statuses.PROCESSING: "info",
    statuses.SHIPPED: "success",
    statuses.DELIVERED: "success",
    statuses.CANCELLED: "danger",
    statuses.REFUNDED: "danger",
}


def _breadcrumbs(order=None, action: str = "") -> list[dict]:
    """The order screens' full breadcrumb (admin/order/header.html): Orders › Order <number> › action."""
    crumbs = [{"title": "Orders", "url": reverse("admin:order_order_changelist")}]
    if order is not None:
        crumbs.append({"title": f"Order {order.number}", "url": reverse("admin:order_order_change", args=[order.pk])})
    if action:
        crumbs.append({"title": action, "url": ""})
    return crumbs


if admin.site.is_registered(Order):
    admin.site.unregister(Order)


TOTALS_FIELDS = ("currency", "total_excl_tax_money", "total_incl_tax_money", "shipping_incl_tax_money", "refundable")


@admin.register(Order)
class OrderAdmin(ModelAdmin):
    list_display = ("number", "status_label", "customer", "total", "date_placed")
    list_filter = ("status", "date_placed")
    search_fields = ("number", "user__email", "guest_email")
    list_select_related = ("user",)
    date_hierarchy = "date_placed"
    readonly_fields = ("number", "status_badge", "user", "guest_email", "currency", "total_excl_tax_money",
                       "total_incl_tax_money", "shipping_incl_tax_money", "shipping_method", "shipping_address",
                       "billing_address", "date_placed", "refundable", "documents")  # fmt: skip
    fieldsets = (
        (None, {"fields": ("number", "status_badge", "date_placed", "user", "guest_email")}),
        ("Totals", {"fields": TOTALS_FIELDS}),
        ("Delivery", {"fields": ("shipping_method", "shipping_address", "billing_address")}),
        ("Invoices and credit notes", {"fields": ("documents",)}),
    )
    inlines = [LineInline, SourceInline, PaymentEventInline, ShippingEventInline]
    change_form_after_template = "admin/order/timeline.html"
    actions = ["cancel_selected"]
    actions_detail = ["change_status", "refund", "add_shipping_event", "add_note"]

    def has_add_permission(self, request):
        return False  # orders come from checkout

    def has_delete_permission(self, request, obj=None):
        return False  # orders are records: cancel or refund them

    @display(description="Status", ordering="status", label=STATUS_COLOURS)
    def status_label(self, order):
        return order.status

    @display(description="Status")
    def status_badge(self, order):
        # unfold draws `label=` badges in lists only; the order screen renders the same label itself
        return render_to_string(
            "unfold/helpers/label.html", {"text": order.status, "type": STATUS_COLOURS.get(order.status, "")}
        )

    @display(description="Customer")
    def customer(self, order):
        return order.email

    @display(description="Total")
    def total(self, order):
        return money_display(order.total_incl_tax, order.currency)

    @display(description="Order total (excl. tax)")
    def total_excl_tax_money(self, order):
        return money_display(order.total_excl_tax, order.currency)

    @display(description="Order total (inc. tax)")
    def total_incl_tax_money(self, order):
        return money_display(order.total_incl_tax, order.currency)

    @display(description="Shipping charge (inc. tax)")
    def shipping_incl_tax_money(self, order):
        return money_display(order.shipping_incl_tax, order.currency)

    @display(description="Left to refund")
    def refundable(self, order):
        return money_display(order_refundable_amount(order=order), order.currency)

    @display(description="Documents")
    def documents(self, order):
        documents = list(order_documents(order=order))
        if not documents:
            return "None yet: the invoice is issued when the order is paid, a credit note with each refund."
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            '<a href="{}" download>{} {}</a> · {} · {}',
            (
                (
                    reverse("admin:order_order_document_pdf", args=[order.pk, document.number]),
                    document.get_kind_display(),
                    document.number,
                    document.issued_at.strftime("%d %b %Y"),
                    money_display(document.total_incl_tax, document.currency),
                )
                for document in documents
            ),
        )

    def get_urls(self):
        download = path(
            "<int:object_id>/documents/<str:number>/pdf/",
            self.admin_site.admin_view(self.document_pdf),
            name="order_order_document_pdf",
        )
        return [download, *super().get_urls()]

    def document_pdf(self, request, object_id, number):
        """Staff who may see the order download its invoice or credit notes (the PDF of the stored document)."""
        order = get_object_or_404(Order, pk=object_id)
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        document = document_of_order(order=order, number=number)
        if document is None:
            raise Http404("No such document on this order.")
        return pdf_response(document)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "timeline": order_timeline(order=order) if order else [],
            "breadcrumbs": _breadcrumbs(order),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # -- actions ---------------------------------------------------------------------------------

    @admin.action(description="Cancel selected orders (releases stock and vouchers)", permissions=["change"])
    def cancel_selected(self, request, queryset):
        done, refused = 0, []
        for order in queryset:
            try:
                services.order_cancel(order=order, by=request.user, reason="Cancelled from the back office.")
                done += 1
            except APIException as exc:
                refused.append(f"{order.number}: {exc.detail}")
        if done:
            self.message_user(request, f"Cancelled {done} order(s).", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    def _action_page(self, request, object_id, *, title: str, form_class, handle, success: str):
        order = get_object_or_404(Order, pk=object_id)
        kwargs = {"order": order} if form_class in (OrderStatusForm, OrderRefundForm) else {}
        form = form_class(request.POST or None, **kwargs)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    handle(order, form)
                except APIException as exc:
                    form.add_error(None, str(exc.detail))
                else:
                    self.message_user(request, success, messages.SUCCESS)
                    return redirect(reverse("admin:order_order_change", args=[order.pk]))
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": f"{title} - order {order.number}",
            "button": title,
            "order": order,
            "status_colour": STATUS_COLOURS.get(order.status, ""),
            "form": form,
            "opts": self.model._meta,
            "breadcrumbs": _breadcrumbs(order, title),
            "refund": order_refund_state(order=order) if form_class is OrderRefundForm else None,
            "back_url": reverse("admin:order_order_change", args=[order.pk]),
        }
        return TemplateResponse(request, "admin/order/order_action.html", context, status=status)

    @action(description="Change status", url_path="status", permissions=["change"])
    def change_status(self, request, object_id):
        def handle(order, form):
            if form.cleaned_data["status"] == statuses.CANCELLED:
                services.order_cancel(order=order, by=request.user, reason=form.cleaned_data["note"])
            else:
                services.order_status_set(
                    order=order, status=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
                )

        return self._action_page(
            request,
            object_id,
            title="Change status",
            form_class=OrderStatusForm,
            handle=handle,
            success="Status changed.",
        )

    @action(description="Refund", url_path="refund", permissions=["change"])
    def refund(self, request, object_id):
        def handle(order, form):
            order_refund(
                order=order,
                amount=form.cleaned_data["amount"],
                lines=form.refund_lines(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )

        return self._action_page(
            request, object_id, title="Refund", form_class=OrderRefundForm, handle=handle, success="Refund recorded."
        )

    @action(description="Add shipping event", url_path="ship", permissions=["change"])
    def add_shipping_event(self, request, object_id):
        def handle(order, form):
            services.order_shipping_event_add(order=order, by=request.user, **form.cleaned_data)

        return self._action_page(
            request, object_id, title="Add shipping event", form_class=ShippingEventForm, handle=handle,
            success="Shipping event added.",
        )  # fmt: skip

    @action(description="Add note", url_path="note", permissions=["change"])
    def add_note(self, request, object_id):
        def handle(order, form):
            services.order_note_add(order=order, message=form.cleaned_data["message"], by=request.user)

        return self._action_page(
            request, object_id, title="Add note", form_class=OrderNoteForm, handle=handle, success="Note added."
        )
