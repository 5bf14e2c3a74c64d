"""The record of the latest schedule slot the daemon skipped, and whether a slot is handled.

A slot is handled once its issue is in the outbox (its ``issue.json`` names the slot)
or once it was skipped (nothing new, or missed beyond the grace): ``record_skipped``
keeps the latest such slot in ``outbox/.skipped-slot``, so that a restart does not make
or warn about that slot again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from digest.outbox.atomic import replace_file
from digest.outbox.issues import history

SKIPPED_NAME = ".skipped-slot"
"""The latest schedule slot the daemon skipped (nothing new, or missed)."""


def read_skipped(outbox: Path) -> datetime | None:
    """The latest slot skipped (nothing new, or missed beyond the grace), if recorded."""
    try:
        text = (outbox / SKIPPED_NAME).read_text(encoding="utf-8").strip()
        return datetime.fromisoformat(text)
    except (OSError, ValueError):
        return None


def record_skipped(outbox: Path, slot: datetime) -> None:
    """Record a skipped slot, atomically (written aside, fsynced, renamed), so that a
    restart does not make or warn about that slot again."""
    outbox.mkdir(parents=True, exist_ok=True)
    replace_file(outbox / SKIPPED_NAME, (slot.isoformat() + "\n").encode("utf-8"))


def slot_handled(outbox: Path, slot: datetime) -> bool:
    """Whether ``slot`` already has its issue, or was skipped. Aware datetimes compare
    as instants, so a slot recorded in another zone's notation still matches."""
    if read_skipped(outbox) == slot:
        return True
    return any(done.slot == slot for done in history(outbox))
