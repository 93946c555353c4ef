"""The order back office (unfold admin) through the Django test client."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkout.order.services import order_status_set
from tests.checkout.lifecycle import order_pay, order_place


def _url(order, action: str = "") -> str:
    return f"/admin/order/order/{order.pk}/" + (f"{action}/" if action else "change/")


def test_order_list_shows_number_status_customer_and_total(staff_client, order):
    page = staff_client.get("/admin/order/order/?q=" + str(order.number))

    assert page.status_code == 200
    content = page.content.decode()
    assert str(order.number) in content and "Pending payment" in content and "shopper@example.com" in content
    assert "20.00" in content


def test_order_detail_shows_lines_payments_and_the_timeline(staff_client, order, staff_user, dummy_payments):
    order_pay(order)
    order_status_set(order=order, status="Processing", by=staff_user, note="picking")

    page = staff_client.get(_url(order))

    content = page.content.decode()
    assert page.status_code == 200
    assert order.lines.get().title in content
    assert "History" in content
    assert "Pending payment → Paid" in content and "Paid → Processing" in content
    assert "staff@example.com" in content and "picking" in content
    assert "Paid 20.00" in content
    for action in ("status", "refund", "ship", "note"):
        assert _url(order, action) in content


def test_admin_changes_status_only_along_the_pipeline(staff_client, order, staff_user):
    form = staff_client.get(_url(order, "status"))
    assert form.status_code == 200
    assert 'value="Paid"' in form.content.decode() and 'value="Shipped"' not in form.content.decode()

    refused = staff_client.post(_url(order, "status"), {"status": "Shipped"})
    done = staff_client.post(_url(order, "status"), {"status": "Paid", "note": "bank transfer"})

    order.refresh_from_db()
    assert refused.status_code == 400
    assert done.status_code == 302
    assert order.status == "Paid"
    change = order.status_changes.get()
    assert (change.changed_by, change.note) == (staff_user, "bank transfer")


def test_admin_cancel_through_status_releases_stock(staff_client, order):
    response = staff_client.post(_url(order, "status"), {"status": "Cancelled", "note": "fraud check"})

    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == "Cancelled"
    assert order.lines.get().stockrecord.num_allocated == 0


def test_admin_bulk_cancel_cancels_what_it_may_and_reports_the_rest(staff_client, user, staff_user):
    open_order, shipped = order_place(user=user), order_place(user=user)
    for status in ("Paid", "Processing", "Shipped"):
        order_status_set(order=shipped, status=status)

    response = staff_client.post(
        "/admin/order/order/",
        {"action": "cancel_selected", "_selected_action": [open_order.pk, shipped.pk]},
        follow=True,
    )

    open_order.refresh_from_db()
    shipped.refresh_from_db()
    assert (open_order.status, shipped.status) == ("Cancelled", "Shipped")
    assert "Cancelled 1 order(s)." in response.content.decode()
    assert "cannot be cancelled" in response.content.decode()


def test_admin_refunds_one_unit_of_a_line(staff_client, order, dummy_payments):
    order_pay(order)
    line = order.lines.get()

    response = staff_client.post(_url(order, "refund"), {f"line_{line.pk}": "1", "reason": "one broken"})

    order.refresh_from_db()
    assert response.status_code == 302
    refund = order.payment_events.get(event_type__name="Refunded")
    assert refund.amount == Decimal("10.00")
    assert refund.line_quantities.get().quantity == 1
    assert order.status == "Paid"


def test_admin_refund_errors_show_on_the_form(staff_client, order):
    response = staff_client.post(_url(order, "refund"), {"amount": "5.00"})

    assert response.status_code == 400
    assert "Nothing is left to refund" in response.content.decode()


def test_admin_adds_a_shipping_event_and_a_note(staff_client, order, staff_user, dummy_payments):
    order_pay(order)

    shipped = staff_client.post(_url(order, "ship"), {"carrier": "UPS", "tracking_number": "1Z999"})
    noted = staff_client.post(_url(order, "note"), {"message": "Customer called about delivery."})
    empty = staff_client.post(_url(order, "ship"), {"carrier": "", "tracking_number": ""})

    order.refresh_from_db()
    assert (shipped.status_code, noted.status_code, empty.status_code) == (302, 302, 400)
    assert order.status == "Shipped"
    assert order.shipping_events.get().tracking_number == "1Z999"
    assert order.notes.get(note_type="Info").user == staff_user


def test_order_actions_need_staff(client, user, password, order):
    client.login(username=user.email, password=password)

    response = client.post(_url(order, "status"), {"status": "Paid"})

    order.refresh_from_db()
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert order.status == "Pending payment"


def test_order_list_queries_do_not_grow_with_the_number_of_orders(staff_client, user, django_assert_max_num_queries):
    order_place(user=user)
    staff_client.get("/admin/order/order/")  # warm caches (content types, sessions)

    with CaptureQueriesContext(connection) as one:
        staff_client.get("/admin/order/order/")
    for _ in range(4):
        order_place(user=user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        staff_client.get("/admin/order/order/")


def test_payment_attempts_and_webhook_events_are_visible_read_only(staff_client, order, dummy_payments):
    order_pay(order)

    attempts = staff_client.get("/admin/payment/paymentattempt/")
    events = staff_client.get("/admin/payment/webhookevent/")

    assert attempts.status_code == 200 and events.status_code == 200
    assert order.payment_attempts.get().reference in attempts.content.decode()
    assert order.payment_attempts.get().token not in attempts.content.decode()
