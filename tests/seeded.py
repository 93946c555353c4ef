"""A demo shop seeded once per test module instead of once per test.

`seeded_shop(products=N, history=...)` makes a module-scoped fixture: `seed_demo` runs inside a transaction that stays
open while the module's tests run (each test's own `db` transaction nests in it as a savepoint, so what a
test writes is rolled back as before) and is rolled back when the module is done, so no other module
sees the shop. Only for modules whose tests use the plain `db` fixture: a `transaction=True` test
cannot run inside the open transaction.

`history=False` seeds without the customers' order history and reviews (`seed_demo --no-history`): about
a second less per seed, for modules that read only the catalogue and the site.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction


def seeded_shop(*, products: int, history: bool):
    @pytest.fixture(scope="module")
    def shop(django_db_setup, django_db_blocker):
        outer = transaction.atomic()
        with django_db_blocker.unblock():
            outer.__enter__()
            call_command("seed_demo", products=products, no_history=not history, no_progress=True, verbosity=0)
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return shop
