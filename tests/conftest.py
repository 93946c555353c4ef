"""Fixtures shared by the whole suite."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from config.settings.integrations.channels import channel_layers
from tests.redis_server import RedisServer, redis_server_or_skip

PASSWORD = "correct-horse-battery-staple"

pytest_plugins = ["tests.xdist_groups"]  # xdist_group marks reach the scheduler under pytest 9


@pytest.fixture(scope="session", autouse=True)
def _redis_cache_clear_scoped_to_this_worker():
    """`cache.clear()` on Redis empties this worker's cache keys only, not the shared database."""
    from django.core.cache.backends.redis import RedisCache

    from tests.parallel import redis_cache_clear_own_keys

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RedisCache, "clear", redis_cache_clear_own_keys)
        yield


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(items):
    """A module that seeds a demo shop once (tests/seeded.py) runs in one xdist worker, so it seeds once
    per run rather than once per worker that picks up one of its tests."""
    for item in items:
        fixturedefs = getattr(item, "_fixtureinfo", None)
        seeds = fixturedefs and any(
            definition.func.__module__ == "tests.seeded"
            for definitions in fixturedefs.name2fixturedefs.values()
            for definition in definitions
        )
        if seeds and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's fixture, except that each process's database is a copy of one migrated template
    instead of a migration run of its own (tests/database_template.py, ADR 0038), and a transactional test
    ends with `database_reset` instead of Django's flush (tests/database_reset.py)."""
    from django.test.utils import teardown_databases

    from tests import database_reset
    from tests.database_template import worker_databases_setup

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_config = worker_databases_setup(verbosity)
    database_reset.install()  # transactional tests end with a reset in a few statements, not a flush
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(old_config, verbosity=verbosity)
        except Exception as error:  # noqa: BLE001 - as pytest-django: a failed drop warns, the run stands
            request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {error!r}"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached pages live in the cache: every test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_process_memos():
    """Values a process keeps a few seconds (ops.process_memo) are read again from each test's database."""
    from ops.process_memo import process_memos_forget

    process_memos_forget()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Every test gets channel layer objects of its own. A Redis layer keeps asyncio locks and
    connection pools bound to the event loop that first used them; a test's `asyncio.run` loop is gone
    when it ends, and a later test in the same worker that reused the layer failed with "is bound to a
    different event loop" (which tests did depended on the order they ran in)."""
    from channels.layers import channel_layers

    yield
    channel_layers.backends.clear()


@pytest.fixture
def countries(db):
    from demodata.builders import countries_build

    countries_build()


@pytest.fixture
def make_product(db):
    """Makes a product with a stock record: `make_product(title=, price=, stock=)`."""
    from oscar.test.factories import create_product

    def make(*, title="Thing", price="10.00", stock=10):
        return create_product(title=title, price=Decimal(price), num_in_stock=stock)

    return make


@pytest.fixture
def shipping_methods(countries):
    """Standard (weight bands, GB), Express (per order + item, free over 75, GB), World (fixed, FR)."""
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
    WeightBased = get_model("shipping", "WeightBased")
    WeightBand = get_model("shipping", "WeightBand")
    gb = Country.objects.get(iso_3166_1_a2="GB")
    fr = Country.objects.get(iso_3166_1_a2="FR")
    standard = WeightBased.objects.create(code="standard", name="Standard", default_weight=Decimal("0.5"))
    WeightBand.objects.create(method=standard, upper_limit=Decimal("1"), charge=Decimal("3.50"))
    WeightBand.objects.create(method=standard, upper_limit=Decimal("5"), charge=Decimal("6.95"))
    standard.countries.add(gb)
    express = OrderAndItemCharges.objects.create(
        code="express",
        name="Express",
        price_per_order=Decimal("7.95"),
        price_per_item=Decimal("1.00"),
        free_shipping_threshold=Decimal("75.00"),
    )
    express.countries.add(gb)
    world = OrderAndItemCharges.objects.create(code="world", name="World", price_per_order=Decimal("15.00"))
    world.countries.add(fr)
    return {"standard": standard, "express": express, "world": world}


@pytest.fixture
def dummy_payments(settings):
    """The dummy gateway is the one way to pay."""
    settings.PAYMENT_GATEWAYS = ["dummy"]


@pytest.fixture
def sms_provider(settings):
    """A real HTTP SMS provider on loopback; Hypex's HttpSmsBackend talks to it."""
    from tests.sms_provider import FakeSmsProvider

    provider = FakeSmsProvider()
    provider.start()
    settings.SMS_BACKEND = "accounts.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = provider.url
    settings.SMS_HTTP_TOKEN = "test-token"
    settings.SMS_HTTP_TIMEOUT_SECONDS = 2
    yield provider
    provider.stop()


def auth_header(user) -> dict:
    from rest_framework_simplejwt.tokens import RefreshToken

    return {"HTTP_AUTHORIZATION": f"Bearer {RefreshToken.for_user(user).access_token}"}


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(email="shopper@example.com", password=PASSWORD, first_name="Sam")


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_superuser(email="staff@example.com", password=PASSWORD)


@pytest.fixture
def staff_client(client, staff_user):
    """The test client signed in as the superuser `staff_user`, for back-office pages."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def redis_server() -> RedisServer:
    """A private Redis server for this test, which the test may stop and start again."""
    server = redis_server_or_skip()
    yield server
    server.stop()


@pytest.fixture
def redis_down(redis_server, settings) -> RedisServer:
    """The production wiring of cache (ops.cache_backends.FaultTolerantRedisCache) and channel layer
    (ops.channel_layer) on a private Redis, which is then stopped: the shop during a Redis outage.
    Start it again with `.start()`."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "hypex",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "CIRCUIT_OPEN_SECONDS": 5},
        }
    }
    layers = channel_layers(redis_server.url)
    layers["default"]["CONFIG"]["hosts"][0]["socket_connect_timeout"] = 1
    settings.CHANNEL_LAYERS = layers
    redis_server.stop()
    return redis_server
