"""The catalogue with Redis away (ADR 0025): pages and the API answer from the database, a product
or stock edit commits, and nothing cached before the outage is served after it."""

import os
import signal
import time
from decimal import Decimal

import pytest
from django.db import transaction
from oscar.core.loading import get_model

from tests.catalogue.conftest import product_with_stock

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_catalogue_pages_and_api_answer_while_redis_is_down(client, api_client, product, redis_down):
    urls = [
        "/catalogue/",
        product.get_absolute_url(),
        "/api/v1/products/",
        f"/api/v1/products/{product.pk}/",
        f"/api/v1/products/{product.pk}/recommendations/",
        "/api/v1/categories/",
    ]
    for url in urls:
        for _ in range(2):  # the second request meets an open circuit: no socket at all
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    assert b"Oxford Shirt" in client.get("/api/v1/products/").content


def test_product_and_stock_edits_commit_while_redis_is_down(product, redis_down):
    with transaction.atomic():
        product.title = "Oxford Shirt, slim"
        product.save()
        record = product.stockrecords.get()
        record.num_in_stock = 3
        record.price = Decimal("24.00")
        record.save()

    assert Product.objects.get(pk=product.pk).title == "Oxford Shirt, slim"
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == 3
    assert product_with_stock("Made during the outage").pk


def test_an_edit_missed_during_an_outage_is_not_served_stale_after_it(api_client, product, settings, redis_server):
    """Redis hangs (SIGSTOP keeps its data, like a network partition): the version bump of an edit is
    lost; when Redis answers again the catalogue version is bumped, so the old entry is not served."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "CIRCUIT_OPEN_SECONDS": 0.2},
        }
    }
    url = f"/api/v1/products/{product.pk}/"
    assert api_client.get(url).json()["title"] == "Oxford Shirt"  # cached under the current version
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        product.title = "Renamed while Redis hung"
        product.save()
        assert api_client.get(url).json()["title"] == "Renamed while Redis hung"  # from the database
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)
    time.sleep(0.3)  # the circuit's window passes; the next call tries Redis again

    assert api_client.get(url).json()["title"] == "Renamed while Redis hung"
    assert api_client.get(url).json()["title"] == "Renamed while Redis hung"
