"""The support widget in a real browser against a real ASGI server (daphne: pages and websockets):

- a guest sends an image and sees it inline as a thumbnail, next to the agent's reply; every message,
  either side's, shows its time;
- the widget shows one view at a time - the start form, the message box, or "Reopen" - on every path:
  a fresh visitor, a started chat, a restored one after a reload, a closed one, a saved conversation
  that is gone (404), and a start the API refused."""

import io
import threading

import pytest
from oscar.test.factories import create_product
from PIL import Image

from support import services
from support.models import Conversation, Message
from tests.asgi_server import AsgiServer

pytestmark = pytest.mark.django_db(transaction=True)
START, SEND, REOPEN = ".hypex-support-start", ".hypex-support-send", ".hypex-support-reopen"


@pytest.fixture
def asgi_server():
    server = AsgiServer(env={"SERVE_MEDIA": "1"}).start()  # the attachments, as nginx serves them in production
    yield server
    server.stop()


@pytest.fixture
def shopper(browser, asgi_server):
    context = browser.new_context(base_url=asgi_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _in_a_thread(fn):
    """Run a service from this thread, which has Playwright's running loop (its after-commit broadcast
    needs a thread without one, as in a web or worker process)."""
    failure: list[BaseException] = []

    def run():
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _view(page) -> str:
    """Which of the three views shows; fails if more than one does."""
    shown = [
        name
        for name, selector in (("start", START), ("chat", SEND), ("closed", REOPEN))
        if page.locator(selector).is_visible()
    ]
    assert len(shown) <= 1, f"shown together: {shown}"
    return shown[0] if shown else "none"


def _open(page):
    if page.locator("#hypex-support-panel").is_hidden():
        page.get_by_role("button", name="Help").click()
    page.locator("#hypex-support-panel").wait_for()


def _start(page, question: str):
    _open(page)
    page.get_by_label("Your question").fill(question)
    page.get_by_label("Your email").fill("guest@example.com")
    page.get_by_role("button", name="Start chat").click()
    page.locator(".hypex-support-log").get_by_text(question).wait_for()


def test_guest_sends_an_image_and_sees_it_inline_with_times_on_both_sides(shopper):
    product = create_product(title="Red Oxford Shirt", price=45, num_in_stock=3)
    shopper.goto(product.get_absolute_url())
    _start(shopper, "Is this the right red?")

    shopper.locator(".hypex-support-file").set_input_files(
        files=[{"name": "colour.png", "mimeType": "image/png", "buffer": _png()}]
    )
    thumb = shopper.locator(".hypex-support-log img.hypex-support-thumb")
    thumb.wait_for()
    shopper.wait_for_function("document.querySelector('.hypex-support-thumb').naturalWidth === 40")
    assert thumb.locator("xpath=..").get_attribute("href").endswith(".png")
    assert "[image]" not in shopper.locator(".hypex-support-log").inner_text()
    assert Message.objects.exclude(attachment="").count() == 1

    conversation = Conversation.objects.get()
    _in_a_thread(
        lambda: services.message_post(conversation=conversation, author=None, role="agent", body="Yes, it is.")
    )
    shopper.reload()  # the reply was written here, not by the server: it comes with the restored history
    _open(shopper)
    shopper.locator(".hypex-support-log").get_by_text("Yes, it is.").wait_for()
    shopper.locator(".hypex-support-thumb").wait_for()
    for item in shopper.locator(".hypex-support-log > li").all():  # customer's, the image, the agent's
        assert item.locator("time.hypex-support-time").inner_text().strip(), item.inner_text()
    assert shopper.locator(".hypex-support-agent time").count() == 1


def test_one_view_at_a_time_on_every_path(shopper):
    product = create_product(title="Blue Linen Shirt", price=39, num_in_stock=3)
    url = product.get_absolute_url()

    shopper.goto(url)
    _open(shopper)
    assert _view(shopper) == "start"

    # The API refuses a start: the start form stays, with the reason, and no message box.
    shopper.route("**/api/v1/support/conversations/", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"error": {"code": "unavailable", "message": "Chat is resting, try again soon."}}',
    ))  # fmt: skip
    shopper.get_by_label("Your question").fill("Hello?")
    shopper.get_by_label("Your email").fill("guest@example.com")
    shopper.get_by_role("button", name="Start chat").click()
    shopper.get_by_text("Chat is resting, try again soon.").wait_for()
    assert _view(shopper) == "start"
    shopper.unroute("**/api/v1/support/conversations/")

    # Started: the message box only.
    shopper.get_by_role("button", name="Start chat").click()
    shopper.locator(".hypex-support-log").get_by_text("Hello?").wait_for()
    assert _view(shopper) == "chat"

    # Restored after a reload: the message box only, never the start form in between.
    shopper.reload()
    shopper.wait_for_function("document.querySelector('#hypex-support-panel').dataset.view === 'chat'")
    _open(shopper)
    assert _view(shopper) == "chat"

    # Closed (by the shopper), then restored: "Reopen" only.
    shopper.wait_for_function("window.HypexSupport.send({type: 'ping'})")  # true once the socket is open
    shopper.evaluate("window.HypexSupport.send({type: 'close'})")
    shopper.locator(REOPEN).wait_for()
    assert _view(shopper) == "closed"
    shopper.reload()
    shopper.wait_for_function("document.querySelector('#hypex-support-panel').dataset.view === 'closed'")
    _open(shopper)
    assert _view(shopper) == "closed"

    # A saved conversation that is gone: forgotten, the start form only.
    shopper.evaluate("localStorage.setItem('hypex.support.conversation', '987654')")
    shopper.reload()
    shopper.wait_for_function("document.querySelector('#hypex-support-panel').dataset.view === 'start'")
    _open(shopper)
    assert _view(shopper) == "start"
    assert shopper.evaluate("localStorage.getItem('hypex.support.conversation')") is None
