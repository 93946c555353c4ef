"""The first-response target: the merchant sets it and the business hours in the back office; the
agent console's snapshot, live updates and page carry each waiting conversation's time left and breach."""

from __future__ import annotations

import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from support import services
from support.models import Conversation, Message, ServiceLevel
from support.sla import conversation_time_left, service_level_target
from tests.support.conftest import connect_with_token

ROUND_THE_CLOCK = {f"{day}": True for day in ServiceLevel.DAY_FIELDS}


def _always_open(minutes: int) -> ServiceLevel:
    return ServiceLevel.objects.create(
        first_response_minutes=minutes, opens_at=dt.time(0), closes_at=dt.time(0), time_zone="UTC", **ROUND_THE_CLOCK
    )


@pytest.mark.django_db(transaction=True)
async def test_console_snapshot_sorts_by_time_left_and_flags_breaches(user, agent):
    await database_sync_to_async(_always_open)(30)
    late = await database_sync_to_async(services.conversation_start)(customer=user, subject="Late", body="Hello?")
    fresh = await database_sync_to_async(services.conversation_start)(customer=user, subject="Fresh", body="Hi")
    answered = await database_sync_to_async(services.conversation_start)(customer=user, subject="Done", body="Q")
    await database_sync_to_async(services.message_post)(
        conversation=answered, author=agent, role=Message.Role.AGENT, body="A"
    )
    await database_sync_to_async(Conversation.objects.filter(pk=late.pk).update)(
        waiting_since=timezone.now() - dt.timedelta(minutes=45)
    )
    console, _, _ = await connect_with_token(agent, "/ws/support/agents/")
    snapshot = await console.receive_json_from()
    by_id = {c["id"]: c for c in snapshot["conversations"]}
    assert by_id[late.pk]["sla_breached"] is True
    assert -15 * 60 - 5 <= by_id[late.pk]["sla_seconds_left"] <= -15 * 60 + 5
    assert by_id[fresh.pk]["sla_breached"] is False
    assert 29 * 60 <= by_id[fresh.pk]["sla_seconds_left"] <= 30 * 60
    assert by_id[answered.pk]["sla_seconds_left"] is None and by_id[answered.pk]["sla_due_at"] is None
    waiting = [c["id"] for c in snapshot["conversations"] if c["sla_seconds_left"] is not None]
    assert waiting == sorted(waiting, key=lambda pk: by_id[pk]["sla_seconds_left"]) == [late.pk, fresh.pk]

    # A live update carries it too.
    await database_sync_to_async(services.message_post)(
        conversation=fresh, author=user, role=Message.Role.CUSTOMER, body="Still there?"
    )
    update = await console.receive_json_from()
    assert update["conversation"]["id"] == fresh.pk and update["conversation"]["sla_due_at"]
    await console.disconnect()


@pytest.mark.django_db
def test_outside_business_hours_the_clock_stops(user):
    # Monday-Friday 09:00-17:00 London; a shopper writes on Saturday: due Monday 09:00 + target.
    ServiceLevel.objects.create(first_response_minutes=60)
    conversation = services.conversation_start(customer=user, subject="Weekend", body="Anyone?")
    saturday = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    Conversation.objects.filter(pk=conversation.pk).update(waiting_since=saturday)
    conversation.refresh_from_db()
    left = conversation_time_left(conversation, now=dt.datetime(2026, 1, 11, 20, tzinfo=dt.UTC))
    assert left == {"sla_seconds_left": 3600, "sla_due_at": "2026-01-12T10:00:00+00:00", "sla_breached": False}


@pytest.mark.django_db
def test_console_page_marks_breached_conversations(client, agent, user):
    _always_open(1)
    conversation = services.conversation_start(customer=user, subject="Help", body="Hi")
    Conversation.objects.filter(pk=conversation.pk).update(waiting_since=timezone.now() - dt.timedelta(minutes=5))
    client.force_login(agent)
    page = client.get("/admin/support/console/").content.decode()
    assert f'data-id="{conversation.pk}"' in page and 'class="agent-console-sla is-breached"' in page
    assert "agent-console-sla.js" in page


@pytest.mark.django_db
def test_merchant_sets_the_target_in_the_back_office_and_bad_zones_are_refused(client, agent):
    client.force_login(agent)
    url = "/admin/support/servicelevel/add/"
    form = {"first_response_minutes": "15", "monday": "on", "opens_at": "08:00", "closes_at": "20:00",
            "time_zone": "Mars/Olympus"}  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 200 and "Not a known time zone" in refused.content.decode()
    form["time_zone"] = "Europe/Paris"
    assert client.post(url, form).status_code == 302
    target = service_level_target()
    assert target.first_response_seconds == 15 * 60
    assert target.hours.days == frozenset({1}) and str(target.hours.time_zone) == "Europe/Paris"
    assert client.get(url).status_code == 403  # one row: change it, do not add another


@pytest.mark.django_db
def test_a_changed_target_is_seen_at_once_although_each_process_keeps_it_a_few_seconds(client, agent):
    _always_open(30)
    assert service_level_target().first_response_seconds == 30 * 60  # kept by this process from now on
    client.force_login(agent)
    level = ServiceLevel.objects.get()
    form = {"first_response_minutes": "5", "monday": "on", "opens_at": "08:00", "closes_at": "20:00",
            "time_zone": "UTC"}  # fmt: skip

    assert client.post(f"/admin/support/servicelevel/{level.pk}/change/", form).status_code == 302

    assert service_level_target().first_response_seconds == 5 * 60
