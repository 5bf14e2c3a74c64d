"""Schedules and their slots: when each issue of a newsletter is due.

It owns the schedule language of the config (``"daily at 07:00"``, ``"monday at
07:00"``, ``"weekdays at 06:30"``, ``"every 6 hours"``, ``"every 30 minutes"``) and
the arithmetic that turns a schedule into *slots*: the exact instants at which an
issue is due, computed with ``zoneinfo`` in the newsletter's IANA time zone.

Every schedule is a list of wall-clock times on some days of the week, and the
daylight-saving rules are the same for all of them:

- a local time that does not exist (the spring-forward gap) runs shifted forward by
  the gap: 01:30 on the day London springs forward runs at 02:30 summer time;
- a local time that occurs twice (the fall-back overlap) runs once, at its first
  occurrence (``fold=0``).

So every day has each of its slots exactly once: none skipped, none doubled.

Pure functions only: the clock comes in as an aware ``datetime``. Slots are returned
as aware datetimes in the newsletter's zone, but all comparisons are made in UTC,
because Python compares two datetimes sharing a ``tzinfo`` by wall time and ignores
``fold``, which is wrong inside the fall-back hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EXPECTED = (
    "expected a schedule such as 'daily at 07:00', 'monday at 07:00', "
    "'weekdays at 06:30', 'every 6 hours' or 'every 30 minutes'"
)

_DAY_NAMES = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_DAY_GROUPS = {
    "daily": frozenset(range(7)),
    "day": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "weekday": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
}
_AT = re.compile(r"^(?:every\s+)?(?P<days>.+?)\s+at\s+(?P<times>.+)$")
_EVERY = re.compile(r"^every\s+(?:(?P<n>\d+)\s+)?(?P<unit>minutes?|hours?)$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")
# A weekly schedule looks back (and forward) at most this many local days to find a
# slot; eight rather than seven so that a date shift at a zone's midnight cannot
# lose one.
_SEARCH_DAYS = 8


class ScheduleError(ValueError):
    """A schedule string that cannot be understood; ``str()`` says what was expected."""


@dataclass(frozen=True)
class Schedule:
    """When a newsletter is due: wall-clock ``times`` on the ``weekdays`` (0 = Monday)."""

    text: str
    weekdays: frozenset[int]
    times: tuple[time, ...]

    def __str__(self) -> str:
        return self.text


def parse_schedule(text: str) -> Schedule:
    """The ``Schedule`` a config string describes, or ``ScheduleError``.

    Accepted (case and extra spaces do not matter):

    - ``daily at 07:00``, ``every day at 07:00``;
    - ``monday at 07:00``, ``mondays at 07:00``, ``monday and thursday at 07:00``,
      ``mon, thu at 07:00``, ``weekdays at 06:30``, ``weekends at 09:00``;
    - several times of day: ``daily at 07:00 and 19:00``;
    - ``every 6 hours``, ``every hour``, ``every 30 minutes``: wall-clock times from
      local midnight, so the step must divide a day evenly (6 hours: 00:00, 06:00,
      12:00, 18:00).
    """
    cleaned = " ".join(str(text).lower().split())
    every = _EVERY.match(cleaned)
    if every:
        return Schedule(str(text).strip(), frozenset(range(7)), _interval_times(every))
    at = _AT.match(cleaned)
    if not at:
        raise ScheduleError(EXPECTED)
    return Schedule(str(text).strip(), _weekdays(at.group("days")), _times(at.group("times")))


def _interval_times(match: re.Match[str]) -> tuple[time, ...]:
    step = int(match.group("n") or 1)
    minutes = step * 60 if match.group("unit").startswith("hour") else step
    if step == 0 or 1440 % minutes:
        raise ScheduleError(
            f"{EXPECTED} (an interval must divide a day evenly: 1, 2, 3, 4, 6, 8, 12 or "
            "24 hours, or a number of minutes that divides 1440)"
        )
    return tuple(time(m // 60, m % 60) for m in range(0, 1440, minutes))


def _weekdays(words: str) -> frozenset[int]:
    days: set[int] = set()
    for word in re.split(r"\s*(?:,|\band\b)\s*", words):
        if not word:
            continue
        if word in _DAY_GROUPS:
            days |= _DAY_GROUPS[word]
            continue
        name = word.removesuffix("s")
        matches = [n for full, n in _DAY_NAMES.items() if len(name) >= 3 and full.startswith(name)]
        if len(matches) != 1:
            raise ScheduleError(f"{EXPECTED} (unknown day {word!r})")
        days.add(matches[0])
    if not days:
        raise ScheduleError(EXPECTED)
    return frozenset(days)


def _times(words: str) -> tuple[time, ...]:
    found = set()
    for word in re.split(r"\s*(?:,|\band\b)\s*", words):
        match = _TIME.match(word)
        if not match or int(match["h"]) > 23 or int(match["m"]) > 59:
            raise ScheduleError(f"{EXPECTED} (bad time of day {word!r}: use HH:MM, 00:00–23:59)")
        found.add(time(int(match["h"]), int(match["m"])))
    return tuple(sorted(found))


def resolve_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant at which wall-clock ``at`` on ``day`` is due in ``zone``.

    A time inside the spring-forward gap comes back shifted forward by the gap; one
    inside the fall-back overlap comes back as its first occurrence.
    """
    wall = datetime.combine(day, at)
    # With fold=0, zoneinfo reads a gap time with the offset from *before* the
    # change (PEP 495), so the round trip through UTC lands exactly one gap later:
    # 01:30 GMT is 02:30 BST. An overlap time with fold=0 is its first occurrence.
    instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return instant.astimezone(zone)


def slots_on(schedule: Schedule, zone: ZoneInfo, day: date) -> list[datetime]:
    """The slots of local date ``day``, in time order, each instant once."""
    if day.weekday() not in schedule.weekdays:
        return []
    instants: dict[datetime, datetime] = {}
    for at in schedule.times:
        slot = resolve_local(day, at, zone)
        # In a spring-forward gap, 01:00 and 02:00 can both land on 02:00 summer
        # time (an interval schedule): one instant, one slot.
        instants.setdefault(slot.astimezone(UTC), slot)
    return [instants[key] for key in sorted(instants)]


def last_slot_at_or_before(schedule: Schedule, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The latest slot not after ``now``: the one that is due (or was missed)."""
    _require_aware(now)
    moment = now.astimezone(UTC)
    today = now.astimezone(zone).date()
    for back in range(_SEARCH_DAYS + 1):
        due = [
            s for s in slots_on(schedule, zone, today - timedelta(days=back)) if _utc(s) <= moment
        ]
        if due:
            return due[-1]
    return None


def next_slot_after(schedule: Schedule, zone: ZoneInfo, now: datetime) -> datetime:
    """The first slot strictly after ``now``."""
    _require_aware(now)
    moment = now.astimezone(UTC)
    today = now.astimezone(zone).date()
    for ahead in range(_SEARCH_DAYS + 1):
        later = [
            s for s in slots_on(schedule, zone, today + timedelta(days=ahead)) if _utc(s) > moment
        ]
        if later:
            return later[0]
    raise AssertionError(f"no slot within {_SEARCH_DAYS} days for {schedule.text!r}")


def same_slot(a: datetime | None, b: datetime | None) -> bool:
    """Whether two aware datetimes are the same instant (whatever their zones)."""
    if a is None or b is None:
        return a is b
    return _utc(a) == _utc(b)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("slots need a timezone-aware datetime")
