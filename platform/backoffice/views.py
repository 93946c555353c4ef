"""Back office pages outside the model admins: the huey task monitor."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .selectors import task_queue_overview
from .services import QUEUE_OUTAGE_ERRORS, BackofficeError, task_failure_dismiss, task_failure_retry


def project_huey():
    from huey.contrib import djhuey

    return djhuey.HUEY


@staff_member_required
@require_http_methods(["GET", "POST"])
def task_monitor(request):
    """Queued and scheduled tasks and recent failures; POST `action=retry|dismiss` with `task_id`.
    Superusers only: it shows task arguments and tracebacks."""
    if not request.user.is_superuser:
        raise PermissionDenied
    huey = project_huey()
    if request.method == "POST":
        task_id = request.POST.get("task_id", "")
        action = request.POST.get("action")
        try:
            if action == "retry":
                task_failure_retry(huey=huey, task_id=task_id)
                messages.success(request, f"Task {task_id} is queued again.")
            elif action == "dismiss":
                task_failure_dismiss(huey=huey, task_id=task_id)
                messages.success(request, f"Failure {task_id} dismissed.")
            else:
                messages.error(request, "Unknown action.")
        except BackofficeError as error:
            messages.error(request, str(error))
        return redirect("backoffice-tasks")
    try:
        overview, queue_error = task_queue_overview(huey=huey), ""
    except QUEUE_OUTAGE_ERRORS as exc:  # Redis away: say so instead of a 500 (ADR 0025)
        overview, queue_error = None, f"The task queue's storage does not answer ({type(exc).__name__}: {exc})."
    context = {
        **admin.site.each_context(request),
        "title": "Task monitor",
        "overview": overview,
        "queue_error": queue_error,
        "huey_mode": getattr(settings, "HUEY_MODE", ""),
    }
    return render(request, "backoffice/task_monitor.html", context)
