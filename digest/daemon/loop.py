"""The ``Daemon``: ticks over the newsletters' jobs, publishes each slot that is due,
retries a failing one with back-off, sends what it published, and serves until a
signal stops it (``serve``) or runs once (``run_once``, for cron).

The decisions it acts on are in ``digest.daemon.jobs``; the signals' rules in
``digest.daemon.signals``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from digest import clock, outbox
from digest.daemon.jobs import Job, due_slot, make_jobs, retry_delay
from digest.daemon.signals import StopSignals
from digest.slots import same_slot

if TYPE_CHECKING:
    from digest.config import Settings
    from digest.pipeline import Outcome

log = logging.getLogger(__package__)  # "digest.daemon", as its log lines have always read

DEFAULT_TICK_SECONDS = 30.0
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_SECONDS = 60.0
DEFAULT_RETRY_CAP_SECONDS = 15 * 60.0


class Daemon:
    """Ticks over the newsletters' jobs; the rules are in ``digest.daemon``'s docstring."""

    def __init__(
        self,
        settings: Settings,
        *,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_seconds: float = DEFAULT_RETRY_SECONDS,
        retry_cap_seconds: float = DEFAULT_RETRY_CAP_SECONDS,
    ) -> None:
        self.jobs = make_jobs(settings)
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.retry_cap_seconds = retry_cap_seconds
        self.runs = 0
        """How many times the pipeline was started (for reports and tests)."""
        self.on_time = timedelta(0)
        """While serving: how late a slot may be and still be on time rather than
        missed (two wake-ups and a minute), whatever ``catch_up_hours`` says; that
        setting is about slots missed while the daemon was stopped."""
        self.signals = StopSignals()

    @property
    def outboxes(self) -> list[Path]:
        return sorted({job.settings.outbox for job in self.jobs})

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold every outbox's daemon lock, then clear staging left by a crash."""
        with ExitStack() as stack:
            for folder in self.outboxes:  # sorted: two daemons never lock crosswise
                stack.enter_context(outbox.daemon_lock(folder))
            for folder in self.outboxes:
                # Under the number lock, so a `digest render` writing right now keeps
                # its staging folder.
                with outbox.lock(folder):
                    for removed in outbox.clean_staging(folder):
                        log.info("removed unfinished staging folder %s", removed)
            yield

    def tick(self, now: datetime | None = None, *, retry: bool = True) -> int:
        """Run whatever is due for every newsletter; returns how many jobs failed."""
        now = now or clock.now()
        failures = 0
        for job in self.jobs:
            if self.signals.stop_requested:  # a signal came during the last render
                break
            try:
                failures += not self._tick_job(job, now, retry=retry)
            except Exception:  # the loop must outlive any bug in one job's bookkeeping
                log.exception("%s: unexpected error while checking its schedule", job.name)
                failures += 1
        return failures

    def _tick_job(self, job: Job, now: datetime, *, retry: bool) -> bool:
        zone = job.settings.zone
        grace = max(job.grace, self.on_time)
        slot, missed = due_slot(job.schedule, zone, now, done=job.done, grace=grace)
        if slot is None and missed is None:
            return True
        target = slot or missed
        assert target is not None
        if not same_slot(target, job.pending):
            job.pending, job.attempts, job.retry_at = target, 0, None
        if outbox.slot_handled(job.settings.outbox, target):
            # Published by an earlier run (or another process): nothing to do.
            log.debug("%s: slot %s already handled", job.name, _show(target))
            job.done = target
            return True
        if missed is not None:
            log.warning(
                "%s: slot %s was missed by more than %g h (catch_up_hours); "
                "waiting for the next one at %s",
                job.name,
                _show(missed),
                job.settings.catch_up_hours,
                _show(job.next_slot(now)),
            )
            # Recorded like a skipped slot, so that a restart or the next
            # `run --once` from cron does not warn about the same slot again.
            outbox.record_skipped(job.settings.outbox, missed)
            job.done = missed
            return True
        if job.retry_at is not None and now.astimezone(UTC) < job.retry_at.astimezone(UTC):
            return True
        return self._publish(job, target, now, retry=retry)

    def _publish(self, job: Job, slot: datetime, now: datetime, *, retry: bool) -> bool:
        from digest import pipeline  # heavy (jinja2, mjml…): only once a job is due

        # Busy from the first word about it: a signal from here lets the issue finish.
        with self.signals.busy():
            late = now.astimezone(UTC) - slot.astimezone(UTC)
            log.info(
                "%s: making the issue for slot %s%s",
                job.name,
                _show(slot),
                f" ({_duration(late)} late)" if late > timedelta(minutes=5) else "",
            )
            self.runs += 1
            try:
                outcome = pipeline.publish(
                    job.settings, now=now, slot=slot, allow_empty=job.settings.send_empty
                )
            except Exception as exc:
                return self._failed(job, slot, now, exc, retry=retry)
        _log_outcome(job, slot, outcome)
        if outcome.issue is None and outcome.already is None:
            outbox.record_skipped(job.settings.outbox, slot)
        job.done, job.attempts, job.retry_at = slot, 0, None
        if outcome.folder is not None and job.settings.send:
            _send_issue(job, outcome.folder, self.signals)
        return True

    def resume_deliveries(self) -> None:
        """Go on with every delivery a stop or a crash left unfinished (``send = true``)."""
        from digest.delivery import ledger

        for job in self.jobs:
            if not job.settings.send:
                continue
            for issue in outbox.history(job.settings.outbox):
                state = ledger.replay(issue.folder)
                if state.runs and not state.finished and not self.signals.stop_requested:
                    log.info("%s: going on with the delivery of %s", job.name, issue.folder)
                    _send_issue(job, issue.folder, self.signals)

    def _failed(
        self, job: Job, slot: datetime, now: datetime, exc: Exception, *, retry: bool
    ) -> bool:
        job.attempts += 1
        cause = f"{type(exc).__name__}: {exc}"
        log.debug("%s: traceback of the failure", job.name, exc_info=exc)
        if not retry:
            log.error("%s: slot %s failed: %s", job.name, _show(slot), cause)
            return False
        if job.attempts >= self.max_attempts:
            log.error(
                "%s: slot %s failed %d times, giving up on it (last cause: %s); next slot at %s",
                job.name,
                _show(slot),
                job.attempts,
                cause,
                _show(job.next_slot(now)),
            )
            job.done, job.retry_at = slot, None
            return False
        delay = retry_delay(job.attempts, base=self.retry_seconds, cap=self.retry_cap_seconds)
        job.retry_at = now + delay
        log.error(
            "%s: slot %s failed (attempt %d of %d): %s; retrying in %s",
            job.name,
            _show(slot),
            job.attempts,
            self.max_attempts,
            cause,
            _duration(delay),
        )
        return False

    # --- the loop ------------------------------------------------------------------

    def run_once(self) -> int:
        """Make whatever is due now (a catch-up included), without retries; failures."""
        with self.signals.stop_block():
            self.resume_deliveries()
            now = clock.now()
            failures = self.tick(now, retry=False)
            if not self.runs:
                # Say that nothing was due, or a silent cron job looks broken.
                for job in self.jobs:
                    log.info("%s: nothing due; next slot %s", job.name, _show(job.next_slot(now)))
            return failures
        return 0  # stopped by a signal before anything failed

    def serve(self, *, tick_seconds: float = DEFAULT_TICK_SECONDS) -> None:
        """Tick until SIGTERM or SIGINT. Call with the locks held (``locked()``)."""
        import schedule

        self.on_time = timedelta(seconds=2 * tick_seconds + 60)
        wakeups = schedule.Scheduler()
        wakeups.every(tick_seconds).seconds.do(self.tick)
        with self.signals.stop_block():
            for job in self.jobs:
                log.info(
                    "%s: %s (%s), next slot %s, outbox %s",
                    job.name,
                    job.schedule,
                    job.settings.timezone,
                    _show(job.next_slot(clock.now())),
                    job.settings.outbox,
                )
            self.resume_deliveries()
            self.tick()  # a catch-up is due at start, not one tick later
            while not self.signals.stop_requested:
                # ``idle_seconds`` can be negative after a suspend: run at once.
                time.sleep(max(0.0, min(wakeups.idle_seconds or 0.0, tick_seconds)))
                wakeups.run_pending()
            log.info("stopped after finishing the issue in progress")


