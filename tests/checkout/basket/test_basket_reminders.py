"""Abandoned baskets: one reminder after the merchant's delay, to a shopper we can email, with a link
that restores the basket on any device and the unsubscribe link; never for baskets ordered, emptied or
of shoppers who opted out."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from accounts.unsubscribe import marketing_opt_out_add
from checkout.basket import reminders, tasks
from checkout.basket.selectors import baskets_recovered_count

Basket = get_model("basket", "Basket")
BasketContact = get_model("basket", "BasketContact")
BasketReminder = get_model("basket", "BasketReminder")
BasketReminderSettings = get_model("basket", "BasketReminderSettings")
Selector = get_class("partner.strategy", "Selector")
LATER = timedelta(hours=5)  # past the default delay of 4 hours


def _basket(**fields):
    basket = Basket.objects.create(**fields)
    basket.strategy = Selector().strategy()
    return basket


@pytest.fixture
def guest_basket(client, product):
    """A guest's basket of 2 shirts, left at the checkout's first step after giving an email."""
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    client.post("/checkout/", {"username": "Guest@Example.com", "options": "anonymous"})
    return Basket.objects.get(lines__product=product)


def _send(when, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return reminders.basket_reminders_send(now=timezone.now() + when)


def test_a_guest_who_gave_an_email_is_reminded_once_after_the_delay(
    guest_basket, product, django_capture_on_commit_callbacks
):
    assert BasketContact.objects.get(basket=guest_basket).email == "guest@example.com"
    assert _send(timedelta(hours=3), django_capture_on_commit_callbacks) == 0  # not yet
    assert _send(LATER, django_capture_on_commit_callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["guest@example.com"]
    assert "2 x Linen Shirt" in message.body
    assert re.search(r"/basket/restore/\S+/", message.body)
    assert "/unsubscribe/" in message.body and "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert _send(timedelta(days=2), django_capture_on_commit_callbacks) == 0  # once only
    assert len(mail.outbox) == 1


def test_the_restore_link_fills_a_basket_on_another_device_and_an_order_counts_as_recovered(
    guest_basket, product, django_capture_on_commit_callbacks
):
    _send(LATER, django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/]+(/basket/restore/\S+/)", mail.outbox[0].body).group(1)
    other_device = Client()
    response = other_device.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/basket/"
    assert "Linen Shirt" in response.content.decode() and "your basket is as you left it" in response.content.decode()
    restored = Basket.objects.exclude(pk=guest_basket.pk).get(lines__product=product)
    assert restored.lines.get().quantity == 2
    assert other_device.get(path).status_code == 302  # opened again: not doubled
    assert restored.lines.get().quantity == 2
    reminder = BasketReminder.objects.get()
    assert reminder.restored_into == restored and reminder.date_restored is not None
    assert baskets_recovered_count() == 0
    restored.submit()  # ordered
    assert baskets_recovered_count() == 1
    assert baskets_recovered_count(since=timezone.now() + timedelta(days=1)) == 0


def test_restoring_respects_stock(guest_basket, product, django_capture_on_commit_callbacks):
    _send(LATER, django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/]+(/basket/restore/\S+/)", mail.outbox[0].body).group(1)
    record = product.stockrecords.get()
    record.num_in_stock = 1
    record.save()
    Client().get(path)
    restored = Basket.objects.exclude(pk=guest_basket.pk).get(lines__product=product)
    assert restored.lines.get().quantity == 1
    record.num_in_stock = 0
    record.save()
    response = Client().get(path, follow=True)
    assert "No longer available: Linen Shirt." in response.content.decode()


def test_a_signed_in_shoppers_basket_is_reminded_and_restores_on_the_same_account(
    client, user, product, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert _send(LATER, django_capture_on_commit_callbacks) == 1
    assert mail.outbox[0].to == [user.email]
    path = re.search(r"https?://[^/]+(/basket/restore/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 302
    basket = Basket.objects.get(owner=user)
    assert basket.lines.get().quantity == 1  # the same basket: nothing added twice
    assert BasketReminder.objects.get().restored_into == basket


def test_no_reminder_for_baskets_ordered_emptied_or_unsubscribed_or_anonymous(
    client, user, product, make_product, django_capture_on_commit_callbacks
):
    ordered = _basket(owner=user)
    ordered.add_product(product, 1)
    ordered.submit()
    emptied = _basket()
    BasketContact.objects.create(basket=emptied, email="empty@example.com")
    anonymous = _basket()
    anonymous.add_product(make_product(title="Mug"), 1)  # nobody to email
    opted_out = _basket()
    opted_out.add_product(make_product(title="Cup"), 1)
    BasketContact.objects.create(basket=opted_out, email="Quiet@example.com")
    marketing_opt_out_add(email="quiet@example.com")
    assert _send(LATER, django_capture_on_commit_callbacks) == 0
    assert not mail.outbox and not BasketReminder.objects.exists()


def test_an_opt_out_after_scheduling_stops_the_mail(guest_basket, django_capture_on_commit_callbacks):
    assert reminders.basket_reminders_send(now=timezone.now() + LATER) == 1
    marketing_opt_out_add(email="guest@example.com")
    assert reminders.basket_reminder_mail_send(reminder_id=BasketReminder.objects.get().pk) is False
    guest_basket.flush()
    assert reminders.basket_reminder_mail_send(reminder_id=0) is False


def test_the_merchant_sets_the_delay_and_zero_turns_reminders_off(guest_basket, django_capture_on_commit_callbacks):
    BasketReminderSettings.objects.create(delay_hours=0)
    assert tasks.basket_reminders_send.call_local() == 0
    BasketReminderSettings.objects.update(delay_hours=None)
    assert _send(timedelta(days=30), django_capture_on_commit_callbacks) == 0
    BasketReminderSettings.objects.update(delay_hours=10)
    assert _send(LATER, django_capture_on_commit_callbacks) == 0
    assert _send(timedelta(hours=11), django_capture_on_commit_callbacks) == 1


def test_the_batch_size_is_respected(product, django_capture_on_commit_callbacks):
    for n in range(3):
        basket = _basket()
        basket.add_product(product, 1)
        BasketContact.objects.create(basket=basket, email=f"g{n}@example.com")
    now = timezone.now() + LATER
    assert reminders.basket_reminders_send(now=now, batch_size=2) == 2
    assert reminders.basket_reminders_send(now=now, batch_size=2) == 1


def test_forged_or_expired_links_are_404_and_an_ordered_basket_says_so(
    client, guest_basket, settings, django_capture_on_commit_callbacks
):
    _send(LATER, django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/]+(/basket/restore/\S+/)", mail.outbox[0].body).group(1)
    assert client.get("/basket/restore/forged/").status_code == 404
    assert client.get(path[:-3] + "x/").status_code == 404
    guest_basket.submit()
    response = Client().get(path, follow=True)
    assert "already been ordered" in response.content.decode()
    settings.BASKET_RESTORE_LINK_DAYS = 0
    assert Client().get(path).status_code == 404


def test_staff_set_the_delay_in_the_back_office(staff_client):
    assert staff_client.get("/admin/basket/basketremindersettings/").status_code == 200
    assert staff_client.post("/admin/basket/basketremindersettings/add/", {"delay_hours": "6"}).status_code == 302
    row = BasketReminderSettings.objects.get()
    assert row.delay_hours == 6
    assert staff_client.get("/admin/basket/basketremindersettings/add/").status_code == 403  # one row only
    change = f"/admin/basket/basketremindersettings/{row.pk}/change/"
    assert staff_client.post(change, {"delay_hours": ""}).status_code == 302
    assert BasketReminderSettings.objects.get().delay_hours is None
    assert staff_client.get("/admin/basket/basketreminder/").status_code == 200
