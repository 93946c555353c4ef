"""Two browsers: a guest chats from a product page and moves on to the basket; the agent's console shows
where they are now, fills a canned reply, cancels the guest's unpaid order and refunds a paid one after
confirm steps - the chat on both sides records it live. One real ASGI server (daphne) serves pages and
websockets."""

import time

import pytest
from oscar.test.factories import create_product

from apibase.models import IdempotencyKey
from support.models import CannedReply, PageVisit
from tests.browser.console import agent_create, console_open
from tests.checkout.lifecycle import order_pay, order_place

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_agent_sees_the_shoppers_page_uses_a_canned_reply_cancels_and_refunds(browser, asgi_server, dummy_payments):
    product = create_product(title="Red Oxford Shirt", price=45, num_in_stock=3)
    agent_create()
    paid = order_place(quantity=3)
    order = order_place()
    for placed in (paid, order):
        placed.guest_email = "guest@example.com"
        placed.save(update_fields=["guest_email"])
    order_pay(paid)
    CannedReply.objects.create(
        title="Order found", shortcut="found", body="I found order {order_number}, {agent_first_name}"
    )

    shopper = browser.new_context(base_url=asgi_server.url).new_page()
    agent = browser.new_context(base_url=asgi_server.url).new_page()
    for page in (shopper, agent):
        page.set_default_timeout(15_000)

    shopper.goto(product.get_absolute_url())
    shopper.get_by_role("button", name="Help").click()
    shopper.get_by_label("Your question").fill("Please cancel my order")
    shopper.get_by_label("Your email").fill("guest@example.com")
    shopper.get_by_role("button", name="Start chat").click()
    shopper.locator(".hypex-support-log").get_by_text("Please cancel my order").wait_for()
    _wait_until(lambda: PageVisit.objects.filter(url=product.get_absolute_url()).exists())
    shopper.goto("/basket/")  # the widget reconnects on the new page and reports it

    console_open(agent)
    agent.locator("#agent-console-conversations li", has_text="About Red Oxford Shirt").click()
    trail = agent.locator(".agent-console-pagetrail")
    trail.locator(".agent-console-pagetrail-now a[title='/basket/']").wait_for()
    assert trail.locator(".agent-console-pagetrail-list a").first.get_attribute("title") == product.get_absolute_url()

    shopper.goto("/")  # and live, while the console looks
    trail.locator(".agent-console-pagetrail-now a[title='/']").wait_for()

    agent.locator(".agent-console-canned").get_by_role("button", name="Order found").click()
    assert agent.get_by_label("Reply").input_value() == f"I found order {order.number}, Alex"

    orders = agent.locator(".agent-console-orders")
    row = orders.locator(f".agent-console-order[data-number='{order.number}']")
    row.get_by_role("button", name="Cancel order").click()
    row.get_by_text(f"Cancel unpaid order {order.number}?").wait_for()
    row.get_by_role("button", name="Yes, cancel").click()

    said = f"Alex cancelled order {order.number}."
    agent.locator("#agent-console-log").get_by_text(said).wait_for()
    shopper.get_by_role("button", name="Help").click()
    shopper.locator(".hypex-support-log").get_by_text(said).wait_for()
    orders.get_by_text(f"{order.number} · Cancelled").wait_for()
    order.refresh_from_db()
    assert order.status == "Cancelled"

    line = paid.lines.get()
    row = orders.locator(f".agent-console-order[data-number='{paid.number}']")
    row.get_by_role("button", name="Refund").click()
    row.get_by_label(f"Units of {line.title} to refund").fill("2")
    row.get_by_label("Refund reason").fill("Two arrived torn")
    row.get_by_role("button", name="Refund…").click()
    row.get_by_text(f"Refund 2 × {line.title} on order {paid.number}?").wait_for()
    row.get_by_role("button", name="Yes, refund").click()
    said = f"Alex refunded 20.00 {paid.currency} on order {paid.number} (2 × {line.title})."
    agent.locator("#agent-console-log").get_by_text(said).wait_for()
    shopper.locator(".hypex-support-log").get_by_text(said).wait_for()
    assert str(paid.sources.get().amount_refunded) == "20.00"
    assert paid.payment_events.get(event_type__name="Refunded").reference.startswith("dummy_re_")
    assert IdempotencyKey.objects.get().key.startswith("console-")  # a retried refund refunds once
