"""Each test process's database is a copy of one migrated template named by a fingerprint of the
migration files (tests/database_template.py, ADR 0038)."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from tests.database_template import _pg_databases, active_template, migrations_fingerprint, templates_present

pytestmark = pytest.mark.django_db


def test_this_process_runs_on_a_fully_migrated_copy_named_for_this_process():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    prefix, template = active_template()
    assert template == f"{prefix}{migrations_fingerprint()}"
    assert connection.settings_dict["NAME"] != template
    if connection.vendor == "sqlite":
        assert Path(template).is_file()
    else:
        assert template in _pg_databases(connection, template)


def test_only_the_template_of_the_current_migrations_is_kept():
    prefix, current = active_template()
    assert templates_present(connection, prefix) == [current]


def test_the_fingerprint_covers_every_migration_ours_and_the_libraries(monkeypatch):
    fingerprint = migrations_fingerprint()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    apps = {app_label for app_label, _ in loader.disk_migrations}
    assert {"catalogue", "order", "wagtailcore", "account", "sideeffects"} <= apps

    # One more migration on disk (a library upgrade, a new migration of ours) means another template.
    load_disk = MigrationLoader.load_disk
    some_migration = next(iter(loader.disk_migrations.values()))

    def load_disk_with_one_more(self):
        load_disk(self)
        self.disk_migrations["zz", "0001_new"] = some_migration

    monkeypatch.setattr(MigrationLoader, "load_disk", load_disk_with_one_more)
    assert migrations_fingerprint() != fingerprint
