"""Back in stock: the transition is seen once, whichever path changed the stock, and each active
subscriber is mailed once, in batches, the alert then closed."""

from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model

from catalogue.alerts import services, tasks
from catalogue.partner.stock_transitions import stock_transitions_detect

ProductAlert = get_model("customer", "ProductAlert")
StockRecord = get_model("partner", "StockRecord")
OutboxMessage = get_model("sideeffects", "OutboxMessage")


def _alert(product, n, status=ProductAlert.ACTIVE):
    alert = ProductAlert.objects.create(product=product, email=f"fan{n}@example.com")  # a guest's: unconfirmed
    ProductAlert.objects.filter(pk=alert.pk).update(status=status)
    return alert


def test_a_saved_stock_record_coming_back_mails_each_subscriber_once_and_closes_the_alerts(
    make_product, django_capture_on_commit_callbacks
):
    product = make_product(title="Blue mug", stock=0)
    stock_transitions_detect()  # the baseline: sold out
    alerts = [_alert(product, n) for n in range(3)]
    cancelled = _alert(product, 9, status=ProductAlert.CANCELLED)
    record = product.stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.num_in_stock = 4
        record.save()
    assert sorted(m.to[0] for m in mail.outbox) == ["fan0@example.com", "fan1@example.com", "fan2@example.com"]
    message = mail.outbox[0]
    assert "Blue mug is back in stock" in message.subject
    assert product.get_absolute_url() in message.body
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {a.status for a in ProductAlert.objects.filter(pk__in=[a.pk for a in alerts])} == {ProductAlert.CLOSED}
    assert ProductAlert.objects.get(pk=cancelled.pk).status == ProductAlert.CANCELLED
    # the task runs again: nobody is mailed twice
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.product_alerts_send.call_local() == 0
    assert len(mail.outbox) == 3


def test_the_sender_respects_the_batch_size_and_the_next_run_takes_the_rest(make_product):
    product = make_product(stock=0)
    for n in range(5):
        _alert(product, n)
    StockRecord.objects.filter(product=product).update(num_in_stock=1)
    assert services.product_alerts_send(batch_size=2) == 2
    assert ProductAlert.objects.filter(status=ProductAlert.CLOSED).count() == 2
    assert services.product_alerts_send(batch_size=2) == 2
    assert services.product_alerts_send(batch_size=2) == 1
    assert services.product_alerts_send(batch_size=2) == 0
    mails = OutboxMessage.objects.filter(topic=services.ALERT_MAIL_TOPIC)
    assert sorted(m.payload["alert_id"] for m in mails) == sorted(ProductAlert.objects.values_list("pk", flat=True))


def test_still_sold_out_products_and_unconfirmed_alerts_are_not_mailed(make_product):
    sold_out = make_product(title="Gone", stock=0)
    back = make_product(title="Back", stock=3)
    _alert(sold_out, 1)
    _alert(back, 2, status=ProductAlert.UNCONFIRMED)
    assert services.product_alerts_send() == 0


def test_a_variant_coming_back_mails_who_waits_for_the_variant_or_its_parent(make_product, settings):
    from oscar.test.factories import ProductClassFactory, create_product, create_stockrecord

    cls = ProductClassFactory(name="Shirts")
    parent = create_product(title="Shirt", product_class=cls, structure="parent")
    child = create_product(title="Shirt M", parent=parent, structure="child")
    create_stockrecord(child, num_in_stock=0, price=10)
    user = get_user_model().objects.create_user(email="m@example.com", password="x-Pass-1234")
    ProductAlert.objects.create(product=child, user=user, status=ProductAlert.ACTIVE)
    _alert(parent, 7)
    assert services.product_alerts_send() == 0
    StockRecord.objects.filter(product=child).update(num_in_stock=2)
    assert services.product_alerts_send() == 2


def test_the_mail_of_an_alert_gone_meanwhile_is_skipped(make_product):
    assert services.product_alert_mail_send(alert_id=999999) is False
    assert services.product_alert_confirmation_send(alert_id=999999) is False
