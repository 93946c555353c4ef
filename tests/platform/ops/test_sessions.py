"""Database sessions (`ops.sessions`): a new session is one INSERT, and outside a transaction it is
written alone, without a transaction around it (a BEGIN and a COMMIT: round trips, on SQLite a
statement of its own)."""

import pytest
from django.contrib.sessions.backends.base import CreateError
from django.db import connection, transaction

from ops.sessions import SessionStore


def _written(store: SessionStore, **save) -> list[tuple[str, bool]]:
    """Each statement of `store.save(**save)` and whether it ran inside a transaction."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql.split()[0].upper(), connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        store.save(**save)
    return seen


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request without ATOMIC_REQUESTS
def test_a_new_and_a_changed_session_are_one_statement_each_outside_a_transaction():
    store = SessionStore()
    store["hypex_recently_viewed"] = [1]

    assert _written(store) == [("INSERT", False)]  # the key is not looked up first, no BEGIN
    store["hypex_recently_viewed"] = [2, 1]
    assert _written(store) == [("UPDATE", False)]
    assert SessionStore(session_key=store.session_key).load()["hypex_recently_viewed"] == [2, 1]


@pytest.mark.django_db(transaction=True)
def test_a_taken_key_is_refused_and_a_new_one_drawn():
    first = SessionStore()
    first.create()
    taken = SessionStore(session_key=first.session_key)
    taken._session_cache = {"x": 1}

    with pytest.raises(CreateError):
        taken.save(must_create=True)
    taken.create()  # draws again
    assert taken.session_key != first.session_key


@pytest.mark.django_db
def test_inside_a_transaction_a_refused_key_leaves_the_transaction_usable():
    first = SessionStore()
    first.create()
    with transaction.atomic():
        taken = SessionStore(session_key=first.session_key)
        taken._session_cache = {"x": 1}
        with pytest.raises(CreateError):
            taken.save(must_create=True)
        assert SessionStore(session_key=first.session_key).exists(first.session_key)  # still usable
