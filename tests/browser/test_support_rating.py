"""A guest chats, the agent (whose console shows the first-response countdown) closes the conversation,
and the guest rates it from the card the widget shows after closing. One real ASGI server (daphne)."""

import pytest
from oscar.test.factories import create_product

from support.models import ConversationRating
from tests.browser.console import agent_create, console_open

pytestmark = pytest.mark.django_db(transaction=True)


def test_guest_rates_a_closed_conversation_in_the_widget(browser, asgi_server):
    product = create_product(title="Blue Linen Shirt", price=45, num_in_stock=3)
    agent_create()
    shopper = browser.new_context(base_url=asgi_server.url).new_page()
    agent = browser.new_context(base_url=asgi_server.url).new_page()
    for page in (shopper, agent):
        page.set_default_timeout(15_000)

    shopper.goto(product.get_absolute_url())
    shopper.get_by_role("button", name="Help").click()
    shopper.get_by_label("Your question").fill("Does it crease?")
    shopper.get_by_label("Your email").fill("guest@example.com")
    shopper.get_by_role("button", name="Start chat").click()
    shopper.locator(".hypex-support-log").get_by_text("Does it crease?").wait_for()

    console_open(agent)
    item = agent.locator("#agent-console-conversations li", has_text="About Blue Linen Shirt")
    item.locator(".agent-console-sla").wait_for()  # the countdown (default target: 60 business minutes)
    item.click()
    agent.locator("#agent-console-log").get_by_text("Does it crease?").wait_for()
    agent.locator("#agent-console-close").click()

    card = shopper.locator(".hypex-support-rating")
    card.get_by_role("button", name="4 out of 5").click()
    card.get_by_label("Comment").fill("Clear answer")
    card.get_by_role("button", name="Send rating").click()
    shopper.get_by_text("Thank you: you rated us 4 out of 5.").wait_for()
    rating = ConversationRating.objects.get()
    assert (rating.score, rating.comment) == (4, "Clear answer")
