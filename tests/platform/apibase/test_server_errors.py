"""A bug answers 500 in the error format under /api/ and the site's 500 page elsewhere; a busy database
(no pooled connection free) answers 503 with Retry-After (docs/adr/0028, 0029). One handler500 decides."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path
from psycopg_pool import PoolTimeout

from config import urls as project_urls


def broken(request):
    raise RuntimeError("a bug")


def busy(request):
    try:
        raise PoolTimeout("couldn't get a connection after 10.00 sec")
    except PoolTimeout as exc:
        raise RuntimeError("the database wrapper's error") from exc


urlpatterns = [
    path("api/v1/broken/", broken),
    path("api/v1/busy/", busy),
    path("broken/", broken),
    path("busy/", busy),
]
handler500 = project_urls.handler500  # the shop's own handler, whatever config.urls names

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def test_a_bug_under_the_api_is_500_in_the_error_format(client):
    response = client.get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"


def test_a_bug_on_a_page_is_the_sites_500_page(client):
    response = client.get("/broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_busy_database_under_the_api_is_503_in_the_error_format(client):
    response = client.get("/api/v1/busy/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"


def test_a_busy_database_on_a_page_is_503(client):
    response = client.get("/busy/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
