"""Reads for service-level targets (ADR 0051): the merchant's business hours and how long a waiting
conversation has left before its first-response target is missed. The arithmetic is in
`support.businesshours` (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from ops.process_memo import ProcessMemo

from .businesshours import BusinessHours, business_deadline, business_time_left
from .models import ServiceLevel


@dataclass(frozen=True)
class ServiceLevelTarget:
    first_response_seconds: int
    hours: BusinessHours


def _service_level_read() -> ServiceLevelTarget:
    row = ServiceLevel.objects.order_by("pk").first() or ServiceLevel()
    try:
        zone = ZoneInfo(row.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    opens, closes = row.opens_at, row.closes_at
    if isinstance(opens, str):  # an unsaved row holds the field defaults as text
        opens, closes = dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)
    days = frozenset(number for number, name in enumerate(ServiceLevel.DAY_FIELDS, start=1) if getattr(row, name))
    hours = BusinessHours(days=days, opens=opens, closes=closes, time_zone=zone)
    return ServiceLevelTarget(first_response_seconds=row.first_response_minutes * 60, hours=hours)


#: The merchant's row, or the model's defaults when none was saved. Read on every shopper's message (the
#: console shows the time left): at most every 10 s per process. A change is seen at once in the process
#: that saves it (`service_level_target.forget()`, a model receiver) and within 10 s in the others (ADR 59
#: addendum).
service_level_target = ProcessMemo(_service_level_read, seconds=10)


def conversation_time_left(
    conversation, *, target: ServiceLevelTarget | None = None, now: dt.datetime | None = None
) -> dict:
    """For a conversation waiting for support: business seconds left before the first-response target
    (`sla_seconds_left`, negative once missed), when it falls due (`sla_due_at`, ISO UTC) and whether it
    is breached. All None/False when the conversation is not waiting (answered or closed)."""
    waiting_since = conversation.waiting_since
    if conversation.status != conversation.Status.WAITING or waiting_since is None:
        return {"sla_seconds_left": None, "sla_due_at": None, "sla_breached": False}
    target = target or service_level_target()
    now = now or timezone.now()
    left = business_time_left(
        since=waiting_since, now=now, target_seconds=target.first_response_seconds, hours=target.hours
    )
    due = business_deadline(start=waiting_since, seconds=target.first_response_seconds, hours=target.hours)
    return {
        "sla_seconds_left": int(left),
        "sla_due_at": due.isoformat() if due else None,
        "sla_breached": left < 0,
    }
