"""What support earns, per agent and period (ADR 0051): each metric is one function of `start`/`end`
(aware, [start, end)) returning a dict keyed by agent id (None: no agent assigned), so the back office's
report (backoffice.support_report) shows one column per function and another can be added alone.

The cohort is the conversations *started* in the period: their count, first-response and resolution
times, and ratings. Orders are those *placed* in the period, each credited to one conversation (see
`orders_credited_by_agent`). The agent credited is the conversation's assigned agent (the first agent to
answer is assigned automatically; a manager may reassign, and the credit moves with it).

Every function runs a fixed number of queries (no query per conversation) and computes percentiles in
Python, so SQLite and PostgreSQL give the same answers.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Min
from oscar.core.loading import get_model

from .models import Conversation, ConversationRating, Message


@dataclass(frozen=True)
class Durations:
    """Seconds: `median` (the middle value, or the mean of the two middle ones) and `p90` (nearest rank:
    the smallest value with at least 90% of the values at or below it); None without values."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Satisfaction:
    count: int
    average: Decimal | None  # to 2 places


@dataclass
class Credit:
    orders: int = 0
    revenue: dict[str, Decimal] = field(default_factory=dict)  # currency -> total incl. tax


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of `values` (any order); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def durations(values: list[float]) -> Durations:
    if not values:
        return Durations(count=0, median=None, p90=None)
    return Durations(count=len(values), median=float(statistics.median(values)), p90=percentile(values, 0.9))


def _started(start: dt.datetime, end: dt.datetime):
    return Conversation.objects.filter(created_at__gte=start, created_at__lt=end)


def conversations_by_agent(*, start: dt.datetime, end: dt.datetime) -> dict[int | None, int]:
    """Conversations started in the period, by assigned agent."""
    rows = _started(start, end).values("assigned_agent_id").annotate(n=Count("id")).order_by()
    return {row["assigned_agent_id"]: row["n"] for row in rows}


def first_response_by_agent(*, start: dt.datetime, end: dt.datetime) -> dict[int | None, Durations]:
    """From a conversation's start to the first agent message (wall-clock seconds), for conversations
    started in the period that were answered. Two queries."""
    started = dict(_started(start, end).values_list("id", "created_at"))
    agents = dict(_started(start, end).values_list("id", "assigned_agent_id"))
    first = (
        Message.objects.filter(conversation__created_at__gte=start, conversation__created_at__lt=end,
                               role=Message.Role.AGENT)
        .values("conversation_id").annotate(first=Min("created_at")).order_by()
    )  # fmt: skip
    values: dict[int | None, list[float]] = defaultdict(list)
    for row in first:
        conversation_id = row["conversation_id"]
        if conversation_id in started:
            values[agents[conversation_id]].append((row["first"] - started[conversation_id]).total_seconds())
    return {agent: durations(seconds) for agent, seconds in values.items()}


def resolution_by_agent(*, start: dt.datetime, end: dt.datetime) -> dict[int | None, Durations]:
    """From start to closing (the last close, if it was reopened), for conversations started in the
    period that are closed now."""
    rows = (
        _started(start, end)
        .filter(status=Conversation.Status.CLOSED, closed_at__isnull=False)
        .values_list("assigned_agent_id", "created_at", "closed_at")
    )
    values: dict[int | None, list[float]] = defaultdict(list)
    for agent, created_at, closed_at in rows:
        values[agent].append(max((closed_at - created_at).total_seconds(), 0.0))
    return {agent: durations(seconds) for agent, seconds in values.items()}


def satisfaction_by_agent(*, start: dt.datetime, end: dt.datetime) -> dict[int | None, Satisfaction]:
    """Ratings of conversations started in the period: how many, and their average (2 places)."""
    rows = (
        ConversationRating.objects.filter(conversation__created_at__gte=start, conversation__created_at__lt=end)
        .values("conversation__assigned_agent_id")
        .annotate(n=Count("id"), average=Avg("score"))
        .order_by()
    )
    return {
        row["conversation__assigned_agent_id"]: Satisfaction(
            count=row["n"], average=Decimal(str(row["average"])).quantize(Decimal("0.01"))
        )
        for row in rows
    }


def orders_credited_by_agent(
    *, start: dt.datetime, end: dt.datetime, statuses: tuple[str, ...]
) -> dict[int | None, Credit]:
    """Orders placed in the period in one of `statuses` (the caller passes the revenue statuses), each
    credited to the latest conversation of the same customer that started at most
    `SUPPORT_ATTRIBUTION_DAYS` before it (and not after it). Same customer: the signed-in user; for a
    guest order, a guest conversation with the same email (case-insensitive). Computed on read, so a
    changed window or a refunded order changes the report at once (ADR 0051). Two queries."""
    window = dt.timedelta(days=settings.SUPPORT_ATTRIBUTION_DAYS)
    orders = list(
        get_model("order", "Order")
        .objects.filter(date_placed__gte=start, date_placed__lt=end, status__in=statuses)
        .values_list("user_id", "guest_email", "date_placed", "total_incl_tax", "currency")
    )
    if not orders:
        return {}
    conversations = Conversation.objects.filter(created_at__gte=start - window, created_at__lt=end).values_list(
        "customer_id", "guest_email", "created_at", "assigned_agent_id"
    )
    by_customer: dict[tuple, list[tuple[dt.datetime, int | None]]] = defaultdict(list)
    for customer_id, guest_email, created_at, agent in conversations:
        key = ("user", customer_id) if customer_id else ("guest", guest_email.strip().lower())
        by_customer[key].append((created_at, agent))
    credits: dict[int | None, Credit] = defaultdict(Credit)
    for user_id, guest_email, placed, total, currency in orders:
        key = ("user", user_id) if user_id else ("guest", (guest_email or "").strip().lower())
        if key == ("guest", ""):
            continue
        candidates = [
            (created, agent) for created, agent in by_customer.get(key, ()) if created <= placed <= created + window
        ]
        if not candidates:
            continue
        _, agent = max(candidates, key=lambda candidate: candidate[0])
        credit = credits[agent]
        credit.orders += 1
        credit.revenue[currency] = credit.revenue.get(currency, Decimal("0.00")) + (total or Decimal("0.00"))
    return dict(credits)


def agents_named(*, agent_ids) -> dict[int, str]:
    """Display names of the agents (one query)."""
    users = get_user_model().objects.filter(pk__in=[pk for pk in agent_ids if pk is not None])
    return {user.pk: user.get_full_name() or user.email for user in users}
