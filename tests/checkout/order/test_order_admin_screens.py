"""The order screens as staff read them: status badges, the full breadcrumb, the refund form's figures."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from apibase.money import money_display
from checkout.order import statuses
from checkout.order.admin import STATUS_COLOURS
from checkout.order.services import order_status_set
from checkout.payment.services import order_refund
from tests.checkout.lifecycle import order_pay, order_place

#: unfold's label classes per colour (unfold/helpers/label.html)
BADGE_CLASS = {"warning": "bg-orange-100", "primary": "bg-primary-100", "info": "bg-blue-100",
               "success": "bg-green-100", "danger": "bg-red-100"}  # fmt: skip


def _url(order, action: str = "") -> str:
    return f"/admin/order/order/{order.pk}/" + (f"{action}/" if action else "change/")


def _badge(html: str, status: str) -> str:
    """The class of the label whose text is `status`."""
    match = re.search(r'<span class="([^"]*)"[^>]*>\s*' + re.escape(status) + r"\s*</span>", html)
    assert match, f"no badge for {status}"
    return " ".join(match.group(1).split())


def _breadcrumb(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.S).group(0)
    assert "truncate" not in nav
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<(?:a|span)[^>]*>([^<]+)</(?:a|span)>", nav)
            if text.strip() != "chevron_right"]  # fmt: skip


def test_every_status_has_a_badge_colour():
    assert set(STATUS_COLOURS) == set(statuses.PIPELINE)
    assert set(STATUS_COLOURS.values()) <= set(BADGE_CLASS)


def test_the_order_list_shows_each_status_as_a_coloured_badge(staff_client, user, dummy_payments):
    _pending, paid, cancelled = order_place(user=user), order_place(user=user), order_place(user=user)
    order_pay(paid)
    order_status_set(order=cancelled, status=statuses.CANCELLED)

    html = staff_client.get("/admin/order/order/").content.decode()

    for status in (statuses.PENDING_PAYMENT, statuses.PAID, statuses.CANCELLED):
        assert BADGE_CLASS[STATUS_COLOURS[status]] in _badge(html, status)
    assert html.count(f"{money_display(paid.total_incl_tax, paid.currency)}<") >= 3  # totals as pages show money
    assert f"{paid.total_incl_tax} {paid.currency}" not in html


def test_the_order_screen_shows_the_status_badge_and_the_full_breadcrumb(staff_client, order, dummy_payments):
    order_pay(order)

    html = staff_client.get(_url(order)).content.decode()

    assert BADGE_CLASS["primary"] in _badge(html, "Paid")
    assert _breadcrumb(html) == ["Orders", f"Order {order.number}"]
    total = money_display(order.total_incl_tax, order.currency)
    assert re.search(rf"Order total \(inc\. tax\).*?{re.escape(total)}", html, re.S)  # money as pages show it


@pytest.mark.parametrize(("action", "title"), [("refund", "Refund"), ("status", "Change status"),
                                               ("ship", "Add shipping event"), ("note", "Add note")])  # fmt: skip
def test_the_order_action_pages_have_the_full_breadcrumb(staff_client, order, action, title):
    html = staff_client.get(_url(order, action)).content.decode()

    assert _breadcrumb(html) == ["Orders", f"Order {order.number}", title]
    assert f'href="/admin/order/order/{order.pk}/change/"' in html


def test_the_refund_form_shows_paid_refunded_and_what_is_left_per_line_and_in_total(staff_client, user, dummy_payments):
    order = order_place(user=user, quantity=3, price="3.33")
    order_pay(order)
    line = order.lines.get()
    order_refund(order=order, lines={line.pk: 1})

    html = staff_client.get(_url(order, "refund")).content.decode()

    row = re.search(rf'data-line="{line.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:] == ["3 · £9.99", "1 · £3.33", "2 · £6.66"]
    assert re.search(r"data-paid>£9.99<", html) and re.search(r"data-refunded>£3.33<", html)
    assert re.search(r"data-refundable>£6.66<", html)
    assert "Paid £9.99 for 3; refunded 1 (£3.33); up to 2 more (£6.66)." in html
    assert "Any sum up to £6.66" in html and "Amount (GBP)" in html


def test_the_refund_form_refuses_more_units_than_are_left(staff_client, order, dummy_payments):
    order_pay(order)
    line = order.lines.get()
    order_refund(order=order, lines={line.pk: 1})

    response = staff_client.post(_url(order, "refund"), {f"line_{line.pk}": "2"})

    assert response.status_code == 400
    assert "less than or equal to 1" in response.content.decode()
    assert order.payment_events.filter(event_type__name="Refunded").count() == 1


def test_the_refund_form_queries_do_not_grow_with_the_lines(staff_client, user, dummy_payments):
    small, big = order_place(user=user), order_place(user=user)
    for _ in range(4):  # more lines on the big order
        extra = order_place(user=user)
        extra.lines.update(order=big)
    staff_client.get(_url(small, "refund"))

    counts = []
    for order in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(_url(order, "refund")).status_code == 200
        counts.append(len(queries.captured_queries))

    assert get_model("order", "Line").objects.filter(order=big).count() == 5
    assert counts[0] == counts[1]
