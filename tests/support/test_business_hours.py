"""The business-hours arithmetic behind the first-response target: weekends, overnight windows, the
clocks changing in the shop's time zone, targets that carry over to the next open day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from support.businesshours import BusinessHours, business_deadline, business_seconds_between, business_time_left

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
OFFICE = BusinessHours(days=WEEKDAYS, opens=dt.time(9), closes=dt.time(17), time_zone=LONDON)
NIGHTS = BusinessHours(days=frozenset(range(1, 8)), opens=dt.time(22), closes=dt.time(6), time_zone=LONDON)
HOUR = 3600


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_inside_one_day_counts_wall_clock_time():
    # Wednesday 2026-01-07, winter (London = UTC)
    seconds = business_seconds_between(start=london(2026, 1, 7, 10), end=london(2026, 1, 7, 11, 30), hours=OFFICE)
    assert seconds == 1.5 * HOUR


def test_time_before_opening_and_after_closing_does_not_count():
    assert business_seconds_between(start=london(2026, 1, 7, 6), end=london(2026, 1, 7, 20), hours=OFFICE) == 8 * HOUR


def test_a_weekend_counts_nothing():
    friday_4pm, monday_10am = london(2026, 1, 9, 16), london(2026, 1, 12, 10)
    assert business_seconds_between(start=london(2026, 1, 10, 9), end=london(2026, 1, 11, 23), hours=OFFICE) == 0
    assert business_seconds_between(start=friday_4pm, end=monday_10am, hours=OFFICE) == 2 * HOUR


def test_end_before_start_is_zero():
    assert business_seconds_between(start=london(2026, 1, 7, 12), end=london(2026, 1, 7, 10), hours=OFFICE) == 0


def test_a_target_carries_over_the_weekend():
    # 60 minutes asked at Friday 16:30: 30 minutes on Friday, the rest on Monday from 09:00
    due = business_deadline(start=london(2026, 1, 9, 16, 30), seconds=HOUR, hours=OFFICE)
    assert due == london(2026, 1, 12, 9, 30)


def test_a_target_spanning_several_days():
    # 20 business hours from Monday 09:00: Monday 8 + Tuesday 8 + Wednesday 4 -> Wednesday 13:00
    due = business_deadline(start=london(2026, 1, 5, 9), seconds=20 * HOUR, hours=OFFICE)
    assert due == london(2026, 1, 7, 13)


def test_asked_at_night_the_clock_starts_at_opening():
    due = business_deadline(start=london(2026, 1, 7, 3), seconds=15 * 60, hours=OFFICE)
    assert due == london(2026, 1, 7, 9, 15)


def test_an_overnight_window_spans_midnight():
    # open 22:00-06:00 every night: 23:00 to 05:00 is all open time; 05:00 to 23:00 only 06:00->... closed
    assert business_seconds_between(start=london(2026, 1, 7, 23), end=london(2026, 1, 8, 5), hours=NIGHTS) == 6 * HOUR
    assert business_seconds_between(start=london(2026, 1, 8, 5), end=london(2026, 1, 8, 23), hours=NIGHTS) == 2 * HOUR


def test_an_overnight_window_opened_yesterday_is_still_open_after_midnight():
    due = business_deadline(start=london(2026, 1, 8, 1), seconds=HOUR, hours=NIGHTS)
    assert due == london(2026, 1, 8, 2)


def test_overnight_target_carries_to_the_next_night():
    due = business_deadline(start=london(2026, 1, 8, 5, 30), seconds=HOUR, hours=NIGHTS)
    assert due == london(2026, 1, 8, 22, 30)


def test_a_night_when_the_clocks_go_forward_holds_seven_real_hours():
    # Europe/London: 2026-03-29 01:00 GMT -> 02:00 BST
    night = business_seconds_between(start=london(2026, 3, 28, 21), end=london(2026, 3, 29, 7), hours=NIGHTS)
    assert night == 7 * HOUR


def test_a_night_when_the_clocks_go_back_holds_nine_real_hours():
    # Europe/London: 2026-10-25 02:00 BST -> 01:00 GMT
    night = business_seconds_between(start=london(2026, 10, 24, 21), end=london(2026, 10, 25, 7), hours=NIGHTS)
    assert night == 9 * HOUR


def test_office_hours_follow_the_wall_clock_across_a_dst_change():
    # Friday 2026-03-27 16:00 GMT (= 16:00 UTC), 2 hours asked: 1 on Friday, 1 on Monday from 09:00 BST (08:00 UTC)
    due = business_deadline(start=london(2026, 3, 27, 16), seconds=2 * HOUR, hours=OFFICE)
    assert due == london(2026, 3, 30, 10)
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 30, 9, tzinfo=dt.UTC)


def test_another_time_zone_shifts_the_window():
    zone = ZoneInfo("America/New_York")
    new_york = BusinessHours(days=WEEKDAYS, opens=dt.time(9), closes=dt.time(17), time_zone=zone)
    # 13:00 UTC on a winter Wednesday is 08:00 in New York: the hour runs 09:00-10:00 there (14-15 UTC)
    start = dt.datetime(2026, 1, 7, 13, tzinfo=dt.UTC)
    assert business_deadline(start=start, seconds=HOUR, hours=new_york) == dt.datetime(2026, 1, 7, 15, tzinfo=dt.UTC)


def test_open_round_the_clock_when_opening_equals_closing():
    always = BusinessHours(days=frozenset(range(1, 8)), opens=dt.time(0), closes=dt.time(0), time_zone=LONDON)
    start = london(2026, 1, 10, 13)
    assert business_deadline(start=start, seconds=30 * HOUR, hours=always) == start + dt.timedelta(hours=30)


def test_never_open_has_no_deadline():
    closed = BusinessHours(days=frozenset(), opens=dt.time(9), closes=dt.time(17), time_zone=LONDON)
    assert business_deadline(start=london(2026, 1, 7, 9), seconds=60, hours=closed) is None
    assert business_seconds_between(start=london(2026, 1, 7), end=london(2026, 1, 9), hours=closed) == 0


def test_time_left_goes_negative_once_breached():
    since = london(2026, 1, 9, 16, 30)  # Friday
    saturday, monday = london(2026, 1, 10, 12), london(2026, 1, 12, 9, 45)
    assert business_time_left(since=since, now=saturday, target_seconds=HOUR, hours=OFFICE) == 30 * 60
    assert business_time_left(since=since, now=monday, target_seconds=HOUR, hours=OFFICE) == -15 * 60
