"""The one place that sees stock change state (ADR 0046): at commit of a save, and by the minute scan for
queryset updates that send no signal; each transition reported once."""

from django.db import transaction
from oscar.core.loading import get_model

from catalogue.partner.stock_transitions import STOCK_BACK_IN_STOCK_TOPIC, stock_transitions_detect
from catalogue.partner.tasks import stock_transitions_scan
from eventhooks.models import WebhookEvent
from eventhooks.services import webhook_endpoint_create

StockRecord = get_model("partner", "StockRecord")
OutboxMessage = get_model("sideeffects", "OutboxMessage")


def test_a_queryset_update_is_seen_by_the_periodic_scan_once(make_product, django_capture_on_commit_callbacks):
    product = make_product(stock=2)
    record = product.stockrecords.get()
    StockRecord.objects.filter(pk=record.pk).update(num_allocated=2)  # sold out, no signal
    assert stock_transitions_scan.call_local() == 0  # first sight: the baseline
    StockRecord.objects.filter(pk=record.pk).update(num_allocated=0)  # an order cancelled: released, no signal
    with django_capture_on_commit_callbacks(execute=True):
        changes = stock_transitions_detect()
    assert [(c.before, c.after, c.back_in_stock) for c in changes] == [(0, 2, True)]
    assert OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC).count() == 1
    assert stock_transitions_detect() == []  # seen once
    assert OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC).count() == 1


def test_going_down_but_staying_in_stock_is_not_back_in_stock(make_product):
    product = make_product(stock=5)
    stock_transitions_detect()
    StockRecord.objects.filter(product=product).update(num_in_stock=3)
    [change] = stock_transitions_detect()
    assert (change.before, change.after, change.back_in_stock, change.sold_out) == (5, 3, False, False)
    StockRecord.objects.filter(product=product).update(num_in_stock=0)
    [change] = stock_transitions_detect()
    assert change.sold_out and not change.back_in_stock
    assert not OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC).exists()


def test_a_save_is_checked_at_commit_and_not_before(make_product, django_capture_on_commit_callbacks):
    product = make_product(stock=0)
    stock_transitions_detect()
    record = product.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            record.num_in_stock = 2
            record.save()
            assert not OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC).exists()
    for callback in callbacks:  # the catalogue cache's version bump, and the transition check
        callback()
    assert OutboxMessage.objects.filter(topic=STOCK_BACK_IN_STOCK_TOPIC).get().payload == {
        "product_id": product.pk,
        "stockrecord_id": record.pk,
    }


def test_falling_below_the_low_stock_threshold_is_reported_once(make_product):
    product = make_product(stock=8)
    record = product.stockrecords.get()
    StockRecord.objects.filter(pk=record.pk).update(low_stock_threshold=5)
    stock_transitions_detect()
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=6)
    [change] = stock_transitions_detect()
    assert not change.became_low
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=4)
    [change] = stock_transitions_detect()
    assert (change.threshold, change.became_low, change.sold_out) == (5, True, False)
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=3)
    [change] = stock_transitions_detect()
    assert not change.became_low  # already low


def test_transitions_publish_the_stock_webhooks_to_subscribed_apps(make_product):
    webhook_endpoint_create(url="http://127.0.0.1:9/hooks", events=["stock.low", "stock.back_in_stock"])
    product = make_product(stock=0)
    record = product.stockrecords.get()
    stock_transitions_detect()
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=10)
    stock_transitions_detect()
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=2)  # below the default threshold of 5
    stock_transitions_detect()
    events = list(WebhookEvent.objects.order_by("pk").values_list("type", "data__stockrecord_id", "data__available"))
    assert events == [("stock.back_in_stock", record.pk, 10), ("stock.low", record.pk, 2)]


def test_no_webhook_is_written_when_no_app_subscribes(make_product):
    product = make_product(stock=0)
    stock_transitions_detect()
    StockRecord.objects.filter(product=product).update(num_in_stock=1)
    stock_transitions_detect()
    assert not WebhookEvent.objects.exists()
