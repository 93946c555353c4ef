"""Writes behind the back office's bulk actions and voucher sets.

Each function is one transaction; callers pass querysets or instances, never request data. Business
rule violations raise `BackofficeError` with a message fit for staff. Bulk price and category changes,
previewed and undoable, are in `bulk_changes.py`. The catalogue writes are bulk
(`update()`, `bulk_update`, `bulk_create`: no model signals), so each invalidates the anonymous
catalogue cache itself, after its commit (ADR 0023), and records its rows in the audit trail itself
(source `bulk`; ADR 0047).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from oscar.apps.voucher.utils import generate_code
from oscar.core.loading import get_model

from audittrail.context import audit_context
from audittrail.models import Source
from audittrail.services import audit_copies, audit_creates_record, audit_updates_record, audit_values_record
from catalogue.cache import catalogue_cache_invalidate
from catalogue.catalogue.product_events import product_updated_collect
from ops.circuit import REDIS_OUTAGE_ERRORS as QUEUE_OUTAGE_ERRORS

from .task_activity import recent_runs_purge
from .task_failures import failure_key

Product = get_model("catalogue", "Product")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")

#: Bounds for a bulk price change in percent: never to zero or below, never more than elevenfold.
MIN_PERCENT = Decimal("-99")
MAX_PERCENT = Decimal("1000")
#: Most vouchers one set may hold (each is a row; bigger campaigns use several sets).
MAX_VOUCHER_SET_SIZE = 10_000


class BackofficeError(Exception):
    """A staff action that cannot be done; the message says why."""


def product_publish(*, products: QuerySet) -> int:
    """Make the products (and their variants) visible in the shop; returns how many changed."""
    return _products_visibility_set(products=products, is_public=True)


def product_unpublish(*, products: QuerySet) -> int:
    """Hide the products (and their variants) from the shop; returns how many changed."""
    return _products_visibility_set(products=products, is_public=False)


def _products_visibility_set(*, products: QuerySet, is_public: bool) -> int:
    with transaction.atomic(), audit_context(source=Source.BULK):
        targets = list(
            products_with_variants(products).filter(is_public=not is_public).select_related("parent").order_by("pk")
        )
        changed = Product.objects.filter(pk__in=[p.pk for p in targets]).update(is_public=is_public)
        audit_values_record(model=Product, rows=[(p, {"is_public": (not is_public, is_public)}) for p in targets])
        if changed:
            catalogue_cache_invalidate()
            product_updated_collect(product_ids=[p.pk for p in targets])  # webhooks (ADR 48)
    return changed


def products_with_variants(products: QuerySet) -> QuerySet:
    """The products and their variants (also the rows `bulk_changes` plans for)."""
    ids = list(products.values_list("pk", flat=True))
    return Product.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))


def _unused_codes(*, count: int, length: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        batch = {generate_code(length) for _ in range(count - len(codes))}
        batch -= set(Voucher.objects.filter(code__in=batch).values_list("code", flat=True))
        codes |= batch
    return sorted(codes)


def voucher_set_generate(*, voucher_set, usage: str, offers: Iterable) -> int:
    """Bring the set's vouchers in line with the set: same name prefix, dates, usage and offers for
    all, and new vouchers with fresh unique codes until there are `voucher_set.count` of them.

    Existing vouchers are never deleted (their codes may be out in the world). Call inside the
    transaction that saved the set; returns how many vouchers were created.
    """
    if usage not in dict(Voucher.USAGE_CHOICES):
        raise BackofficeError("Choose how the vouchers may be used.")
    if not 0 < voucher_set.count <= MAX_VOUCHER_SET_SIZE:
        raise BackofficeError(f"A voucher set holds between 1 and {MAX_VOUCHER_SET_SIZE} vouchers.")
    offers = list(offers)
    with transaction.atomic():
        voucher_set = VoucherSet.objects.select_for_update().get(pk=voucher_set.pk)
        existing = list(voucher_set.vouchers.order_by("date_created", "pk"))
        before = audit_copies(existing)
        if len(existing) > voucher_set.count:
            raise BackofficeError(
                f"The set already holds {len(existing)} vouchers; delete vouchers to make it smaller."
            )
        for number, voucher in enumerate(existing, start=1):
            voucher.name = f"{voucher_set.name} - {number}"
            voucher.usage = usage
            voucher.start_datetime = voucher_set.start_datetime
            voucher.end_datetime = voucher_set.end_datetime
        Voucher.objects.bulk_update(existing, ["name", "usage", "start_datetime", "end_datetime"])
        audit_updates_record(objects=existing, before=before)
        missing = voucher_set.count - len(existing)
        codes = _unused_codes(count=missing, length=voucher_set.code_length)
        created = Voucher.objects.bulk_create(
            [
                Voucher(
                    name=f"{voucher_set.name} - {len(existing) + i}",
                    code=code,
                    voucher_set=voucher_set,
                    usage=usage,
                    start_datetime=voucher_set.start_datetime,
                    end_datetime=voucher_set.end_datetime,
                )
                for i, code in enumerate(codes, start=1)
            ]
        )
        audit_creates_record(objects=created)
        through = Voucher.offers.through
        vouchers = list(voucher_set.vouchers.values_list("pk", flat=True))
        through.objects.filter(voucher_id__in=vouchers).delete()
        through.objects.bulk_create(
            [through(voucher_id=v, conditionaloffer_id=offer.pk) for v in vouchers for offer in offers]
        )
    return len(created)


# -- Task monitor (huey) ----------------------------------------------------------------------------


class TaskQueueUnavailable(BackofficeError):
    """The queue's storage (Redis) does not answer: nothing was changed; try again later."""


