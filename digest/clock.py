"""The one clock: every entry point reads "now" here, once, and passes it in.

The stages never read the clock themselves (``issue``, ``slots`` and ``render`` take
an aware ``datetime``), so dating, numbering and scheduling are testable without a
clock, and tests move this one with time-machine.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, timezone-aware, in UTC (shown in each newsletter's zone)."""
    return datetime.now(UTC)
