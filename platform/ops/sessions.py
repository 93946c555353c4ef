"""Django's database sessions (`SESSION_ENGINE = "ops.sessions"`), with fewer statements per request.

- Django's `SessionBase._get_new_session_key` asks the database whether a random key is free before the
  database backend inserts it; the insert itself refuses a taken key (`save(must_create=True)` raises
  `CreateError` and `create()` draws again), so the question is redundant. Without it a shopper's first
  page (the product page remembers what they viewed) writes its new session in one query instead of two.
- Django saves a session inside `transaction.atomic()`: outside a transaction that is a BEGIN and a
  COMMIT around one INSERT or UPDATE, which is atomic by itself (on SQLite the BEGIN is a statement of
  its own, on PostgreSQL two round trips). Outside a transaction the row is written alone; inside one
  (`ATOMIC_REQUESTS`, a test) Django's savepoint stays, so a refused key cannot break the outer
  transaction.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError, IntegrityError, router, transaction
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        if transaction.get_connection(using).in_atomic_block:
            return super().save(must_create=must_create)
        row = self.create_model_instance(self._get_session(no_load=must_create))
        try:
            row.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError from None
            raise
        return None
