"""The support report (/admin/support/report/): per agent and period, from known conversations, messages,
ratings and orders; percentiles checked by hand; orders credited within the attribution window only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.core.loading import get_model
from oscar.test import factories

from backoffice.roles import ORDER_MANAGER, SUPPORT_AGENT
from support.models import BasketProposal, Conversation, ConversationRating, Message
from support.reporting import orders_credited_by_agent, percentile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]

Order = get_model("order", "Order")
DAY = dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.UTC)  # conversations start here (a Tuesday)
RANGE = "?period=range&start=2026-11-01&end=2026-11-30"


def _member(email: str, role: str, first_name: str = ""):
    user = get_user_model().objects.create_user(email=email, password="a-long-password-1", first_name=first_name)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=role))
    return user


def _conversation(*, agent, minutes_to_answer=None, resolved_hours=None, customer=None, guest_email="",
                  started=DAY, rating=None) -> Conversation:  # fmt: skip
    if customer is None and not guest_email:
        guest_email = f"g{Conversation.objects.count()}@example.com"
    conversation = Conversation.objects.create(
        customer=customer, guest_email=guest_email, subject="Q", assigned_agent=agent, created_at=started
    )
    Message.objects.create(conversation=conversation, role=Message.Role.CUSTOMER, body="Hi", created_at=started)
    if minutes_to_answer is not None:
        answered = started + dt.timedelta(minutes=minutes_to_answer)
        Message.objects.create(conversation=conversation, author=agent, role=Message.Role.AGENT, body="Hello",
                               created_at=answered)  # fmt: skip
        # a later answer does not change the first response
        Message.objects.create(conversation=conversation, author=agent, role=Message.Role.AGENT, body="More",
                               created_at=answered + dt.timedelta(hours=5))  # fmt: skip
    if resolved_hours is not None:
        conversation.status = Conversation.Status.CLOSED
        conversation.closed_at = started + dt.timedelta(hours=resolved_hours)
        conversation.save(update_fields=["status", "closed_at"])
        if rating:
            ConversationRating.objects.create(conversation=conversation, score=rating)
    return conversation


def _order(*, placed, price="25.00", user=None, guest_email="", status="Paid"):
    product = factories.create_product(title="Lamp", price=Decimal(price), num_in_stock=100)
    basket = factories.create_basket(empty=True)
    basket.add_product(product, quantity=1)
    order = factories.create_order(basket=basket, status=status, user=user)
    Order.objects.filter(pk=order.pk).update(date_placed=placed, guest_email=guest_email)
    return order


@pytest.fixture
def team():
    alex = _member("alex@example.com", SUPPORT_AGENT, "Alex")
    bo = _member("bo@example.com", SUPPORT_AGENT, "Bo")
    return alex, bo


def _row(page: str, agent_id) -> str:
    start = page.index(f'data-agent="{agent_id}"')
    return page[start : page.index("</tr>", start)]


def _cell(row: str, name: str) -> str:
    start = row.index(f"data-{name}>") + len(f"data-{name}>")
    return row[start : row.index("</td>", start)].strip()


def test_percentiles_by_nearest_rank():
    assert percentile([10, 1, 3, 2, 4], 0.9) == 10
    assert percentile(list(range(1, 21)), 0.9) == 18
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.9) is None


def test_report_shows_each_agents_times_ratings_and_credited_orders(client, team):
    alex, bo = team
    shopper = get_user_model().objects.create_user(email="sam@example.com", password="a-long-password-1")
    for minutes, hours, rating in ((1, 2, 5), (2, 4, 4), (3, 6, None), (4, None, None), (10, 48, None)):
        _conversation(agent=alex, minutes_to_answer=minutes, resolved_hours=hours, rating=rating,
                      customer=shopper if minutes == 1 else None)  # fmt: skip
    _conversation(agent=bo, minutes_to_answer=2, resolved_hours=1, rating=2, guest_email="Guest@Example.com")
    _conversation(agent=bo, minutes_to_answer=4)
    _conversation(agent=None)  # nobody answered
    _conversation(agent=alex, minutes_to_answer=1, started=DAY - dt.timedelta(days=20))  # October: outside

    _order(user=shopper, placed=DAY + dt.timedelta(days=2), price="30.00")  # credited to Alex
    _order(user=shopper, placed=DAY + dt.timedelta(days=6), price="99.00")  # after the 5-day window
    _order(user=shopper, placed=DAY + dt.timedelta(days=1), price="50.00", status="Cancelled")  # not revenue
    _order(guest_email="guest@example.com", placed=DAY + dt.timedelta(hours=3), price="12.50")  # Bo, a guest
    _order(guest_email="someone@example.com", placed=DAY + dt.timedelta(hours=3))  # no conversation
    asked = Conversation.objects.filter(assigned_agent=alex).first()
    for status, accepted in (
        ("accepted", DAY),
        ("accepted", DAY + dt.timedelta(days=1)),
        ("declined", None),
        ("accepted", DAY - dt.timedelta(days=20)),
    ):  # the last: October, outside
        BasketProposal.objects.create(conversation=asked, proposed_by=alex, voucher_code="WELCOME10",
                                      status=status, accepted_at=accepted)  # fmt: skip
    BasketProposal.objects.create(conversation=asked, proposed_by=bo, voucher_code="X", status="accepted",
                                  accepted_at=DAY)  # fmt: skip

    client.force_login(alex)
    response = client.get("/admin/support/report/" + RANGE)
    assert response.status_code == 200
    page = response.content.decode()

    row = _row(page, alex.pk)
    assert "Alex" in row
    assert _cell(row, "conversations") == "5"
    assert _cell(row, "first-response-median") == "3.0 min"  # 1, 2, 3, 4, 10
    assert _cell(row, "first-response-p90") == "10.0 min"
    assert _cell(row, "resolution-median") == "5.0 h"  # 2, 4, 6, 48
    assert _cell(row, "resolution-p90") == "48.0 h"
    assert _cell(row, "satisfaction") == "4.50 / 5" and _cell(row, "ratings") == "2"
    assert _cell(row, "orders") == "1" and _cell(row, "revenue") == "30.00 GBP"
    assert _cell(row, "proposals-accepted") == "2"  # by the agent who proposed them, accepted in the period

    row = _row(page, bo.pk)
    assert _cell(row, "first-response-median") == "3.0 min"  # 2, 4: the mean of the middle two
    assert _cell(row, "first-response-p90") == "4.0 min"
    assert _cell(row, "satisfaction") == "2.00 / 5"
    assert _cell(row, "orders") == "1" and _cell(row, "revenue") == "12.50 GBP"
    assert _cell(row, "proposals-accepted") == "1"

    row = _row(page, "none")
    assert _cell(row, "conversations") == "1" and _cell(row, "first-response-median") == "-"


def test_attribution_window_edges_and_guests(settings, team):
    alex, _ = team
    settings.SUPPORT_ATTRIBUTION_DAYS = 5
    shopper = get_user_model().objects.create_user(email="sam@example.com", password="a-long-password-1")
    _conversation(agent=alex, customer=shopper)
    _conversation(agent=alex, guest_email="guest@example.com")
    _order(user=shopper, placed=DAY + dt.timedelta(days=5))  # the last instant of the window: credited
    _order(user=shopper, placed=DAY - dt.timedelta(minutes=1))  # before the conversation: not credited
    _order(guest_email="GUEST@example.com", placed=DAY + dt.timedelta(days=5, seconds=1))  # just outside
    _order(user=shopper, guest_email="guest@example.com", placed=DAY + dt.timedelta(days=1), price="7.00")
    start, end = DAY - dt.timedelta(days=3), DAY + dt.timedelta(days=30)
    credited = orders_credited_by_agent(start=start, end=end, statuses=("Paid",))
    # a signed-in order is matched by its user, never by an email
    assert credited[alex.pk].orders == 2
    assert credited[alex.pk].revenue == {"GBP": Decimal("32.00")}

    settings.SUPPORT_ATTRIBUTION_DAYS = 6  # read at report time: the third order now counts
    assert orders_credited_by_agent(start=start, end=end, statuses=("Paid",))[alex.pk].orders == 3


def test_an_order_is_credited_once_to_the_latest_conversation(team):
    alex, bo = team
    shopper = get_user_model().objects.create_user(email="sam@example.com", password="a-long-password-1")
    _conversation(agent=alex, customer=shopper, started=DAY)
    _conversation(agent=bo, customer=shopper, started=DAY + dt.timedelta(days=1))
    _order(user=shopper, placed=DAY + dt.timedelta(days=2))
    credited = orders_credited_by_agent(start=DAY, end=DAY + dt.timedelta(days=10), statuses=("Paid",))
    assert set(credited) == {bo.pk} and credited[bo.pk].orders == 1


def test_periods_and_bad_ranges(client, team):
    alex, _ = team
    client.force_login(alex)
    for period in ("today", "7d", "30d"):
        assert client.get(f"/admin/support/report/?period={period}").status_code == 200
    assert client.get("/admin/support/report/").status_code == 200
    for query in ("?period=range", "?period=range&start=2026-11-30&end=2026-11-01", "?period=range&start=x&end=y",
                  "?period=range&start=2020-01-01&end=2026-01-01", "?period=forever"):  # fmt: skip
        response = client.get("/admin/support/report/" + query)
        assert response.status_code == 400, query
        assert 'id="support-report-errors"' in response.content.decode()


def test_only_support_agents_and_superusers_see_the_report(client, team, staff_user):
    alex, _ = team
    url = "/admin/support/report/"
    client.force_login(_member("orders@example.com", ORDER_MANAGER))
    assert client.get(url).status_code == 403
    client.force_login(alex)
    assert client.get(url).status_code == 200
    client.force_login(staff_user)  # a superuser (a manager)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the admin login


def test_a_support_agent_reads_ratings_and_sets_the_service_level(client, team):
    alex, _ = team
    client.force_login(alex)
    assert client.get("/admin/support/conversationrating/").status_code == 200
    assert client.get("/admin/support/servicelevel/add/").status_code == 200
    nav = client.get("/admin/").content.decode()
    assert "/admin/support/report/" in nav and "/admin/support/servicelevel/" in nav
