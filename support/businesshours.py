"""Business-hours arithmetic for service-level targets (ADR 0051). Pure functions: no database, no clock.

A shop is open on some days of the week from `opens` to `closes`, wall-clock time in its time zone.
When `closes` is not after `opens` the window runs overnight: it opens on the listed day and closes on
the next one (a 22:00-06:00 night shift listed for Friday runs Friday 22:00 to Saturday 06:00). Equal
times mean open round the clock on that day.

Windows are laid out in wall-clock time and turned into instants with the zone's rules, so a day on
which the clocks change has as many real seconds as its wall clock shows (a 22:00-06:00 night holds 7
real hours when the clocks go forward, 9 when they go back). A wall-clock time that does not exist (the
skipped hour) is read with the offset before the change, as `zoneinfo` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.UTC
#: how far to look for an open window before giving up (a shop open on no day never meets a target)
SEARCH_DAYS = 366


@dataclass(frozen=True)
class BusinessHours:
    """`days`: ISO weekday numbers the window opens on (1 Monday .. 7 Sunday)."""

    days: frozenset[int]
    opens: dt.time
    closes: dt.time
    time_zone: ZoneInfo

    def windows(self, start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The open windows (aware UTC) that touch [start, end), in order."""
        return _windows(self, start, end)


def _local_instant(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)


def _windows(hours: BusinessHours, start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    if not hours.days:
        return
    # Start one day early: yesterday's overnight window may still be open at `start`.
    day = start.astimezone(hours.time_zone).date() - dt.timedelta(days=1)
    last_day = end.astimezone(hours.time_zone).date()
    while day <= last_day:
        if day.isoweekday() in hours.days:
            close_day = day if hours.closes > hours.opens else day + dt.timedelta(days=1)
            opened = _local_instant(day, hours.opens, hours.time_zone)
            closed = _local_instant(close_day, hours.closes, hours.time_zone)
            if closed > start and opened < end:
                yield opened, closed
        day += dt.timedelta(days=1)


def business_seconds_between(*, start: dt.datetime, end: dt.datetime, hours: BusinessHours) -> float:
    """Seconds of open time in [start, end); 0 when `end` is not after `start`. Aware datetimes only."""
    if end <= start:
        return 0.0
    total = 0.0
    for opened, closed in hours.windows(start, end):
        total += (min(closed, end) - max(opened, start)).total_seconds()
    return total


def business_deadline(*, start: dt.datetime, seconds: float, hours: BusinessHours) -> dt.datetime | None:
    """The instant at which `seconds` of open time have passed since `start` (aware UTC); None when
    the shop opens on no day. A target that does not fit in today's window carries into the next ones."""
    if not hours.days:
        return None
    start = start.astimezone(UTC)
    remaining = max(float(seconds), 0.0)
    cursor = start
    horizon = start + dt.timedelta(days=SEARCH_DAYS)
    while cursor < horizon:
        chunk_end = cursor + dt.timedelta(days=7)
        for opened, closed in hours.windows(cursor, chunk_end):
            begin = max(opened, cursor)
            available = (closed - begin).total_seconds()
            if available <= 0:
                continue
            if remaining <= available:
                return begin + dt.timedelta(seconds=remaining)
            remaining -= available
            cursor = closed
        cursor = max(cursor, chunk_end)
    return None


def business_time_left(*, since: dt.datetime, now: dt.datetime, target_seconds: float, hours: BusinessHours) -> float:
    """Open-time seconds left before the target is missed (negative once it is breached)."""
    return target_seconds - business_seconds_between(start=since, end=now, hours=hours)
