"""Search indexing during imports.

Products are indexed for search on every save (modelsearch's post_save handler). An import saves
thousands in one transaction, and the dry run rolls them all back, so indexing row by row is wasted work
(half of a product import's time on SQLite). While `indexing_deferred()` is active in a thread, saves of
indexed models in that thread are only noted; `reindex_schedule` writes outbox messages (in the import's
transaction) to index what the import wrote, in bulk, after it committed, retried until it succeeds
(ADR 0024). Other threads (web requests, other tasks) index as before.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler

from sideeffects.services import outbox_message_add

logger = logging.getLogger("dataexchange")
_state = threading.local()
REINDEX_TOPIC = "dataexchange.search_index"
REINDEX_CHUNK = 1000


def _post_save(sender, instance, **kwargs) -> None:
    pending = getattr(_state, "pending", None)
    if pending is not None and not kwargs.get("raw", False):
        pending[sender].add(instance.pk)
        return
    post_save_signal_handler(instance, **kwargs)


def install() -> None:
    """Put the deferring handler in place of modelsearch's for every indexed model (at app start)."""
    for model in index.get_indexed_models():
        if post_save.disconnect(post_save_signal_handler, sender=model):
            post_save.connect(_post_save, sender=model, dispatch_uid=f"dataexchange-index-{model._meta.label}")


@contextmanager
def indexing_deferred():
    """Collect the indexed objects saved in this thread instead of indexing them one by one."""
    previous = getattr(_state, "pending", None)
    _state.pending = defaultdict(set)
    try:
        yield _state.pending
    finally:
        _state.pending = previous


def indexing_note(model, pks) -> None:
    """Note objects written without a model signal (`bulk_create`) for the bulk pass; outside
    `indexing_deferred()` they are indexed at once."""
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending[model].update(pks)
    elif pks:
        reindex({model: set(pks)})


def reindex_schedule(pending: dict) -> int:
    """Write outbox messages to index the noted objects: one per model and chunk of ids (primary keys
    only). Call inside the import's transaction. Returns how many messages it wrote."""
    written = 0
    for model, pks in pending.items():
        ids = sorted(pk for pk in pks if pk is not None)
        for start in range(0, len(ids), REINDEX_CHUNK):
            payload = {"model": model._meta.label_lower, "ids": ids[start : start + REINDEX_CHUNK]}
            outbox_message_add(topic=REINDEX_TOPIC, payload=payload)
            written += 1
    return written


def reindex_objects(*, model: str, ids: list[int]) -> int:
    """Index the objects of `model` ("app_label.model") with these ids that still exist."""
    return reindex({apps.get_model(model): set(ids)})


def reindex(pending: dict) -> int:
    """Index the noted objects that still exist, in bulk; returns how many. Call after commit."""
    count = 0
    for model, pks in pending.items():
        ids = sorted(pk for pk in pks if pk is not None)
        for start in range(0, len(ids), 1000):
            objects = list(model.get_indexed_objects().filter(pk__in=ids[start : start + 1000]))
            for _name, backend in get_search_backends_with_name(with_auto_update=True):
                backend.add_bulk(model, objects)
            count += len(objects)
    logger.info("search index: %s imported objects indexed", count)
    return count
