"""Where a change comes from: the source, the actor, the group (cid) and the address, held in a context
variable while a request, a task, an import or a bulk change runs (ADR 0047).

- `AuditSourceMiddleware` opens the context for the back office (`/admin/`), the CMS (`/cms/`) and the
  staff API (`/api/v1/staff/`) and switches auditing off for every other request (storefront, customer
  API): the audit trail records staff changes, and the shop's hot paths pay nothing for it.
- The actor of a request is read when an entry is written, not when the request starts: the API
  authenticates (JWT) in the view, after the middleware.
- An import or a bulk change opens a nested context (`audit_context(source=..., cid=...)`) that keeps
  the outer actor unless it names its own.
- Outside any request a huey task is `task` and anything else (shell, commands) is `shell`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from auditlog.context import auditlog_disabled, disable_auditlog
from django.conf import settings
from django.contrib.auth import get_user_model

from apibase.client_ip import client_ip
from ops.request_id import current_request_id

from .models import Source

_INHERIT: Any = object()


@dataclass(frozen=True)
class AuditContext:
    source: str
    #: a user, or a callable giving the user when an entry is written (a request's user), or None
    actor: Any = None
    cid: str | None = None
    remote_addr: str | None = None

    def actor_user(self):
        actor = self.actor() if callable(self.actor) else self.actor
        if isinstance(actor, get_user_model()) and actor.is_authenticated:
            return actor
        return None


_DEFAULT = AuditContext(source=Source.SHELL)
_context: ContextVar[AuditContext | None] = ContextVar("hypex_audit_context", default=None)


def audit_context_current() -> AuditContext:
    return _context.get() or _DEFAULT


def audit_enabled() -> bool:
    return not auditlog_disabled.get()


@contextlib.contextmanager
def audit_context(
    *, source: str, actor: Any = _INHERIT, cid: str | None = _INHERIT, remote_addr: str | None = _INHERIT
) -> Iterator[AuditContext]:
    """Record the changes made inside as coming from `source`; what is not given is kept from the outer
    context (an import confirmed in the back office keeps the staff member as its actor)."""
    outer = audit_context_current()
    inner = replace(
        outer,
        source=source,
        actor=outer.actor if actor is _INHERIT else actor,
        cid=outer.cid if cid is _INHERIT else cid,
        remote_addr=outer.remote_addr if remote_addr is _INHERIT else remote_addr,
    )
    token = _context.set(inner)
    try:
        yield inner
    finally:
        _context.reset(token)


def current_cid() -> str | None:
    """`AUDITLOG_CID_GETTER`: the group of the entry being written."""
    return audit_context_current().cid


def audit_entry_fill(entry) -> None:
    """Put the current context on an entry about to be written (auditlog's or ours)."""
    context = audit_context_current()
    entry.source = context.source
    if entry.actor_id is None:
        actor = context.actor_user()
        if actor is not None:
            entry.actor = actor
            entry.actor_email = (actor.email or "")[:254] or None
    if not entry.cid:
        entry.cid = context.cid
    if entry.remote_addr is None:
        entry.remote_addr = context.remote_addr


# -- Requests ---------------------------------------------------------------------------------------


def audit_source_of_path(path: str) -> str | None:
    """The source of a request to `path`, or None when changes made there are not audited."""
    for prefix, source in settings.AUDITTRAIL_SOURCES_BY_PATH:
        if path.startswith(prefix):
            return source
    return None


def _request_actor(request) -> Callable[[], Any]:
    def actor():
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated and user.is_staff else None

    return actor


class AuditSourceMiddleware:
    """After authentication: opens the audit context of a staff request, or turns auditing off."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        source = audit_source_of_path(request.path_info)
        if source is None:
            with disable_auditlog():
                return self.get_response(request)
        with audit_context(
            source=source,
            actor=_request_actor(request),
            cid=getattr(request, "request_id", None) or current_request_id(),
            remote_addr=client_ip(request),
        ):
            return self.get_response(request)


# -- Tasks ------------------------------------------------------------------------------------------

_task_tokens: dict[str, Any] = {}


def audit_task_hooks_install(huey) -> None:
    """A huey task's changes are `task` with the task's id as their group, unless the task opens a
    context of its own (an import). Changes of a task run in-process inside a request that is not
    audited stay unaudited (the flag is the request's)."""

    @huey.pre_execute(name="audittrail_context")
    def _begin(task) -> None:
        _task_tokens[task.id] = _context.set(AuditContext(source=Source.TASK, cid=f"task:{task.id}"))

    @huey.post_execute(name="audittrail_context")
    def _end(task, task_value, exc) -> None:
        token = _task_tokens.pop(task.id, None)
        if token is not None:
            with contextlib.suppress(ValueError):
                _context.reset(token)
