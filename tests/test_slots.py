"""Schedules and slots: parsing, daily and weekly slots, and daylight-saving days.

The clock is driven with time-machine: each walk moves "now" through a change day in
small steps, asks which slot is due, and counts the distinct slots per local date, so
a skipped or doubled issue shows up as a count other than one.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from digest.slots import (
    Schedule,
    ScheduleError,
    last_slot_at_or_before,
    next_slot_after,
    parse_schedule,
    resolve_local,
    same_slot,
    slots_on,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def slots_between(
    schedule: Schedule, zone: ZoneInfo, start: datetime, end: datetime
) -> list[datetime]:
    """Every slot in ``(start, end]``, by stepping ``next_slot_after`` as the daemon does."""
    found = []
    while (slot := next_slot_after(schedule, zone, start)) <= end:
        found.append(slot)
        start = slot
    return found


def walk_due_slots(
    text: str, zone: ZoneInfo, start: datetime, end: datetime, step: timedelta
) -> list[datetime]:
    """Every distinct slot seen as due while the (travelled) clock goes start → end."""
    schedule = parse_schedule(text)
    seen: list[datetime] = []
    with time_machine.travel(start, tick=False) as traveller:
        while (now := datetime.now(UTC)) <= end:
            slot = last_slot_at_or_before(schedule, zone, now)
            if slot is not None and not any(same_slot(slot, s) for s in seen):
                seen.append(slot)
            traveller.shift(step)
    return seen


# --- parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weekdays", "times"),
    [
        ("daily at 07:00", set(range(7)), [time(7)]),
        ("Every day at 7:05", set(range(7)), [time(7, 5)]),
        ("monday at 07:00", {0}, [time(7)]),
        ("Mondays at 07:00", {0}, [time(7)]),
        ("every friday at 16:30", {4}, [time(16, 30)]),
        ("mon, thu at 08:00", {0, 3}, [time(8)]),
        ("tuesday and saturday at 09:15", {1, 5}, [time(9, 15)]),
        ("weekdays at 06:30", {0, 1, 2, 3, 4}, [time(6, 30)]),
        ("weekends at 10:00", {5, 6}, [time(10)]),
        ("daily at 19:00 and 07:00", set(range(7)), [time(7), time(19)]),
        ("every 6 hours", set(range(7)), [time(0), time(6), time(12), time(18)]),
        ("every hour", set(range(7)), [time(h) for h in range(24)]),
        ("every 30 minutes", set(range(7)), [time(h, m) for h in range(24) for m in (0, 30)]),
    ],
)
def test_accepted_schedules(text: str, weekdays: set[int], times: list[time]) -> None:
    schedule = parse_schedule(text)
    assert schedule.weekdays == frozenset(weekdays)
    assert list(schedule.times) == times
    assert str(schedule) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "daily",
        "dayly at 07:00",
        "daily at 24:00",
        "daily at 7",
        "daily at 07:60",
        "monday",
        "mo at 07:00",
        "every 7 hours",
        "every 0 minutes",
        "every 50 minutes",
        "every fortnight",
        "hourly-ish",
    ],
)
def test_rejected_schedules_say_what_is_expected(text: str) -> None:
    with pytest.raises(ScheduleError, match="expected a schedule such as 'daily at 07:00'"):
        parse_schedule(text)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        last_slot_at_or_before(parse_schedule("daily at 07:00"), LONDON, datetime(2026, 1, 1))


# --- daily and weekly ---------------------------------------------------------------


def test_daily_slot_before_at_and_after_its_time() -> None:
    schedule = parse_schedule("daily at 07:00")
    # New York in winter is UTC-5: 07:00 local is 12:00 UTC.
    assert last_slot_at_or_before(schedule, NEW_YORK, utc(2026, 11, 24, 11, 59)) == datetime(
        2026, 11, 23, 7, tzinfo=NEW_YORK
    )
    at = last_slot_at_or_before(schedule, NEW_YORK, utc(2026, 11, 24, 12, 0))
    assert at == datetime(2026, 11, 24, 7, tzinfo=NEW_YORK)
    assert next_slot_after(schedule, NEW_YORK, utc(2026, 11, 24, 12, 0)) == datetime(
        2026, 11, 25, 7, tzinfo=NEW_YORK
    )


def test_a_month_of_daily_slots_is_one_per_day() -> None:
    slots = slots_between(
        parse_schedule("daily at 07:00"), LONDON, utc(2026, 3, 1), utc(2026, 4, 1)
    )
    assert [s.date() for s in slots] == [date(2026, 3, d) for d in range(1, 32)]
    assert all(s.astimezone(LONDON).time() == time(7) for s in slots)


def test_weekly_slot_is_found_from_any_day_of_the_week() -> None:
    schedule = parse_schedule("monday at 07:00")
    monday = datetime(2026, 11, 23, 7, tzinfo=LONDON)
    for days_later in range(7):
        now = monday + timedelta(days=days_later, hours=1)
        assert last_slot_at_or_before(schedule, LONDON, now) == monday
        assert next_slot_after(schedule, LONDON, now) == monday + timedelta(days=7)
    assert last_slot_at_or_before(schedule, LONDON, monday - timedelta(seconds=1)) == (
        monday - timedelta(days=7)
    )


def test_weekly_slot_keeps_its_local_time_across_the_change() -> None:
    schedule = parse_schedule("monday at 07:00")
    slots = slots_between(schedule, LONDON, utc(2026, 3, 20), utc(2026, 4, 10))
    assert [s.astimezone(UTC) for s in slots] == [
        utc(2026, 3, 23, 7),  # GMT
        utc(2026, 3, 30, 6),  # BST: still 07:00 on the wall
        utc(2026, 4, 6, 6),
    ]


def test_weekdays_skip_the_weekend() -> None:
    schedule = parse_schedule("weekdays at 06:30")
    saturday_noon = datetime(2026, 11, 28, 12, tzinfo=NEW_YORK)
    assert last_slot_at_or_before(schedule, NEW_YORK, saturday_noon) == datetime(
        2026, 11, 27, 6, 30, tzinfo=NEW_YORK
    )
    assert next_slot_after(schedule, NEW_YORK, saturday_noon) == datetime(
        2026, 11, 30, 6, 30, tzinfo=NEW_YORK
    )


# --- daylight saving ----------------------------------------------------------------


def test_a_time_in_the_spring_gap_is_shifted_forward_by_the_gap() -> None:
    # London springs forward 2026-03-29 01:00 GMT → 02:00 BST: 01:30 does not exist.
    slot = resolve_local(date(2026, 3, 29), time(1, 30), LONDON)
    assert slot.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert (slot.hour, slot.minute, slot.utcoffset()) == (2, 30, timedelta(hours=1))
    # New York springs forward 2026-03-08 02:00 EST → 03:00 EDT: 02:30 → 03:30 EDT.
    slot = resolve_local(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert (slot.hour, slot.minute, slot.utcoffset()) == (3, 30, timedelta(hours=-4))


def test_a_time_in_the_autumn_overlap_runs_at_its_first_occurrence() -> None:
    # London falls back 2026-10-25 02:00 BST → 01:00 GMT: 01:30 happens twice.
    slot = resolve_local(date(2026, 10, 25), time(1, 30), LONDON)
    assert slot.astimezone(UTC) == utc(2026, 10, 25, 0, 30)  # 01:30 BST, not GMT
    # New York falls back 2026-11-01 02:00 EDT → 01:00 EST.
    slot = resolve_local(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert slot.astimezone(UTC) == utc(2026, 11, 1, 5, 30)  # 01:30 EDT


@pytest.mark.parametrize(
    ("zone", "change_day", "at"),
    [
        (LONDON, date(2026, 3, 29), "01:30"),  # in the gap
        (LONDON, date(2026, 10, 25), "01:30"),  # in the overlap
        (LONDON, date(2026, 3, 29), "07:00"),
        (LONDON, date(2026, 10, 25), "07:00"),
        (NEW_YORK, date(2026, 3, 8), "02:30"),  # in the gap
        (NEW_YORK, date(2026, 11, 1), "01:30"),  # in the overlap
        (NEW_YORK, date(2026, 3, 8), "07:00"),
        (NEW_YORK, date(2026, 11, 1), "07:00"),
    ],
)
def test_change_days_have_exactly_one_daily_issue_per_local_date(
    zone: ZoneInfo, change_day: date, at: str
) -> None:
    start = datetime.combine(change_day - timedelta(days=2), time(12), zone)
    end = datetime.combine(change_day + timedelta(days=2), time(12), zone)
    seen = walk_due_slots(f"daily at {at}", zone, start, end, timedelta(minutes=5))
    per_day = Counter(s.astimezone(zone).date() for s in seen)
    expected_days = [change_day + timedelta(days=d) for d in range(-2, 3)]
    assert per_day == dict.fromkeys(expected_days, 1)  # none skipped, none doubled


def test_the_day_after_spring_forward_is_not_doubled() -> None:
    # What `schedule`'s .at("01:30", "Europe/London") gets wrong: the day after the
    # change must have one run, at 01:30 BST.
    seen = walk_due_slots(
        "daily at 01:30",
        LONDON,
        utc(2026, 3, 29, 12),
        utc(2026, 3, 31, 12),
        timedelta(minutes=1),
    )
    assert [s.astimezone(UTC) for s in seen] == [
        utc(2026, 3, 29, 1, 30),  # the change day's shifted slot, due at the start
        utc(2026, 3, 30, 0, 30),
        utc(2026, 3, 31, 0, 30),
    ]


def test_interval_schedules_on_change_days_have_no_duplicate_instants() -> None:
    half_hourly = parse_schedule("every 30 minutes")
    spring = slots_on(half_hourly, LONDON, date(2026, 3, 29))
    autumn = slots_on(half_hourly, LONDON, date(2026, 10, 25))
    for slots in (spring, autumn):
        instants = [s.astimezone(UTC) for s in slots]
        assert instants == sorted(set(instants))
    # Spring: 01:00 and 01:30 land on 02:00 and 02:30 BST, which exist anyway.
    assert len(spring) == 46
    # Autumn: the repeated hour runs once (its first occurrence).
    assert len(autumn) == 48
    hourly_ny = slots_on(parse_schedule("every hour"), NEW_YORK, date(2026, 11, 1))
    assert len(hourly_ny) == 24
    assert sum(1 for s in hourly_ny if s.astimezone(NEW_YORK).hour == 1) == 1


def test_inside_the_repeated_hour_a_passed_slot_is_not_in_the_future() -> None:
    # 01:10 GMT (second occurrence, fold=1) is after 01:30 BST (first occurrence).
    # Compared as wall times in one zone they would look the other way round.
    schedule = parse_schedule("daily at 01:30")
    now = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)
    assert now.astimezone(UTC) == utc(2026, 10, 25, 1, 10)
    assert last_slot_at_or_before(schedule, LONDON, now).astimezone(UTC) == utc(
        2026, 10, 25, 0, 30
    )
    assert next_slot_after(schedule, LONDON, now).astimezone(UTC) == utc(2026, 10, 26, 1, 30)


def test_same_slot_compares_instants_across_zones() -> None:
    slot = datetime(2026, 11, 24, 7, tzinfo=LONDON)
    assert same_slot(slot, utc(2026, 11, 24, 7))
    assert same_slot(slot, datetime.fromisoformat(slot.isoformat()))
    assert not same_slot(slot, utc(2026, 11, 24, 8))
    assert not same_slot(slot, None)
    assert same_slot(None, None)
