"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Chromium comes from Debian (`scripts/install-system-deps`, run by CI); Playwright never downloads a
browser. Without /usr/bin/chromium these tests are skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.asgi_server import AsgiServer

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`--dist loadgroup`) every browser test runs in one worker: one Chromium and
    one live server at a time on a small machine, while the other workers run the rest (ADR 0030)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))
    _phone_width_twins_run_once(items)


PHONE_WIDTH_ID = "390px"


def _phone_width_twins_run_once(items) -> None:
    """A journey run at 1280 px and at 390 px sends the server the same requests (the width changes the
    layout, which the browser draws; nothing on the server reads it). The SQLite suite runs both widths;
    the PostgreSQL + Redis suite, which is there for the server's side, runs the 1280 px one and skips
    its 390 px twin, about a minute of a CI run (docs/adr/0038). A 390 px test without a 1280 px twin
    (the phone layout tests) runs in both suites."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    browser_items = [item for item in items if HERE in item.path.parents and hasattr(item, "callspec")]
    ids = {item.nodeid for item in browser_items}
    skip = pytest.mark.skip(
        reason="the 390 px twin of a 1280 px journey: the same server work, run in the SQLite suite"
    )
    for item in browser_items:
        if PHONE_WIDTH_ID in item.callspec.id and item.nodeid.replace(PHONE_WIDTH_ID, "1280px") in ids:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Module scope: Playwright's sync API keeps an asyncio loop running
    in this thread while it lives, which must be gone before async (Channels) tests run."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (run scripts/install-system-deps)")
    from playwright.sync_api import sync_playwright

    # While Playwright lives, this thread has a running asyncio loop; the tests' own ORM calls (reading
    # rows, flushing the database) are still synchronous code and may run beside it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def asgi_server():
    """The production server (tests/asgi_server.py) on the test database, for journeys that need HTTP and
    websockets in one real process (live_server speaks no websockets)."""
    server = AsgiServer().start()
    yield server
    server.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, keep a screenshot and the HTML in var/browser-failures/ for diagnosis."""
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.failed and call.when == "call" and page is not None:
        folder = HERE.parents[1] / "var" / "browser-failures"
        folder.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(folder / f"{item.name}.png"), full_page=True)
            (folder / f"{item.name}.html").write_text(page.content())
            report.sections.append(("browser", f"page {page.url}; screenshot in {folder}"))
        except Exception as exc:  # noqa: BLE001 - diagnostics must not hide the real failure
            report.sections.append(("browser", f"could not capture the page: {exc}"))
    return report


def demo_shop_seed(products: int, *, history: bool) -> None:
    """Run `seed_demo` in a thread of its own: this thread has Playwright's running asyncio loop, and the
    seed's after-commit side reactions (order events broadcast over the channel layer) need a thread
    without one, as they have in a web or worker process. `history=False`: without the customers' order
    history and reviews (`seed_demo --no-history`)."""
    import threading

    from django.core.management import call_command
    from django.db import connections

    failure: list[BaseException] = []

    def seed() -> None:
        try:
            call_command("seed_demo", products=products, no_history=not history, no_progress=True, verbosity=0)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=seed)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
