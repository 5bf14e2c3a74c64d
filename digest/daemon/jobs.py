"""Each newsletter's job, and the pure decisions about it: which slot is due, the back-off.

``make_jobs`` gives one ``Job`` per newsletter (its settings, its parsed schedule and
where it stands); ``due_slot`` says which slot to make now, or which was missed
beyond the grace; ``retry_delay`` is the back-off after a failure. Nothing here
reads the clock: ``now`` is passed in. ``status`` (``digest status``) reports the
same decisions against what each outbox holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from digest import outbox
from digest.slots import (
    Schedule,
    last_slot_at_or_before,
    next_slot_after,
    parse_schedule,
    same_slot,
)

if TYPE_CHECKING:
    from digest.config import Settings


def due_slot(
    schedule: Schedule,
    zone: Any,
    now: datetime,
    *,
    done: datetime | None,
    grace: timedelta,
) -> tuple[datetime | None, datetime | None]:
    """``(due, missed)``: the slot to make now, or the slot given up as too old.

    Only the latest slot at or before ``now`` is ever considered, so after a long
    outage at most one catch-up issue is made.
    """
    slot = last_slot_at_or_before(schedule, zone, now)
    if slot is None or same_slot(slot, done):
        return None, None
    if now.astimezone(UTC) - slot.astimezone(UTC) > grace:
        return None, slot
    return slot, None


def retry_delay(attempt: int, *, base: float, cap: float) -> timedelta:
    """Exponential back-off after the ``attempt``-th failure (1-based), at most ``cap``."""
    return timedelta(seconds=min(cap, base * 2 ** (attempt - 1)))


@dataclass
class Job:
    """One newsletter's schedule and where it stands."""

    settings: Settings
    schedule: Schedule
    done: datetime | None = None
    """The latest slot known to be handled (published, skipped or given up)."""
    pending: datetime | None = None
    """The slot being attempted, and how often it failed so far."""
    attempts: int = 0
    retry_at: datetime | None = None

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.settings.catch_up_hours)

    def next_slot(self, now: datetime) -> datetime:
        return next_slot_after(self.schedule, self.settings.zone, now)


def make_jobs(settings: Settings) -> list[Job]:
    return [Job(each, parse_schedule(each.schedule)) for each in settings.each_newsletter()]


def status(settings: Settings, now: datetime) -> list[dict[str, Any]]:
    """Per newsletter: its schedule, last issue, next slot, and any slot due now."""
    rows = []
    for job in make_jobs(settings):
        history = outbox.history(job.settings.outbox)
        last = history[-1] if history else None
        due, _missed = due_slot(job.schedule, job.settings.zone, now, done=None, grace=job.grace)
        if due is not None and outbox.slot_handled(job.settings.outbox, due):
            due = None
        rows.append(
            {
                "newsletter": job.name,
                "schedule": job.schedule.text,
                "timezone": job.settings.timezone,
                "outbox": str(job.settings.outbox),
                "last_issue": None
                if last is None
                else {
                    "number": last.number,
                    "date": last.date.isoformat(),
                    "slot": last.slot.isoformat() if last.slot else None,
                    "folder": str(last.folder),
                },
                "due_now": due.isoformat() if due is not None else None,
                "next_slot": job.next_slot(now).isoformat(),
            }
        )
    return rows
