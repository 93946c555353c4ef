"""The order pages carry what order-live.js needs to follow `ws/orders/`, and read right without it:
the order page and the order list show the status (the list in a column of its own) marked with the
order's number; the guest's status page carries the link's signed key and shows the delivery section."""

from __future__ import annotations

from django.utils.html import escape

from checkout.order.links import order_status_path
from checkout.order.services import order_shipping_event_add
from tests.checkout.lifecycle import order_pay, order_place


def test_order_page_and_list_mark_the_status_for_live_updates(client, user, password, dummy_payments):
    order = order_place(user=user)
    order_pay(order)
    client.login(username=user.email, password=password)

    page = client.get(order_status_path(order)).content.decode()
    listing = client.get("/accounts/orders/").content.decode()

    assert f'data-order-live data-order-number="{order.number}"' in page
    assert "data-order-key" not in page  # the owner's socket needs no key
    assert "hypex/js/order-live.js" in page and "hypex/js/order-live.js" in listing
    assert f'<td data-order-status="{order.number}">Paid</td>' in listing


def test_guest_status_page_carries_its_signed_key_and_the_delivery_section(client, db, dummy_payments):
    order = order_place(user=None)
    order.guest_email = "guest@example.com"
    order.save(update_fields=["guest_email"])
    order_pay(order)
    order_shipping_event_add(order=order, carrier="DHL", tracking_number="JD0002")

    form = client.get(order_status_path(order), follow=True)  # Oscar asks for the order's email first
    page = client.post(form.request["PATH_INFO"], {"email": "guest@example.com"}, follow=True).content.decode()

    assert f'data-order-key="{escape(order.verification_hash())}"' in page
    assert f'data-order-tracking="{order.number}"' in page and "JD0002" in page
