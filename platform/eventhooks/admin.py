"""The Webhooks screens of the back office (ADR 0048): endpoints (subscribe a URL to events, see and
rotate its secret) and deliveries (each attempt's answer, latency and error; "Resend"). Staff with the
Operations role (backoffice.roles) and superusers; every write goes through `services`."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget, UnfoldAdminURLInputWidget

from . import services
from .errors import WebhookError
from .events import EVENT_CHOICES
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .safety import WebhookUrlRefused, webhook_url_check
from .signing import event_body

Status = WebhookDelivery.Status


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        widget=UnfoldAdminURLInputWidget,
        help_text=_("The HTTPS address of your app that receives the events (a signed JSON POST each)."),
    )
    events = forms.MultipleChoiceField(choices=EVENT_CHOICES, widget=UnfoldAdminCheckboxSelectMultipleWidget)

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "events", "enabled", "contact_email")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            webhook_url_check(url=url)
        except WebhookUrlRefused as exc:
            raise ValidationError(str(exc)) from exc
        return url


def _confirm_page(model_admin, request, *, title: str, text: str, button: str, back_url: str):
    context = {**model_admin.admin_site.each_context(request), "title": title, "text": text, "button": button,
               "back_url": back_url, "opts": model_admin.model._meta}  # fmt: skip
    return TemplateResponse(request, "admin/eventhooks/confirm.html", context)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "description", "enabled_label", "event_list", "consecutive_failures", "disabled_at")
    list_filter = ("enabled",)
    search_fields = ("url", "description", "contact_email")
    readonly_fields = ("signing_secret", "delivery_link", "failure_state", "created_by", "created_at")
    actions_detail = ["rotate_secret"]

    def get_fieldsets(self, request, obj=None):
        editable = ("url", "description", "events", "enabled", "contact_email")
        if obj is None:
            return [(None, {"fields": editable})]
        return [
            (None, {"fields": editable}),
            ("Signing", {"fields": ("signing_secret",)}),
            ("Deliveries", {"fields": ("delivery_link", "failure_state", "created_by", "created_at")}),
        ]

    @display(description="Enabled", label={"Enabled": "success", "Disabled": "danger"})
    def enabled_label(self, endpoint: WebhookEndpoint) -> str:
        return "Enabled" if endpoint.enabled else "Disabled"

    @display(description="Events")
    def event_list(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events)

    @display(description="Signing secret")
    def signing_secret(self, endpoint: WebhookEndpoint):
        text = format_html("<code data-webhook-secret>{}</code>", endpoint.secret)
        if endpoint.previous_secret_expires_at and len(endpoint.signing_secrets()) > 1:
            text = format_html(
                "{}<br>The previous secret also signs deliveries until {} UTC.",
                text,
                endpoint.previous_secret_expires_at.strftime("%Y-%m-%d %H:%M"),
            )
        return text

    @display(description="Deliveries")
    def delivery_link(self, endpoint: WebhookEndpoint):
        url = reverse("admin:eventhooks_webhookdelivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        failed = endpoint.deliveries.filter(status=Status.FAILED).count()
        return format_html('<a href="{}">{} deliveries, {} failed</a>', url, endpoint.deliveries.count(), failed)

    @display(description="Failures")
    def failure_state(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.disabled_at and not endpoint.enabled:
            return f"Disabled {endpoint.disabled_at:%Y-%m-%d %H:%M} UTC: {endpoint.disabled_reason}"
        if endpoint.failing_since:
            since = f"{endpoint.failing_since:%Y-%m-%d %H:%M}"
            return f"{endpoint.consecutive_failures} failed attempt(s) in a row since {since} UTC"
        return "No failures"

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("url", "description", "contact_email", "enabled")}
        if change:
            saved = services.webhook_endpoint_update(endpoint=obj, events=form.cleaned_data["events"], **data)
        else:
            saved = services.webhook_endpoint_create(events=form.cleaned_data["events"], by=request.user, **data)
        obj.pk, obj.secret, obj._state.adding = saved.pk, saved.secret, False

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, "Endpoint created. Give its signing secret (below) to the app.", messages.SUCCESS)
        return redirect(reverse("admin:eventhooks_webhookendpoint_change", args=[obj.pk]))

    @action(description="Rotate secret", url_path="rotate-secret", permissions=["change"])
    def rotate_secret(self, request, object_id):
        endpoint = get_object_or_404(WebhookEndpoint, pk=object_id)
        back_url = reverse("admin:eventhooks_webhookendpoint_change", args=[endpoint.pk])
        if request.method == "POST":
            services.webhook_endpoint_secret_rotate(endpoint=endpoint)
            self.message_user(request, "New secret made; the old one keeps signing for 24 hours.", messages.SUCCESS)
            return redirect(back_url)
        text = (f"A new secret for {endpoint.url}. For the next 24 hours every delivery carries two signatures "
                "(new and old), so the app can switch to the new secret without missing one.")  # fmt: skip
        return _confirm_page(self, request, title="Rotate secret", text=text, button="Rotate", back_url=back_url)


class WebhookAttemptInline(TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("attempted_at", "status_code", "latency_ms", "error", "response_excerpt")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _resend(model_admin, request, deliveries) -> None:
    sent = 0
    for delivery in deliveries:
        try:
            services.webhook_delivery_resend(delivery=delivery)
        except WebhookError as exc:
            model_admin.message_user(request, f"Delivery #{delivery.pk}: {exc}", messages.ERROR)
        else:
            sent += 1
    if sent:
        model_admin.message_user(request, f"{sent} delivery(ies) sent again: see the attempts.", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ModelAdmin):
    list_display = ("id", "event_type", "event_id", "endpoint", "status_label", "attempts", "last_status_code",
                    "next_attempt_at", "created_at")  # fmt: skip
    list_filter = ("status", "event__type", "endpoint")
    list_select_related = ("event", "endpoint")
    search_fields = ("event__event_id", "endpoint__url")
    fields = ("event_id", "event_type", "endpoint", "status", "attempts", "last_status_code", "last_error",
              "next_attempt_at", "retry_until", "created_at", "delivered_at", "body")  # fmt: skip
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["resend_selected"]
    actions_detail = ["resend_one"]

    def has_add_permission(self, request) -> bool:
        return False  # written by the events

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only; Resend goes through the service

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of what was sent

    def has_resend_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("eventhooks.change_webhookdelivery")

    @display(description="Event", ordering="event__type")
    def event_type(self, delivery: WebhookDelivery) -> str:
        return delivery.event.type

    @display(description="Event id")
    def event_id(self, delivery: WebhookDelivery) -> str:
        return delivery.event.event_id

    @display(description="Status", ordering="status",
             label={Status.PENDING: "warning", Status.SUCCEEDED: "success", Status.FAILED: "danger"})  # fmt: skip
    def status_label(self, delivery: WebhookDelivery) -> str:
        return delivery.status

    @display(description="Body")
    def body(self, delivery: WebhookDelivery):
        event = delivery.event
        raw = event_body(event_id=event.event_id, event_type=event.type, created=int(event.created_at.timestamp()),
                         data=event.data)  # fmt: skip
        return format_html('<pre class="whitespace-pre-wrap text-sm">{}</pre>', json.dumps(json.loads(raw), indent=2))

    @admin.action(description="Resend", permissions=["resend"])
    def resend_selected(self, request, queryset):
        _resend(self, request, list(queryset.select_related("endpoint")[:100]))

    @action(description="Resend", url_path="resend", permissions=["resend"])
    def resend_one(self, request, object_id):
        delivery = get_object_or_404(WebhookDelivery.objects.select_related("event", "endpoint"), pk=object_id)
        back_url = reverse("admin:eventhooks_webhookdelivery_change", args=[delivery.pk])
        if request.method == "POST":
            _resend(self, request, [delivery])
            return redirect(back_url)
        text = (f"Send {delivery.event.type} {delivery.event.event_id} to {delivery.endpoint.url} again now, "
                "with the same event id.")  # fmt: skip
        return _confirm_page(self, request, title=f"Resend delivery #{delivery.pk}", text=text, button="Resend",
                             back_url=back_url)  # fmt: skip
