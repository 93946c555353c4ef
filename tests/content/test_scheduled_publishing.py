"""Scheduled publishing: the periodic huey task publishes what is due, leaves the future alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from wagtail.models import Revision

from content import services
from content.models import CampaignPage
from content.snippets import AnnouncementBar
from content.tasks import scheduled_content_publish

pytestmark = pytest.mark.django_db


def _scheduled_page(home, *, slug: str, go_live_at) -> CampaignPage:
    """An editor sets "Go live date/time" and presses Publish: Wagtail keeps the page a draft until then."""
    page = CampaignPage(title=slug.title(), slug=slug, live=False)
    home.add_child(instance=page)
    page.go_live_at = go_live_at
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    return page


def _time_passes(page_or_snippet, *, to) -> None:
    """Move a scheduled revision's go-live time into the past, as if the clock had reached it."""
    revision = Revision.objects.get(pk=page_or_snippet.latest_revision_id)
    revision.content["go_live_at"] = to.isoformat()
    revision.approved_go_live_at = to
    revision.save(update_fields=["content", "approved_go_live_at"])
    type(page_or_snippet).objects.filter(pk=page_or_snippet.pk).update(go_live_at=to)


def _run_task() -> None:
    scheduled_content_publish()  # enqueued; huey runs it in-process in tests


def test_task_publishes_a_page_whose_go_live_time_has_passed_and_leaves_future_ones_draft(client, home):
    now = timezone.now()
    due = _scheduled_page(home, slug="due", go_live_at=now + timedelta(hours=1))
    later = _scheduled_page(home, slug="later", go_live_at=now + timedelta(days=2))
    assert client.get("/due/").status_code == 404
    _time_passes(due, to=now - timedelta(minutes=1))

    _run_task()

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.live and not later.live
    assert client.get("/due/").status_code == 200 and client.get("/later/").status_code == 404
    assert scheduled_content_publish.call_local() == {"published": 0, "unpublished": 0}  # safe to run again


def test_task_unpublishes_a_page_past_its_expiry(client, home):
    page = CampaignPage(title="Flash sale", slug="flash", expire_at=timezone.now() + timedelta(hours=1))
    home.add_child(instance=page)
    page.save_revision().publish()
    CampaignPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(seconds=1))

    _run_task()

    page.refresh_from_db()
    assert not page.live and page.expired
    assert client.get("/flash/").status_code == 404


def test_task_publishes_a_scheduled_announcement(db):
    from django.template import Context, Template

    bar = AnnouncementBar(text="Sale starts now", live=False)
    bar.save()
    bar.go_live_at = timezone.now() + timedelta(hours=1)
    bar.save_revision().publish()
    bar.refresh_from_db()
    assert not bar.live
    _time_passes(bar, to=timezone.now() - timedelta(seconds=1))

    _run_task()

    assert "Sale starts now" in Template("{% load hypex_content %}{% announcement_bar %}").render(Context({}))


def test_a_lock_left_by_a_killed_worker_does_not_stop_scheduled_publishing(home):
    """The task once took a huey lock, a Redis hash field with no expiry: a worker killed mid-run left it
    behind and nothing was published again. The rows are locked instead; a leftover key changes nothing."""
    HUEY.put_if_empty(f"{HUEY.name}.lock.content-publish-scheduled", "1")
    try:
        now = timezone.now()
        due = _scheduled_page(home, slug="after-a-crash", go_live_at=now + timedelta(hours=1))
        _time_passes(due, to=now - timedelta(minutes=1))

        assert scheduled_content_publish.call_local() == {"published": 1, "unpublished": 0}
    finally:
        HUEY.delete(f"{HUEY.name}.lock.content-publish-scheduled")
    due.refresh_from_db()
    assert due.live


def test_a_page_taken_down_meanwhile_is_not_unpublished_twice(home, monkeypatch):
    """Two runs at once: the second finds the row no longer live under its lock and skips it."""
    page = CampaignPage(title="Gone", slug="gone", expire_at=timezone.now() + timedelta(hours=1))
    home.add_child(instance=page)
    page.save_revision().publish()
    CampaignPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    real_atomic = services.transaction.atomic

    def other_run_first(*args, **kwargs):  # the other run commits between our listing and our lock
        CampaignPage.objects.filter(pk=page.pk).update(live=False)
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(services.transaction, "atomic", other_run_first)
    result = services.scheduled_content_publish()
    monkeypatch.undo()

    assert result.unpublished == 0
