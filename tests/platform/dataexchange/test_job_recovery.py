"""A worker that dies mid-run leaves no job stuck, and two deliveries of one job never run it twice.

The outbox leases a long message for `OUTBOX_LEASE_SECONDS`; when the worker dies the message is
delivered again after the lease (or at once, when staff retry it). The job it finds is still "checking"
or "importing": the run is done again from the file (a dead run's transaction died with it). While a
run is alive it holds the job's row lock and a second delivery leaves the job to it.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from dataexchange import services
from dataexchange.models import ImportJob
from sideeffects.delivery import outbox_message_deliver
from sideeffects.models import OutboxMessage
from tests.platform.dataexchange.conftest import upload
from tests.platform.dataexchange.test_products_import import product_rows

Product = get_model("catalogue", "Product")
Status = ImportJob.Status


def _job_uploaded(user, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=False):  # the worker never got the message
        return services.import_job_create(resource="products", format="csv", file=upload(product_rows(), "csv"),
                                          user=user)  # fmt: skip


def _worker_died(job: ImportJob, status: str, topic: str) -> OutboxMessage:
    """What a worker that claimed the message and the job, then died, leaves behind; the lease ended."""
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    message = OutboxMessage.objects.get(topic=topic, payload={"job_id": job.pk})
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=timezone.now())
    return message


def test_a_dry_run_left_checking_by_a_dead_worker_is_checked_when_delivered_again(
    shop, staff_user, django_capture_on_commit_callbacks
):
    job = _job_uploaded(staff_user, django_capture_on_commit_callbacks)
    message = _worker_died(job, Status.DRY_RUNNING, services.DRY_RUN_TOPIC)

    outbox_message_deliver(message_id=message.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_new, job.rows_rejected) == (Status.READY, 5, 0)
    assert job.checked_at is not None


def test_an_import_left_importing_by_a_dead_worker_imports_once_when_delivered_again(
    shop, staff_user, dry_run, django_capture_on_commit_callbacks
):
    job = dry_run("products", product_rows())
    with django_capture_on_commit_callbacks(execute=False):
        services.import_job_confirm(job=job, user=staff_user)
    message = _worker_died(job, Status.IMPORTING, services.IMPORT_TOPIC)

    outbox_message_deliver(message_id=message.pk)
    services.import_job_import(job_id=job.pk)  # a stray second delivery finds it done

    job.refresh_from_db()
    assert (job.status, job.rows_new) == (Status.DONE, 5)
    assert sorted(Product.objects.values_list("upc", flat=True)) == ["BOOK-1", "MUG-1", "TEE-1", "TEE-1-M", "TEE-1-S"]


@pytest.mark.django_db(transaction=True)
def test_a_second_delivery_leaves_a_live_run_alone(shop, staff_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are PostgreSQL's; SQLite has one writer")
    job = services.import_job_create(resource="products", format="csv", file=upload(product_rows(), "csv"),
                                     user=staff_user)  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(status=Status.DRY_RUNNING, rows_new=0, checked_at=None)  # as if claimed
    held, finish = threading.Event(), threading.Event()

    def live_run() -> None:  # a running dry run holds the job's row lock for its whole transaction
        try:
            with transaction.atomic():
                ImportJob.objects.select_for_update().get(pk=job.pk)
                held.set()
                finish.wait(30)
                ImportJob.objects.filter(pk=job.pk).update(status=Status.READY, rows_new=99)
        finally:
            connection.close()

    thread = threading.Thread(target=live_run)
    thread.start()
    try:
        assert held.wait(30)
        services.import_job_dry_run(job_id=job.pk)  # the lock is skipped, not waited for: nothing runs
        assert ImportJob.objects.get(pk=job.pk).checked_at is None
        claimed_too = ImportJob.objects.get(pk=job.pk)  # a delivery that claimed it just before the lock
    finally:
        finish.set()
        thread.join(30)

    assert services._run(job=claimed_too, dry_run=True) is None  # the other run finished meanwhile
    job.refresh_from_db()
    assert (job.status, job.rows_new, job.checked_at) == (Status.READY, 99, None)  # the live run's outcome
