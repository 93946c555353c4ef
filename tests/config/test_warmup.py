"""A server worker pays the first request's costs before it serves (config/warmup.py)."""

import gc
import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from catalogue import suggest
from config.warmup import warm_up


@pytest.mark.django_db(transaction=True)  # the warm-up closes its connections, as a worker's must
def test_after_the_warm_up_a_first_search_runs_only_what_a_later_one_does():
    ContentType.objects.clear_cache()  # as in a fresh process
    fresh, later = _queries_of_a_search(), _queries_of_a_search()
    assert fresh > later  # a fresh process's first search also loads the content types

    ContentType.objects.clear_cache()
    warm_up()

    assert _queries_of_a_search() == later


def _queries_of_a_search() -> int:
    with CaptureQueriesContext(connection) as queries:
        suggest._suggestions_built("shirt", 6)
    return len(queries)


@pytest.mark.django_db(transaction=True)
def test_the_production_server_warms_each_worker_up_and_freezes_its_start_up_objects(caplog):
    import config.gunicorn

    try:
        with caplog.at_level(logging.INFO, logger="ops.server"):
            config.gunicorn.post_worker_init(worker=None)
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # this test process is not a worker

    assert "worker warmed up in" in caplog.text
    assert frozen > 10_000  # the modules, URL patterns and models a worker loaded


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("failure", "logged"),
    [
        (OperationalError("connection refused"), "the database is unavailable"),  # the database away at boot
        (RuntimeError("search backend misconfigured"), "the worker starts cold"),  # anything else
    ],
)
def test_a_failed_warm_up_is_logged_and_the_worker_starts(monkeypatch, caplog, failure, logged):
    def failing() -> None:
        raise failure

    monkeypatch.setattr("config.warmup.search_backend_warm_up", failing)
    with caplog.at_level(logging.WARNING, logger="ops.server"):
        warm_up()

    assert logged in caplog.text
