"""Support that sells (ADR 0049), in two browsers against one real ASGI server: a guest opens the chat,
an agent opens it in the console, searches the catalogue and proposes a product, the guest adds it to
their basket from the card in the chat, the agent sees the basket change live, and the guest checks
out and pays with what support proposed."""

import re

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from support.models import BasketProposal
from tests.browser.axe import FAILING_IMPACTS, axe_violations, describe
from tests.browser.conftest import demo_shop_seed
from tests.browser.console import agent_create, console_open

pytestmark = pytest.mark.django_db(transaction=True)
GUEST = "sells.guest@example.com"
Order = get_model("order", "Order")


def assert_accessible_within(page, selector: str, *, context: str) -> None:
    """axe-core's critical and serious findings inside `selector` only: this feature's own UI (the rest
    of the page is other features' to check)."""
    axe_violations(page)  # loads axe-core into the page (or skips the test when it is not installed)
    found = page.evaluate(
        "async (s) => (await window.axe.run(s, { resultTypes: ['violations'] })).violations", selector
    )
    serious = [v for v in found if v.get("impact") in FAILING_IMPACTS]
    if serious:
        pytest.fail(f"axe-core found {len(serious)} critical/serious violation(s) in {context}:\n{describe(serious)}")


def _agent_opens_the_conversation(agent, subject: str) -> None:
    console_open(agent)
    agent.locator("#agent-console-conversations li", has_text=subject).click()


def _guest_checks_out(shopper) -> None:
    """The guest journey of tests/browser/test_checkout_journey.py, from the basket to the thank-you page."""
    shopper.goto("/checkout/")
    shopper.fill("#id_username", GUEST)
    shopper.check("input[name=options][value=anonymous]")
    shopper.locator("form button[type=submit]", has_text=re.compile("Continue", re.I)).first.click()
    shopper.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    shopper.fill("#id_first_name", "Ada")
    shopper.fill("#id_last_name", "Lovelace")
    shopper.fill("#id_line1", "1 Mill Yard")
    shopper.fill("#id_line4", "Leeds")
    shopper.fill("#id_postcode", "LS1 1AA")
    shopper.select_option("#id_country", "GB")
    shopper.locator("form button[type=submit]", has_text=re.compile("Continue", re.I)).first.click()
    shopper.wait_for_load_state()
    if "/checkout/shipping-method/" in shopper.url:
        shopper.locator("form button[type=submit]").first.click()
    shopper.wait_for_url(re.compile(r"/checkout/payment-details/"))
    shopper.click("#view_preview")
    shopper.wait_for_url(re.compile(r"/checkout/preview/"))
    shopper.click("#place-order")
    shopper.wait_for_url(re.compile(r"/payments/dummy/"))
    shopper.get_by_role("button", name="Approve payment").click()
    shopper.wait_for_url(re.compile(r"/checkout/thank-you/"))


def test_agent_proposes_guest_accepts_agent_sees_the_basket_guest_pays(browser, asgi_server):
    demo_shop_seed(2, history=False)  # countries, shipping and the payment gateway, as the checkout journey has them
    # a product with variants: the agent proposes the navy one
    apron = create_product(title="Harbour Linen Apron", structure="parent")
    product = create_product(title="Harbour Linen Apron, navy", parent=apron, price=45, num_in_stock=3)
    create_product(title="Harbour Linen Apron, sand", parent=apron, price=45, num_in_stock=0)
    agent_create()

    # the shopper is on a phone (390 px), the agent at a desk
    shopper_context = browser.new_context(base_url=asgi_server.url, viewport={"width": 390, "height": 844})
    agent_context = browser.new_context(base_url=asgi_server.url)
    shopper, agent = shopper_context.new_page(), agent_context.new_page()
    for page in (shopper, agent):
        page.set_default_timeout(15_000)

    # the guest asks on the product page
    shopper.goto(apron.get_absolute_url())
    shopper.get_by_role("button", name="Help").click()
    shopper.get_by_label("Your question").fill("Does this come in a gift box?")
    shopper.get_by_label("Your email").fill(GUEST)
    shopper.get_by_role("button", name="Start chat").click()
    shopper.locator(".hypex-support-log").get_by_text("Does this come in a gift box?").wait_for()

    # the agent finds the shirt and proposes it
    _agent_opens_the_conversation(agent, "About Harbour Linen Apron")
    agent.locator("#agent-console-log").get_by_text("Does this come in a gift box?").wait_for()
    agent.fill("#agent-console-input", "It does - and the navy one is in stock. Here it is:")
    agent.press("#agent-console-input", "Enter")  # answering assigns the conversation to the agent
    shopper.locator(".hypex-support-log").get_by_text("the navy one is in stock").wait_for()
    agent.get_by_label("Search products").fill("Apron")
    agent.get_by_role("button", name="Search", exact=True).click()
    agent.get_by_label("Quantity").fill("2")
    agent.get_by_role("button", name="Propose Harbour Linen Apron, navy", exact=True).wait_for()
    assert agent.get_by_role("button", name="Propose Harbour Linen Apron, sand", exact=True).is_disabled()  # none left
    assert_accessible_within(agent, ".hx-propose", context="the console's proposal tool with search results")
    agent.get_by_role("button", name="Propose Harbour Linen Apron, navy", exact=True).click()
    agent.locator(".hx-propose__list li[data-status=proposed]", has_text="Harbour Linen Apron, navy").wait_for()

    # the guest sees the card and adds it to their basket
    card = shopper.locator(".hx-proposal", has_text="Harbour Linen Apron, navy")
    card.wait_for()
    assert "45.00" in card.inner_text()
    assert_accessible_within(shopper, ".hx-proposal", context="the proposal card, 390 px")
    box = card.get_by_role("button", name="Add to basket").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # usable on the phone, not cut off
    card.get_by_role("button", name="Add to basket").click()
    card.get_by_text("Added to your basket.").wait_for()
    # the header's basket follows without a page load
    shopper.locator("#mini-basket [data-basket-count]", has_text="2").wait_for()

    # the agent sees it accepted, and the basket with the shirts, live
    agent.locator(".hx-propose__list li[data-status=accepted]", has_text="Harbour Linen Apron, navy").wait_for()
    agent.locator("#hx-propose-basket").get_by_text("2 × Harbour Linen Apron, navy").wait_for()
    proposal = BasketProposal.objects.get()
    assert proposal.status == "accepted" and proposal.basket_id is not None

    # the guest's own basket page holds it, and they pay for it
    shopper.goto("/basket/")
    assert "Harbour Linen Apron, navy" in shopper.content()
    _guest_checks_out(shopper)
    order = Order.objects.get(guest_email=GUEST)
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(product.pk, 2)]
    assert order.basket_id == proposal.basket_id

    # the back office credits the agent's conversation with the order and the accepted proposal
    agent.goto("/admin/support/report/?period=7d")
    row = agent.locator("tr[data-agent]", has_text="Alex")
    assert row.locator("[data-orders]").inner_text() == "1"
    assert row.locator("[data-proposals-accepted]").inner_text() == "1"
    assert row.locator("[data-revenue]").inner_text() == f"{order.total_incl_tax} GBP"

    shopper_context.close()
    agent_context.close()