@contextmanager
def _queue_reachable():
    try:
        yield
    except QUEUE_OUTAGE_ERRORS as exc:
        raise TaskQueueUnavailable(
            f"The task queue is unavailable ({type(exc).__name__}); nothing was changed. Try again when Redis is back."
        ) from exc


def task_failure_retry(*, huey, task_id: str) -> str:
    """Enqueue a task that failed for good again, with its original arguments and retries; the
    failure record and the stored error are removed. Returns the task id (unchanged)."""
    with _queue_reachable():
        record = huey.get(failure_key(task_id), peek=True)
        if record is None:
            raise BackofficeError("That failure is no longer recorded (already retried or dismissed).")
        task = huey.deserialize_task(record["message"])
        task.retries = task.default_retries
        huey.delete(failure_key(task_id))
        huey.delete(task_id)  # the Error result of the failed run
        huey.enqueue(task)
    return task.id


def task_failure_dismiss(*, huey, task_id: str) -> None:
    """Forget a failure without running the task again."""
    with _queue_reachable():
        deleted = huey.delete(failure_key(task_id))
    if not deleted:
        raise BackofficeError("That failure is no longer recorded (already retried or dismissed).")


def task_queue_flush(*, huey) -> int:
    """Drop every task waiting in the queue (not the schedule, not results, not failure records);
    returns how many were queued just before. Tasks enqueued between the count and the drop are dropped
    too. The work they stood for is lost unless something enqueues it again: outbox deliveries are
    picked up by the relay (ADR 0024), periodic tasks run again at their next time."""
    with _queue_reachable():
        count = huey.pending_count()
        huey.storage.flush_queue()
    return count


def task_recent_runs_purge(*, huey) -> int:
    """Forget the monitor's lists of recent successes and errors; returns how many runs were listed."""
    with _queue_reachable():
        return recent_runs_purge(huey)


def admin_log_add(*, user, message: str, obj=None, deletion: bool = False) -> None:
    """Record a staff action in Django's admin log (LogEntry: the admin's "recent actions"), on `obj` if
    given, else on no object (a huey action). `deletion` marks it as a deletion."""
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else None,
        object_repr=(str(obj) if obj is not None else "Task monitor")[:200],
        action_flag=DELETION if deletion else CHANGE,
        change_message=message,
    )
