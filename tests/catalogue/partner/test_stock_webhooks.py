"""The stock events' payload and publishing call, for the services that see stock run low or come back
(ADR 0048)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from oscar.test import factories

from catalogue.partner.stock_events import stock_event_publish
from eventhooks.models import WebhookEvent
from eventhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


def test_stock_low_carries_the_product_the_record_and_its_figures():
    webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["stock.low"])
    product = factories.create_product(title="Lamp", upc="LAMP-1", price=Decimal("5.00"), num_in_stock=3)
    record = product.stockrecords.get()
    record.num_allocated, record.low_stock_threshold = 1, 5
    record.save()

    with transaction.atomic():
        stock_event_publish(stockrecord=record, event="stock.low")
        stock_event_publish(stockrecord=record, event="stock.back_in_stock")  # nobody subscribes: nothing

    [event] = WebhookEvent.objects.all()
    assert event.type == "stock.low"
    assert event.data == {
        "product_id": product.pk, "parent_id": None, "upc": "LAMP-1", "title": "Lamp", "stockrecord_id": record.pk,
        "partner": record.partner.name, "partner_sku": record.partner_sku, "num_in_stock": 3, "num_allocated": 1,
        "available": 2, "low_stock_threshold": 5,
    }  # fmt: skip
    with pytest.raises(ValueError):
        stock_event_publish(stockrecord=record, event="order.paid")
