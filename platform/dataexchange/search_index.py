"""Search indexing during imports.

Products are indexed for search on every save (modelsearch's post_save handler). An import saves
thousands in one transaction, and the dry run rolls them all back, so indexing row by row is wasted work
(half of a product import's time on SQLite). While `indexing_deferred()` is active in a thread, saves of
indexed models in that thread are only noted; `reindex_schedule` writes outbox messages (in the import's
transaction) to index what the import wrote, in bulk, after it committed, retried until it succeeds
(ADR 0024). Other threads (web requests, other tasks) index as before.

The bulk pass on PostgreSQL writes the index entries modelsearch's `add_bulk` writes, with the same SQL,
but reads each object's search fields once instead of five times (modelsearch's indexer reads them for
the title, the body, the autocomplete text and the two plain texts, each time through every related
row): 5 ms per product otherwise, most of an import's indexing (ADR 0056). A test holds both to the
same index rows.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_save
from django.db.models.sql.subqueries import InsertQuery
from django.utils.functional import cached_property
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.backends.database.postgres.postgres import IndexEntry, ObjectIndexer, PostgresSearchBackend
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.signal_handlers import post_save_signal_handler
from modelsearch.utils import get_content_type_pk

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
                if isinstance(backend, PostgresSearchBackend):
                    postgres_add_bulk(backend, model, objects)
                else:
                    backend.add_bulk(model, objects)
            count += len(objects)
    logger.info("search index: %s imported objects indexed", count)
    return count


class _OnePassIndexer(ObjectIndexer):
    """modelsearch's PostgreSQL indexer, reading the object's search fields once for all five values."""

    @cached_property
    def _prepared(self) -> list:
        return [item for fld in self.search_fields for item in self.prepare_field(self.obj, fld)]

    def _texts(self, *, title: bool) -> list:
        return [
            (value, boost)
            for fld, boost, value in self._prepared
            if isinstance(fld, SearchField) and (fld.field_name == "title") == title
        ]

    @cached_property
    def title(self):
        return self.as_vector(self._texts(title=True))

    @cached_property
    def body(self):
        return self.as_vector(self._texts(title=False))

    @cached_property
    def autocomplete(self):
        texts = [(value, boost) for fld, boost, value in self._prepared if isinstance(fld, AutocompleteField)]
        return self.as_vector(texts, for_autocomplete=True)

    def _plain_text(self, *, title: bool) -> str:
        return " ".join(text for text in (value.strip() for value, _ in self._texts(title=title)) if text)

    @cached_property
    def title_text(self) -> str:
        return self._plain_text(title=True)

    @cached_property
    def body_text(self) -> str:
        return self._plain_text(title=False)


def postgres_add_bulk(backend, model, objects: list) -> None:
    """`backend.add_bulk(model, objects)` of modelsearch's PostgreSQL backend (`PostgresIndex.add_items`,
    modelsearch 1.3): the same INSERT ... ON CONFLICT and title norms, with `_OnePassIndexer`."""
    if not model.get_search_fields() or not objects:
        return
    search_index = backend.get_index_for_model(model)
    connection = search_index.write_connection
    compiler = InsertQuery(IndexEntry).get_compiler(connection=connection)
    content_type_pk = get_content_type_pk(model)
    columns = [IndexEntry._meta.get_field(name) for name in ("title", "autocomplete", "body")]
    rows, params = [], []
    for obj in objects:
        indexer = _OnePassIndexer(obj, backend)
        params.extend((content_type_pk, indexer.id))
        vectors = []
        for column, vector in zip(columns, (indexer.title, indexer.autocomplete, indexer.body), strict=True):
            sql, vector_params = compiler.prepare_value(column, vector).as_sql(compiler, connection)
            vectors.append(sql)
            params.extend(vector_params)
        params.extend((indexer.title_text, indexer.body_text))
        rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title, autocomplete, body,"
            f" title_norm, title_text, body_text) (VALUES {', '.join(rows)})"
            " ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0,"
            " autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, title_text = EXCLUDED.title_text,"
            " body_text = EXCLUDED.body_text",
            params,
        )
    search_index._refresh_title_norms()
