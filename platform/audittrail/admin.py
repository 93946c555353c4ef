"""The Audit log screen: every recorded change, searchable and filterable by actor, model, source, date,
object and group; read-only. Staff need `audittrail.view_auditlogentry` (the Auditor role, superusers).
The history of one object is on that object's own screen ("History", `audittrail.history`)."""

from __future__ import annotations

from auditlog.render import render_logentry_changes_html
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.validators import EMPTY_VALUES
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateTimeFilter, TextFilter
from unfold.decorators import display
from unfold.utils import parse_datetime_str

from .models import AuditLogEntry
from .selectors import audited_content_types

MAX_FIELDS_SHOWN = 4


class AwareRangeDateTimeFilter(RangeDateTimeFilter):
    """unfold's "from ... to" date and time filter, with each bound read in the current time zone: unfold
    hands the ORM a naive datetime (a RuntimeWarning, and a guess about the zone). A bound that is not a
    date and a time is refused as Django's own filters refuse a bad value (a redirect to the list with
    "?e=1", which drops the filters), with a message saying why, instead of being dropped without a word."""

    def queryset(self, request, queryset):
        bounds = {}
        for end, lookup in (("from", "gte"), ("to", "lte")):
            day = self.used_parameters.get(f"{self.parameter_name}_{end}_0")
            time = self.used_parameters.get(f"{self.parameter_name}_{end}_1")
            if day in EMPTY_VALUES or time in EMPTY_VALUES:
                continue
            moment = parse_datetime_str(f"{day} {time}")
            if moment is None:
                problem = f"The {end!r} bound of {self.title} is not a date and a time: the filters were cleared."
                messages.error(request, problem)  # shown on the list Django redirects to
                raise IncorrectLookupParameters(problem)
            bounds[f"{self.parameter_name}__{lookup}"] = timezone.make_aware(moment, timezone.get_current_timezone())
        return queryset.filter(**bounds)


class ModelFilter(admin.SimpleListFilter):
    title = "model"
    parameter_name = "model"

    def lookups(self, request, model_admin):
        return [(str(ct.pk), f"{ct.app_label} · {ct.name}") for ct in audited_content_types()]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(content_type_id=value) if value and value.isdigit() else queryset


class ObjectIdFilter(TextFilter):
    title = "object id"
    parameter_name = "object"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(object_pk=value[:255]) if value else queryset


class GroupFilter(TextFilter):
    title = "group (import:<job>, bulk:<change>, request id)"
    parameter_name = "cid"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(cid=value[:255]) if value else queryset


class ActorFilter(TextFilter):
    title = "staff email"
    parameter_name = "actor"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(actor_email__icontains=value[:254]) if value else queryset


try:  # auditlog's own admin registers the log entry model with a plain ModelAdmin
    admin.site.unregister(AuditLogEntry)
except NotRegistered:
    pass


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ModelAdmin):
    list_display = ("timestamp", "object_link", "action_label", "changed_fields", "actor_label", "source", "group")
    list_filter = (
        ("source", ChoicesDropdownFilter),
        ModelFilter,
        ("timestamp", AwareRangeDateTimeFilter),
        ActorFilter,
        ObjectIdFilter,
        GroupFilter,
    )
    list_filter_submit = True
    search_fields = ("object_repr", "actor_email", "=object_pk", "=cid")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "timestamp"
    ordering = ("-timestamp", "-pk")
    list_per_page = 50
    show_full_result_count = False
    fields = (
        "timestamp", "action_label", "object_link", "actor_label", "source", "group", "remote_addr", "changes_html",
    )  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @display(description="object")
    def object_link(self, entry: AuditLogEntry):
        label = f"{entry.content_type.name}: {entry.object_repr}"
        try:
            url = reverse(
                f"admin:{entry.content_type.app_label}_{entry.content_type.model}_change", args=[entry.object_pk]
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @display(description="action")
    def action_label(self, entry: AuditLogEntry) -> str:
        return entry.get_action_display()

    @display(description="changes")
    def changed_fields(self, entry: AuditLogEntry) -> str:
        names = list((entry.changes or {}).keys())
        more = f" (+{len(names) - MAX_FIELDS_SHOWN})" if len(names) > MAX_FIELDS_SHOWN else ""
        return ", ".join(names[:MAX_FIELDS_SHOWN]) + more

    @display(description="by")
    def actor_label(self, entry: AuditLogEntry) -> str:
        return entry.actor_email or (str(entry.actor) if entry.actor_id else "system")

    @display(description="group")
    def group(self, entry: AuditLogEntry):
        if not entry.cid:
            return "-"
        url = reverse("admin:audittrail_auditlogentry_changelist") + "?" + urlencode({"cid": entry.cid})
        return format_html('<a href="{}">{}</a>', url, entry.cid[:40])

    @display(description="before → after")
    def changes_html(self, entry: AuditLogEntry):
        return render_logentry_changes_html(entry)
