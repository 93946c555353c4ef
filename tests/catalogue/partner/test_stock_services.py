"""Putting units back on the shelf: `stockrecords_restock` adds to tracked stock only, under row locks."""

from __future__ import annotations

import pytest
from oscar.core.loading import get_model
from oscar.test import factories

from catalogue.partner.services import stockrecords_restock

StockRecord = get_model("partner", "StockRecord")


@pytest.mark.django_db
def test_restock_adds_units_to_tracked_records_only():
    tracked = factories.create_stockrecord(factories.create_product(), num_in_stock=3)
    untracked = factories.create_stockrecord(factories.create_product(), num_in_stock=None)

    changed = stockrecords_restock(quantities={tracked.pk: 2, untracked.pk: 5, 999999: 1})

    assert changed == {tracked.pk: 5}
    assert StockRecord.objects.get(pk=tracked.pk).num_in_stock == 5
    assert StockRecord.objects.get(pk=untracked.pk).num_in_stock is None


@pytest.mark.django_db
def test_restock_of_nothing_changes_nothing():
    tracked = factories.create_stockrecord(factories.create_product(), num_in_stock=3)
    assert stockrecords_restock(quantities={tracked.pk: 0}) == {}
    assert stockrecords_restock(quantities={}) == {}
    assert StockRecord.objects.get(pk=tracked.pk).num_in_stock == 3
