"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.redis_server import RedisServer, redis_server_or_skip

PASSWORD = "correct-horse-battery-staple"


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
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def redis_server() -> RedisServer:
    """A private Redis server for this test, which the test may stop and start again."""
    server = redis_server_or_skip()
    yield server
    server.stop()