def _send_issue(job: Job, folder: Path, signals: StopSignals) -> None:
    """Send ``folder`` to ``job``'s readers; a failure is logged, never raised: the
    issue stays written, and the ledger lets the next start (or digest send) go on."""
    from digest.delivery import RecipientsError, SendFailed, deliver, readers_for

    try:
        listed = readers_for(job.settings)
        for problem in listed.problems:
            log.warning("%s: %s", job.name, problem)
        with signals.busy():  # a signal lets the message in flight finish, then stops
            report = deliver(folder, job.settings, listed.recipients, stop=signals.stopping)
    except (RecipientsError, SendFailed, outbox.OutboxBusy, OSError) as exc:
        log.error("%s: %s not sent: %s", job.name, folder, exc)
        return
    for address, why in report.failed:
        log.warning("%s: %s: %s", job.name, address, why)
    log.info(
        "%s: %s sent to %d, failed %d, unconfirmed %d%s",
        job.name,
        folder,
        report.sent,
        len(report.failed),
        report.unconfirmed,
        f", {report.left} left for the next start" if report.left else "",
    )


def _log_outcome(job: Job, slot: datetime, outcome: Outcome) -> None:
    """What ``pipeline.publish`` made of a slot, in the log."""
    for problem in outcome.problems:
        level = logging.WARNING if problem.level == "error" else logging.INFO
        log.log(level, "%s: %s", job.name, problem)
    if outcome.already is not None:
        log.info("%s: slot %s already has issue %s", job.name, _show(slot), outcome.already.folder)
    elif outcome.issue is None and outcome.articles == 0:
        from digest.pipeline import no_articles_found  # loaded already: it made the outcome

        found = no_articles_found(job.settings)
        log.warning("%s: %s; slot %s skipped", job.name, found, _show(slot))
    elif outcome.issue is None:
        log.info("%s: nothing new for slot %s; skipped", job.name, _show(slot))
    else:
        number, folder = outcome.issue.number, outcome.folder
        log.info("%s: published issue #%d for slot %s: %s", job.name, number, _show(slot), folder)


# --- how times read in the log ----------------------------------------------------


def _show(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"
