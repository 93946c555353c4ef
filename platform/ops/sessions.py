"""Django's database sessions (`SESSION_ENGINE = "ops.sessions"`), less one query per new session.

Django's `SessionBase._get_new_session_key` asks the database whether a random key is free before the
database backend inserts it; the insert itself refuses a taken key (`save(must_create=True)` raises
`CreateError` and `create()` draws again), so the question is redundant. Without it a shopper's first
page (the product page remembers what they viewed) writes its new session in one query instead of two.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)
