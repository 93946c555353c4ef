"""Each test process's database is a copy of one migrated template, not a migration run of its own
(docs/adr/0038-test-databases-copied-from-a-migrated-template.md).

Applying the 330-odd migrations takes about 40 s of CPU, and every pytest-xdist worker of every suite
paid it. Now the first process that needs a database of a given schema migrates a *template* once, under a
file lock, and every worker copies it: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on
PostgreSQL (well under a second each). The template's name carries a fingerprint of every migration
file Django loads (ours and the libraries'), so a changed or added migration builds a new one and the
old one is removed; nothing stale is ever copied. CI builds the templates beside the static checks
(`scripts/test-db-template`), so the suites start on copies.

Contract: `worker_databases_setup()` leaves every connection pointing at a fresh, fully migrated database
of its own (the name pytest-django chose, `..._gw0` under xdist) and returns what Django's
`teardown_databases` needs to drop it again.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections

_LOCK_PATH = Path(settings.BASE_DIR) / "var" / "test-db-template.lock"
_FINGERPRINT_LENGTH = 12
_CLONE_ATTEMPTS = 20
# alias -> (template prefix, template name) of this process's databases, recorded at setup: afterwards the
# connection's NAME is the copy's, from which Django would derive other test names.
_active_templates: dict[str, tuple[str, str]] = {}


def migrations_fingerprint() -> str:
    """A digest of every migration file on disk, ours and the installed libraries'."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app_label, name in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[app_label, name].__module__]
        digest.update(f"{app_label}.{name}\n".encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:_FINGERPRINT_LENGTH]


def _is_sqlite(connection) -> bool:
    return connection.vendor == "sqlite"


def _test_name(connection) -> str:
    return connection.creation._get_test_db_name()


def _template_prefix(connection) -> str:
    """Templates of this database, whatever their fingerprint: `<test name>.template-` or `<test>_tpl_`."""
    base = _test_name(connection)
    if _is_sqlite(connection):
        return f"{base.rsplit('_gw', 1)[0]}.template-"
    return f"{base.rsplit('_gw', 1)[0]}_tpl_"


def template_name(connection, fingerprint: str) -> str:
    return f"{_template_prefix(connection)}{fingerprint}"


@contextmanager
def _file_lock():
    _LOCK_PATH.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK_PATH.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _close(connection) -> None:
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()


def _point_at(connection, name: str) -> None:
    _close(connection)
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _pg_databases(connection, like: str) -> list[str]:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [like.replace("_", r"\_") + "%"])
        return [row[0] for row in cursor.fetchall()]


def _template_exists(connection, name: str) -> bool:
    if _is_sqlite(connection):
        return Path(name).exists()
    return name in _pg_databases(connection, name)


def templates_present(connection, prefix: str) -> list[str]:
    """Every template of this database that exists now, whatever its fingerprint."""
    if _is_sqlite(connection):
        return [str(path) for path in Path(prefix).parent.glob(Path(prefix).name + "*")]
    return _pg_databases(connection, prefix)


def _templates_remove_except(connection, keep: str) -> None:
    stale = [name for name in templates_present(connection, _template_prefix(connection)) if name != keep]
    if _is_sqlite(connection):
        for name in stale:
            Path(name).unlink(missing_ok=True)
        return
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        for name in stale:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")


def _template_build(connection, name: str, verbosity: int) -> None:
    """Migrate a database under a temporary name, then give it the template's name in one step, so a
    half-built template (a killed run) is never copied."""
    original_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    original_test_name = test_settings.get("NAME")
    building = f"{name}.building" if _is_sqlite(connection) else f"{name}_building"
    test_settings["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    finally:
        test_settings["NAME"] = original_test_name
        _point_at(connection, original_name)
    if _is_sqlite(connection):
        Path(building).replace(name)
        return
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(name)}")


def template_ensure(connection, verbosity: int = 0, *, fresh: bool = False) -> str:
    """The name of this database's migrated template, built first if it does not exist yet (or, with
    `fresh`, built again from empty even if it does)."""
    name = template_name(connection, migrations_fingerprint())
    with _file_lock():
        if fresh or not _template_exists(connection, name):
            started = time.monotonic()
            _template_build(connection, name, verbosity)
            _templates_remove_except(connection, name)
            if verbosity:
                print(f"test database template {name} migrated in {time.monotonic() - started:.0f}s")
    return name


def active_template(alias: str = "default") -> tuple[str, str]:
    """(prefix of every template of this database, the template this process's copy was made from)."""
    return _active_templates[alias]


def _copy(connection, template: str, target: str) -> None:
    if _is_sqlite(connection):
        for leftover in (target, f"{target}-journal", f"{target}-wal", f"{target}-shm"):
            Path(leftover).unlink(missing_ok=True)
        shutil.copyfile(template, target)
        return
    quote = connection.ops.quote_name
    for attempt in range(_CLONE_ATTEMPTS):
        try:
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
                cursor.execute(f"CREATE DATABASE {quote(target)} WITH TEMPLATE {quote(template)}")
            return
        except Exception as error:  # another worker is copying the same template this instant
            if "is being accessed by other users" not in str(error) or attempt == _CLONE_ATTEMPTS - 1:
                raise
            time.sleep(0.25)


def worker_databases_setup(verbosity: int = 0) -> list[tuple]:
    """Point every connection at its own copy of the migrated template; return Django's old_config."""
    old_config = []
    for connection in connections.all():
        template = template_ensure(connection, verbosity)
        _active_templates[connection.alias] = (_template_prefix(connection), template)
        original_name = connection.settings_dict["NAME"]
        target = _test_name(connection)
        _close(connection)
        _copy(connection, template, target)
        _point_at(connection, target)
        old_config.append((connection, original_name, True))
    return old_config


def main(argv: list[str]) -> None:
    """Build the templates before the suites start (CI does it beside the static checks); with
    `--copy-to NAME`, also copy the default database's template to NAME (the contract check's SQLite file)."""
    import argparse

    import django

    parser = argparse.ArgumentParser(prog="scripts/test-db-template")
    parser.add_argument("--copy-to", metavar="NAME", help="copy the default database's template to NAME")
    parser.add_argument("--fresh", action="store_true", help="migrate from empty even if the template exists")
    arguments = parser.parse_args(argv)
    django.setup()
    templates = {}
    for connection in connections.all():
        started = time.monotonic()
        templates[connection.alias] = template_ensure(connection, fresh=arguments.fresh)
        print(
            f"test-db-template: {connection.alias} {templates[connection.alias]} ready in "
            f"{time.monotonic() - started:.0f}s",
            flush=True,
        )
    if arguments.copy_to:
        _copy(connections["default"], templates["default"], arguments.copy_to)
        print(f"test-db-template: copied to {arguments.copy_to}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
