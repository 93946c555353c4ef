"""The periodic runner of the embedded default (HUEY_MODE=immediate, no consumer): the server process
runs the due periodic tasks each minute, so scheduled CMS pages go live and unpaid orders expire."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from huey import SqliteHuey
from huey.contrib import djhuey
from wagtail.models import Revision

from ops import periodic_runner
from ops.periodic_runner import PeriodicRunner, periodic_runner_start
from tests.asgi_server import ROOT, AsgiServer, _free_port, database_env
from tests.huey_worker import wait_until


@pytest.fixture
def home(db):
    """Wagtail's tree (a transactional test elsewhere may have flushed it)."""
    from wagtail.models import Locale, Page

    from content.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    return (root.get_children().first() or root.add_child(instance=HomePage(title="Home", slug="home"))).specific


def _page_due_a_minute_ago(home, slug: str):
    """An editor scheduled the page ("Go live date/time", Publish) and that time passed a minute ago."""
    from content.models import CampaignPage

    page = CampaignPage(title=slug.title(), slug=slug, live=False)
    home.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    due = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.get(pk=page.latest_revision_id)
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save(update_fields=["content", "approved_go_live_at"])
    type(page).objects.filter(pk=page.pk).update(go_live_at=due)
    page.refresh_from_db()
    assert not page.live
    return page


@pytest.mark.django_db
def test_a_tick_publishes_the_page_due_a_minute_ago_and_expires_the_unpaid_order(
    home, user, settings, tmp_path, client, staff_user, monkeypatch
):
    from tests.checkout.lifecycle import order_place

    settings.ORDER_UNPAID_CANCEL_MINUTES = 30
    page = _page_due_a_minute_ago(home, "winter-sale")
    order = order_place(user=user)
    type(order).objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(minutes=45))
    runner = PeriodicRunner(djhuey.HUEY, lock_path=tmp_path / "runner.lock")
    assert djhuey.HUEY.immediate

    ran = runner.tick()

    page.refresh_from_db()
    order.refresh_from_db()
    assert page.live and order.status == "Cancelled"
    assert {"scheduled_content_publish", "orders_unpaid_cancel", "outbox_relay"} <= set(ran)
    # The monitor says how periodic tasks run in this mode, and lists the runs.
    monkeypatch.setattr(periodic_runner, "_runner", runner)
    runner.state.holds_lock = True
    client.force_login(staff_user)
    html = client.get("/admin/tasks/").content.decode()
    assert 'id="periodic-runner"' in html and "runs the due periodic tasks itself at the start of every minute" in html
    assert "scheduled_content_publish" in html[html.index('id="recent-successes"') :]


def test_a_tick_goes_on_after_a_failing_task(tmp_path):
    huey = SqliteHuey(name="runner-test", filename=str(tmp_path / "h.sqlite3"), immediate=True)
    done = []

    @huey.periodic_task(lambda ts: True, name="first")
    def first():
        raise RuntimeError("broken")

    @huey.periodic_task(lambda ts: True, name="second")
    def second():
        done.append(1)

    assert sorted(PeriodicRunner(huey, lock_path=tmp_path / "l").tick()) == ["first", "second"]
    assert done == [1]


def test_one_runner_per_lock_file(tmp_path):
    first = PeriodicRunner(djhuey.HUEY, lock_path=tmp_path / "runner.lock")
    second = PeriodicRunner(djhuey.HUEY, lock_path=tmp_path / "runner.lock")
    assert first.acquire() and not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_it_starts_only_when_enabled_with_an_immediate_huey_and_once(settings, monkeypatch, tmp_path):
    started = []
    monkeypatch.setattr(PeriodicRunner, "start", lambda self: started.append(self))
    monkeypatch.setattr(periodic_runner, "_runner", None)
    settings.HUEY_PERIODIC_RUNNER_LOCK = str(tmp_path / "runner.lock")
    assert periodic_runner_start() is None  # the test settings turn it off

    settings.HUEY_PERIODIC_RUNNER = True
    monkeypatch.setattr(djhuey, "HUEY", SqliteHuey(name="q", filename=str(tmp_path / "q.sqlite3")))
    assert periodic_runner_start() is None  # a real queue: the consumer's scheduler runs them

    monkeypatch.undo()
    monkeypatch.setattr(PeriodicRunner, "start", lambda self: started.append(self))
    monkeypatch.setattr(periodic_runner, "_runner", None)
    settings.HUEY_PERIODIC_RUNNER = True
    runner = periodic_runner_start()
    assert runner is not None and periodic_runner_start() is runner and started == [runner]


def test_the_lock_file_sits_beside_the_sqlite_database(settings, monkeypatch):
    settings.HUEY_PERIODIC_RUNNER_LOCK = ""
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/shop/db.sqlite3"}
    monkeypatch.setattr(periodic_runner, "settings", type("Settings", (), {"DATABASES": {"default": database}}))
    assert str(periodic_runner.periodic_runner_lock_path()) == "/srv/shop/db.sqlite3.periodic-runner.lock"


def _env(tmp_path, **extra) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **database_env(), "REDIS_URL": "",
            "HUEY_PERIODIC_RUNNER": "1", "HUEY_PERIODIC_RUNNER_LOCK": str(tmp_path / "runner.lock"),
            "LOG_LEVEL": "INFO", **extra}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_served_embedded_shop_publishes_a_due_page_by_itself(home, tmp_path):
    page = _page_due_a_minute_ago(home, "goes-live")
    server = AsgiServer(env={"HUEY_PERIODIC_RUNNER": "1", "HUEY_PERIODIC_RUNNER_LOCK": str(tmp_path / "r.lock")})
    server.start()
    try:
        assert wait_until(lambda: type(page).objects.get(pk=page.pk).live, 30), server.log_path.read_text()[-2000:]
    finally:
        server.stop()


@pytest.mark.django_db
def test_a_management_command_starts_no_runner(tmp_path):
    code = "from ops.periodic_runner import periodic_runner_current as c; import config.urls; print('runner:', c())"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=_env(tmp_path), capture_output=True,
        text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert "runner: None" in out


@pytest.mark.django_db
def test_runserver_with_its_autoreloader_starts_one_runner_in_the_serving_child(tmp_path):
    log = tmp_path / "runserver.log"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{_free_port()}"],
        cwd=ROOT, env=_env(tmp_path), stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        started = lambda: re.findall(r"periodic runner started in process (\d+)", log.read_text())  # noqa: E731
        assert wait_until(started, 60), log.read_text()[-3000:]
        wait_until(lambda: len(started()) > 1, 3)  # a second start would show by now
        pids = started()
        assert len(pids) == 1 and int(pids[0]) != process.pid  # the child serves; the parent only watches
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the runserver parent and its child, started here
        process.wait(timeout=20)
