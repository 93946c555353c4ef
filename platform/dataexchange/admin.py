"""The back office's imports and exports: upload -> dry-run page (rows to create, update and reject,
with each row's errors) -> Confirm -> progress -> done; and an export page for every resource."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from unfold.admin import ModelAdmin

from audittrail.selectors import audit_group_summary, import_job_group

from . import selectors, services
from .forms import ExportChoiceForm, ImportUploadForm
from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ModelAdmin):
    list_display = ("id", "resource", "original_name", "status", "total_rows", "rows_new", "rows_update",
                    "rows_rejected", "created_by", "created_at")  # fmt: skip
    list_filter = ("status", "resource", "format")
    search_fields = ("original_name", "created_by__email")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a job is never edited: it is checked, confirmed, run

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="dataexchange_export"),
            path("<int:pk>/confirm/", wrap(require_POST(self.confirm_view)), name=f"{prefix}_confirm"),
            path("<int:pk>/progress/", wrap(self.progress_view), name=f"{prefix}_progress"),
            *super().get_urls(),
        ]

    def _context(self, request, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        entries = selectors.importable_resources(user=request.user)
        if not entries:
            raise PermissionDenied
        form = ImportUploadForm(entries=entries, data=request.POST or None, files=request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = services.import_job_create(
                    resource=form.cleaned_data["resource"],
                    format=form.cleaned_data["format"],
                    file=form.cleaned_data["import_file"],
                    user=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return HttpResponseRedirect(reverse("admin:dataexchange_importjob_change", args=[job.pk]))
        context = self._context(request, title="Import a file", form=form, entries=entries,
                                columns=selectors.resource_columns())  # fmt: skip
        return TemplateResponse(request, "dataexchange/admin/import_upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(ImportJob.objects.select_related("created_by", "confirmed_by"), pk=object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        context = self._context(
            request,
            title=str(job),
            job=job,
            progress=selectors.import_job_progress(job=job),
            preview_new=[row for row in job.preview if row["type"] == "new"],
            preview_update=[row for row in job.preview if row["type"] == "update"],
            can_confirm=job.can_confirm and selectors.user_can_import(user=request.user, resource=job.resource),
            progress_url=reverse("admin:dataexchange_importjob_progress", args=[job.pk]),
            confirm_url=reverse("admin:dataexchange_importjob_confirm", args=[job.pk]),
            # what the import wrote, as the audit trail recorded it (ADR 0047)
            audit=(
                audit_group_summary(cid=import_job_group(job.pk), user=request.user)
                if job.status == ImportJob.Status.DONE
                else None
            ),
        )
        return TemplateResponse(request, "dataexchange/admin/import_job.html", context)

    def confirm_view(self, request, pk: int):
        job = get_object_or_404(ImportJob, pk=pk)
        if not selectors.user_can_import(user=request.user, resource=job.resource):
            raise PermissionDenied
        try:
            services.import_job_confirm(job=job, user=request.user)
        except services.ImportJobNotConfirmable as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Import #{job.pk} confirmed: it runs now.")
        return HttpResponseRedirect(reverse("admin:dataexchange_importjob_change", args=[job.pk]))

    def progress_view(self, request, pk: int):
        job = get_object_or_404(ImportJob, pk=pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return JsonResponse(selectors.import_job_progress(job=job))

    def export_view(self, request):
        entries = selectors.exportable_resources(user=request.user)
        if not entries:
            raise PermissionDenied
        form = ExportChoiceForm(entries=entries, data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            content, content_type, filename = services.export_render(
                resource=form.cleaned_data["resource"], format=form.cleaned_data["format"]
            )
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        context = self._context(request, title="Export", form=form, columns=selectors.resource_columns())
        return TemplateResponse(request, "dataexchange/admin/export.html", context)
