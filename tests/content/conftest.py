"""Content fixtures: a small catalogue to choose from, the home page, a live voucher."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Voucher = get_model("voucher", "Voucher")


@pytest.fixture
def home(db):
    from content.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def category(db):
    clothing = Category.add_root(name="Clothing", slug="clothing", is_public=True)
    clothing.add_child(name="Shirts", slug="shirts", is_public=True)
    return clothing


@pytest.fixture
def products(db, category):
    """Two shirts in stock and a mug that is sold out."""
    shirts = Category.objects.get(slug="shirts")
    shirt = create_product(
        title="Linen Shirt", upc="SHIRT-1", partner_sku="SKU-LINEN", price=Decimal("40.00"), num_in_stock=5
    )
    oxford = create_product(
        title="Oxford Shirt", upc="SHIRT-2", partner_sku="SKU-OXFORD", price=Decimal("55.00"), num_in_stock=2
    )
    mug = create_product(title="Stoneware Mug", upc="MUG-1", partner_sku="SKU-MUG", price=Decimal("12.50"))
    mug.stockrecords.update(num_in_stock=0)
    for product in (shirt, oxford):
        ProductCategory.objects.create(product=product, category=shirts)
    return {"shirt": shirt, "oxford": oxford, "mug": mug}


@pytest.fixture
def voucher(db):
    now = timezone.now()
    return Voucher.objects.create(
        name="Summer", code="SUMMER20", start_datetime=now - timedelta(days=1), end_datetime=now + timedelta(days=30)
    )


def publish_child(parent, page):
    """Add `page` below `parent` and publish it through a revision, as the editor's Publish button does."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
