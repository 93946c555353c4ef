"""Product views are counted in Redis and written once a minute, not in the request (catalogue.view_counts);
without Redis they are written at once, so none is lost for want of it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue import view_counts
from catalogue.catalogue.tasks import product_views_write
from catalogue.view_counts import VIEWS_KEY, product_views_flush
from tests.catalogue.conftest import product_with_stock

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_cache(redis_server, settings):
    """The production cache backend on a private Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "hypex",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    return redis_server


def _views(product) -> int:
    return ProductRecord.objects.filter(product=product).values_list("num_views", flat=True).first() or 0


def _view(client, product) -> list[str]:
    with CaptureQueriesContext(connection) as counted:
        assert client.get(product.get_absolute_url()).status_code == 200
    return [query["sql"] for query in counted]


def test_views_are_counted_in_redis_and_written_by_the_minutes_task(client, redis_cache):
    mug, lamp = product_with_stock("Enamel Mug"), product_with_stock("Desk Lamp")

    statements = [_view(client, mug) for _ in range(3)] + [_view(client, lamp)]

    assert not any("analytics_productrecord" in sql for sqls in statements for sql in sqls)
    assert (_views(mug), _views(lamp)) == (0, 0)
    assert product_views_write.call_local() == 4  # the periodic task
    assert (_views(mug), _views(lamp)) == (3, 1)
    _view(client, mug)
    assert product_views_flush() == 1 and product_views_flush() == 0
    assert _views(mug) == 4


def test_with_redis_down_a_view_is_written_at_once(client, redis_down):
    mug = product_with_stock("Enamel Mug")

    for _ in range(2):
        _view(client, mug)

    assert _views(mug) == 2
    assert product_views_flush() == 0


def test_without_counters_in_the_cache_a_view_is_written_at_once(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    mug = product_with_stock("Enamel Mug")

    _view(client, mug)

    assert _views(mug) == 1 and product_views_flush() == 0


def test_the_write_leaves_out_products_deleted_since_their_views(redis_cache):
    mug, lamp = product_with_stock("Enamel Mug"), product_with_stock("Desk Lamp")
    for product_id, views in ((mug.pk, 2), (lamp.pk, 5), (10**9, 1)):
        cache.counter_add(VIEWS_KEY, str(product_id), views)
    lamp.delete()

    assert product_views_flush() == 2
    assert _views(mug) == 2


def test_counts_the_database_refused_are_kept_for_the_next_run(redis_cache, monkeypatch):
    mug = product_with_stock("Enamel Mug")
    cache.counter_add(VIEWS_KEY, str(mug.pk), 3)

    def refused(rows) -> None:
        raise DatabaseError("the database is away")

    with monkeypatch.context() as patched:
        patched.setattr(view_counts, "_views_upsert", refused)
        with pytest.raises(DatabaseError):
            product_views_flush()

    assert product_views_flush() == 3 and _views(mug) == 3


def test_a_signed_in_shoppers_own_records_are_kept_in_the_request(client, user, redis_cache):
    mug = product_with_stock("Enamel Mug")
    client.force_login(user)

    _view(client, mug)
    _view(client, mug)

    assert UserRecord.objects.get(user=user).num_product_views == 2
    assert UserProductView.objects.filter(user=user, product=mug).count() == 2
