"""The daemon (`digest run`): every newsletter's issues made on time, exactly once.

It owns *when* the pipeline runs, never *what* it makes:

- each tick, for each newsletter, the latest slot of its schedule (``digest.slots``)
  is compared with what the outbox already holds; a slot not yet handled, and not
  older than the newsletter's ``catch_up_hours``, is published through
  ``pipeline.publish(slot=…)``, dated by the slot and never by the clock;
- exactly once: the slot is recorded in the issue's ``issue.json`` and checked again
  under the outbox lock inside ``publish``, so a restart, a second writer or a crash
  between render and rename can never make a slot twice;
- a slot with nothing new is skipped (recorded by the outbox, so a restart does not
  retry it) unless the newsletter sets ``send_empty``;
- a failing job is logged with its cause and retried with back-off up to a cap; it
  never stops the daemon or delays the other newsletters;
- one daemon per outbox: the outbox's daemon lock is held for the daemon's lifetime
  (the kernel drops it when the process dies, so a crash leaves no stale lock), while
  the number lock is still taken only to assign a number;
- SIGTERM/SIGINT stop it: at once when idle; during a render, after that issue (a
  second signal abandons it, and the atomic write leaves nothing behind).

Its modules: ``jobs`` (each newsletter's ``Job``, the pure decisions ``due_slot`` and
``retry_delay``, and ``status`` for ``digest status``), ``loop`` (the ``Daemon``: ticks,
publishing, retries, sending, ``serve`` and ``run_once``) and ``signals`` (the stop
rules above). Everything it logs comes from the ``digest.daemon`` logger.

The ``schedule`` package is only the loop that wakes the daemon every few seconds: it
cannot compute slots across daylight-saving changes, nor catch up a missed run.
"""

from __future__ import annotations

from digest.daemon.jobs import Job, due_slot, make_jobs, retry_delay, status
from digest.daemon.loop import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RETRY_CAP_SECONDS,
    DEFAULT_RETRY_SECONDS,
    DEFAULT_TICK_SECONDS,
    Daemon,
)

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RETRY_CAP_SECONDS",
    "DEFAULT_RETRY_SECONDS",
    "DEFAULT_TICK_SECONDS",
    "Daemon",
    "Job",
    "due_slot",
    "make_jobs",
    "retry_delay",
    "status",
]
