"""Outbox handlers of imports (ADR 0024): the dry run and the import are long and commit on their own
(atomic=False: the outbox claims the message for `OUTBOX_LEASE_SECONDS` while they run); indexing what
an import wrote is short and runs in the delivery's transaction."""

from sideeffects.registry import outbox_handler

from . import services
from .search_index import REINDEX_TOPIC, reindex_objects


@outbox_handler(services.DRY_RUN_TOPIC, atomic=False)
def import_job_dry_run(*, job_id: int) -> None:
    services.import_job_dry_run(job_id=job_id)


@outbox_handler(services.IMPORT_TOPIC, atomic=False)
def import_job_import(*, job_id: int) -> None:
    services.import_job_import(job_id=job_id)


@outbox_handler(REINDEX_TOPIC)
def search_index_update(*, model: str, ids: list[int]) -> None:
    reindex_objects(model=model, ids=ids)
