"""Back office pages outside the model admins: the task monitor (ADR 0017, 0037).

`/admin/tasks/` shows huey's workers, queue, schedule, running tasks, recent runs and failures, how
periodic tasks run, and the outbox. For superusers and the Operations role (`TASK_MONITOR_PERMISSION`;
it shows task arguments and tracebacks); other staff get 403.

Every action is a POST (with CSRF) of `action=<name>` and its fields. The first POST answers with a
confirmation page saying what will happen; only a POST with `confirm=yes` acts, through a service, and
is written to the admin log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from huey.contrib import djhuey

from sideeffects import services as outbox_services
from sideeffects.models import OutboxMessage

from .roles import TASK_MONITOR_PERMISSION
from .services import (
    QUEUE_OUTAGE_ERRORS,
    BackofficeError,
    admin_log_add,
    task_failure_dismiss,
    task_failure_retry,
    task_queue_flush,
    task_recent_runs_purge,
)
from .task_selectors import outbox_overview, task_queue_overview

DEFAULT_PURGE_DAYS = 30
OUTBOX_RETRY_BATCH = 100


def project_huey():
    return djhuey.HUEY


@dataclass(frozen=True)
class Action:
    """`question` and `button` make the confirmation page (formatted with the POSTed fields); `run`
    acts and returns the message for staff (and the admin log)."""

    question: str
    button: str
    run: Callable[[HttpRequest, dict], str]
    danger: bool = False


def _message_id(fields: dict) -> int:
    try:
        return int(fields.get("message_id", ""))
    except ValueError:
        raise BackofficeError("No such outbox message.") from None


def _days(fields: dict) -> int:
    try:
        days = int(fields.get("days", ""))
    except ValueError:
        days = 0
    if days < 1:
        raise BackofficeError("Give the number of days (1 or more) to keep delivered messages.")
    return days


def _retry(request, fields) -> str:
    task_id = task_failure_retry(huey=project_huey(), task_id=fields.get("task_id", ""))
    admin_log_add(user=request.user, message=f"Retried failed task {task_id}.")
    return f"Task {task_id} is queued again."


def _dismiss(request, fields) -> str:
    task_id = fields.get("task_id", "")
    task_failure_dismiss(huey=project_huey(), task_id=task_id)
    admin_log_add(user=request.user, message=f"Dismissed the failure of task {task_id}.", deletion=True)
    return f"Failure {task_id} dismissed."


def _flush_queue(request, fields) -> str:
    count = task_queue_flush(huey=project_huey())
    admin_log_add(user=request.user, message=f"Emptied the task queue ({count} queued tasks dropped).", deletion=True)
    return f"The queue is empty: {count} queued tasks dropped."


def _purge_recent(request, fields) -> str:
    count = task_recent_runs_purge(huey=project_huey())
    admin_log_add(user=request.user, message=f"Purged the recent task runs ({count}).", deletion=True)
    return f"Recent runs forgotten ({count})."


def _outbox_message(fields) -> OutboxMessage:
    message = OutboxMessage.objects.filter(pk=_message_id(fields)).first()
    if message is None:
        raise BackofficeError("No such outbox message (purged or dismissed already).")
    return message


def _outbox_retry(request, fields) -> str:
    message = _outbox_message(fields)
    outcome = outbox_services.outbox_message_retry(message_id=message.pk)
    admin_log_add(user=request.user, message=f"Retried outbox message #{message.pk}: {outcome}.", obj=message)
    return f"Outbox message #{message.pk}: {outcome}."


def _outbox_retry_failed(request, fields) -> str:
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:OUTBOX_RETRY_BATCH]
    )
    outcomes: dict[str, int] = {}
    for message_id in ids:
        outcome = str(outbox_services.outbox_message_retry(message_id=message_id))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())) or "none failed"
    admin_log_add(user=request.user, message=f"Retried {len(ids)} failed outbox messages: {summary}.")
    return f"Retried {len(ids)} failed outbox messages: {summary}."


def _outbox_dismiss(request, fields) -> str:
    message = _outbox_message(fields)
    if not outbox_services.outbox_message_dismiss(message_id=message.pk):
        raise BackofficeError(f"Outbox message #{message.pk} is {message.status}, not failed: it was not dismissed.")
    admin_log_add(user=request.user, message=f"Dismissed failed outbox message #{message.pk}.", obj=message,
                  deletion=True)  # fmt: skip
    return f"Outbox message #{message.pk} ({message.topic}) dismissed: it will not be delivered."


def _outbox_purge(request, fields) -> str:
    days = _days(fields)
    count = outbox_services.outbox_delivered_purge(older_than_days=days)
    admin_log_add(user=request.user, message=f"Purged {count} outbox messages delivered over {days} days ago.",
                  deletion=True)  # fmt: skip
    return f"{count} delivered outbox messages older than {days} days deleted."


ACTIONS: dict[str, Action] = {
    "retry": Action("Run failed task {task_id} again, with its original arguments?", "Retry", _retry),
    "dismiss": Action("Forget the failure of task {task_id} without running it again?", "Dismiss", _dismiss, True),
    "flush_queue": Action(
        "Drop every task waiting in the queue ({pending_count} now)? Scheduled tasks, results and failures "
        "stay. Outbox deliveries are picked up by the relay; other dropped work is lost.",
        "Empty the queue",
        _flush_queue,
        True,
    ),
    "purge_recent": Action("Forget the lists of recent successes and errors?", "Purge", _purge_recent, True),
    "outbox_retry": Action("Try outbox message #{message_id} again now?", "Retry", _outbox_retry),
    "outbox_retry_failed": Action(
        f"Try every failed outbox message again (at most {OUTBOX_RETRY_BATCH})?", "Retry all", _outbox_retry_failed
    ),
    "outbox_dismiss": Action(
        "Give up on failed outbox message #{message_id}? Its side effect (an email, an SMS) will never happen.",
        "Dismiss",
        _outbox_dismiss,
        True,
    ),
    "outbox_purge": Action(
        "Delete the outbox messages delivered more than {days} days ago?", "Delete", _outbox_purge, True
    ),
}
FIELDS = ("task_id", "message_id", "days")


def _post(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("action", "")
    action = ACTIONS.get(name)
    if action is None:
        messages.error(request, "Unknown action.")
        return redirect("backoffice-tasks")
    fields = {key: request.POST[key] for key in FIELDS if key in request.POST}
    if request.POST.get("confirm") != "yes":
        try:
            pending_count = project_huey().pending_count() if name == "flush_queue" else 0
        except QUEUE_OUTAGE_ERRORS:
            pending_count = "?"
        context = {
            **admin.site.each_context(request),
            "title": "Task monitor: confirm",
            "question": action.question.format_map(
                {**dict.fromkeys(FIELDS, ""), "pending_count": pending_count, **fields}
            ),
            "button": action.button,
            "danger": action.danger,
            "action": name,
            "fields": fields,
        }
        return render(request, "backoffice/task_monitor_confirm.html", context)
    try:
        messages.success(request, action.run(request, fields))
    except BackofficeError as error:
        messages.error(request, str(error))
    return redirect("backoffice-tasks")


@staff_member_required
@require_http_methods(["GET", "POST"])
def task_monitor(request):
    if not request.user.has_perm(TASK_MONITOR_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        return _post(request)
    huey = project_huey()
    try:
        overview, queue_error = task_queue_overview(huey=huey), ""
    except QUEUE_OUTAGE_ERRORS as exc:  # Redis away: say so instead of a 500 (ADR 0025)
        overview, queue_error = None, f"The task queue's storage does not answer ({type(exc).__name__}: {exc})."
    context = {
        **admin.site.each_context(request),
        "title": "Task monitor",
        "overview": overview,
        "queue_error": queue_error,
        "outbox": outbox_overview(purge_days=DEFAULT_PURGE_DAYS),
        "huey_mode": getattr(settings, "HUEY_MODE", ""),
        "heartbeat_seconds": getattr(settings, "TASK_MONITOR_HEARTBEAT_SECONDS", 15),
    }
    return render(request, "backoffice/task_monitor.html", context)
