"""The dashboard counts baskets restored from an abandoned-basket reminder and then ordered (ADR 0046)."""

import re
from datetime import timedelta

from django.utils import timezone
from oscar.core.loading import get_model

from backoffice.selectors import dashboard_figures

Basket = get_model("basket", "Basket")
BasketReminder = get_model("basket", "BasketReminder")


def _recovered(staff_client) -> int:
    page = staff_client.get("/admin/").content.decode()
    return int(re.search(r'id="recovered-baskets">(\d+)<', page).group(1))


def test_recovered_baskets_are_counted_on_the_dashboard(staff_client):
    left = Basket.objects.create()
    restored = Basket.objects.create()
    BasketReminder.objects.create(basket=left, email="g@example.com", restored_into=restored)
    unused = BasketReminder.objects.create(basket=Basket.objects.create(), email="h@example.com")
    assert _recovered(staff_client) == 0  # restored, not ordered yet
    restored.submit()
    Basket.objects.filter(pk=unused.basket_id).update(status=Basket.SUBMITTED)  # ordered without the link
    assert _recovered(staff_client) == 1
    assert dashboard_figures(now=timezone.now() + timedelta(days=31)).recovered_baskets == 0  # 30 days only
