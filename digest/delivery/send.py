"""Delivering one issue to its readers: each exactly once, resumable, in parallel.

``deliver`` takes an issue folder and the readers, and sends every reader whom the
ledger does not already settle (see ``digest.delivery.ledger``), over
``send_connections`` SMTP connections at most ``send_rate`` messages a second:

- 250: ``sent``. 5xx: ``failed``, reported, never retried; the others go on.
- 4xx, or a connection lost before the message was handed over: ``deferred`` and
  tried again after ``send_retry_seconds`` (doubling, at most 15 minutes), up to
  ``send_attempts`` times, then ``failed``. A lost connection is reopened.
- A message whose final ``.`` was handed over but not answered is *unconfirmed*,
  and not sent again (see ``ledger``).
- A refused login, a TLS failure or a server that stays unreachable stops the run
  with ``SendFailed``; what was sent is in the ledger, and the next run goes on.

Only one sender per issue at a time (``outbox.send_lock``).
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from digest import outbox
from digest.delivery import ledger, tokens
from digest.delivery.ledger import Ledger
from digest.delivery.messages import Template, dkim_sign, personal_copy, reader_message_id
from digest.delivery.recipients import Recipient
from digest.delivery.smtp import Connection, Dropped, InDoubt, Reply, SendFailed, server_label

if TYPE_CHECKING:
    from digest.config import Settings

log = logging.getLogger(__name__)

RETRY_CAP_SECONDS = 15 * 60.0
Progress = Callable[[int, int], None]
"""Called with (readers settled so far, readers to settle) as the run goes."""


@dataclass
class DeliveryReport:
    folder: Path
    readers: int
    """Readers in the list."""
    attempted: int = 0
    """Readers this run tried (the others were settled by earlier runs)."""
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(address, why) of each reader refused for good this run."""
    unconfirmed: int = 0
    left: int = 0
    """Readers still to try (the run was stopped)."""


def backoff(settings: Settings, attempt: int) -> float:
    """Seconds to wait after the ``attempt``-th failure: doubling, at most 15 minutes."""
    return min(RETRY_CAP_SECONDS, settings.send_retry_seconds * 2 ** (attempt - 1))


def reader_copy(template: Template, recipient: Recipient, settings: Settings) -> bytes:
    """``recipient``'s own message (see ``digest.delivery.messages``), DKIM-signed
    when ``dkim_key_file`` is set."""
    issue_id = template.header("Message-ID") or ""
    unsubscribe = None
    written = settings.unsubscribe_url
    if written and tokens.PLACEHOLDER in written and settings.unsubscribe_secret:
        secret = settings.unsubscribe_secret.get_secret_value()
        token = tokens.make_token(secret, settings.list_id, recipient.email)
        unsubscribe = (written, tokens.personal_url(written, token))
    message = personal_copy(
        template,
        to=recipient.address,
        message_id=reader_message_id(issue_id, recipient.email),
        unsubscribe=unsubscribe,
    )
    if settings.dkim_key_file is not None and settings.dkim_selector:
        domain = settings.dkim_domain or settings.sender_domain
        message = dkim_sign(
            message,
            key_file=settings.dkim_key_file,
            selector=settings.dkim_selector,
            domain=domain,
        )
    return message


def check_ready(settings: Settings) -> None:
    """``SendFailed`` for settings that cannot send, before anything is tried."""
    if settings.smtp_user and settings.smtp_password is None:
        raise SendFailed(
            f"smtp_user is {settings.smtp_user!r} but no password is set: set DIGEST_SMTP_PASSWORD"
        )
    written = settings.unsubscribe_url or ""
    if tokens.PLACEHOLDER in written and settings.unsubscribe_secret is None:
        raise SendFailed(
            f"unsubscribe_url {written!r} wants each reader's {{token}}, but no "
            "unsubscribe_secret is set: set DIGEST_UNSUBSCRIBE_SECRET"
        )


def deliver(
    folder: Path,
    settings: Settings,
    recipients: list[Recipient],
    *,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> DeliveryReport:
    """Send the issue in ``folder`` to each of ``recipients`` not yet settled."""
    check_ready(settings)
    with outbox.send_lock(folder):
        template = Template.parse((folder / outbox.EML_FILE).read_bytes())
        known = ledger.replay(folder).readers
        todo = [r for r in recipients if r.key not in known or not known[r.key].settled]
        report = DeliveryReport(folder, len(recipients), attempted=len(todo))
        with Ledger(folder) as book:
            book.event("started", readers=len(recipients), todo=len(todo))
            run = _Run(settings, template, book, report, progress, stop or threading.Event())
            for recipient in todo:
                before = known.get(recipient.key)
                run.queue.put(recipient, attempts=before.attempts if before else 0)
            run.go()
            if not report.left:
                book.event("finished", sent=report.sent, failed=len(report.failed))
        return report


class _Queue:
    """Readers waiting to be tried, each from a moment on (retries wait)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Recipient, int]] = []
        self._order = 0
        self._busy = 0
        self._cond = threading.Condition()
        self.closed = False

    def put(self, recipient: Recipient, *, attempts: int = 0, delay: float = 0.0) -> None:
        with self._cond:
            self._order += 1
            heapq.heappush(
                self._heap, (time.monotonic() + delay, self._order, recipient, attempts)
            )
            self._cond.notify()

    def take(self) -> tuple[Recipient, int] | None:
        """The next reader due, waiting for one; ``None`` when all are done."""
        with self._cond:
            while True:
                if self.closed or (not self._heap and not self._busy):
                    self._cond.notify_all()
                    return None
                if self._heap:
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        _, _, recipient, attempts = heapq.heappop(self._heap)
                        self._busy += 1
                        return recipient, attempts
                    self._cond.wait(min(wait, 1.0))
                else:
                    self._cond.wait(1.0)

    def done(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._heap) + self._busy


class _Pace:
    """At most ``rate`` messages a second over every connection (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next)
            self._next = at + self._interval
        if at > now:
            time.sleep(at - now)


class _Run:
    """One delivery run: the queue, the workers and what they report."""

    def __init__(
        self,
        settings: Settings,
        template: Template,
        book: Ledger,
        report: DeliveryReport,
        progress: Progress | None,
        stop: threading.Event,
    ) -> None:
        self.settings, self.template, self.book, self.report = settings, template, book, report
        self.progress, self.stop = progress, stop
        self.queue = _Queue()
        self.pace = _Pace(settings.send_rate)
        self.sender = parseaddr(settings.sender)[1]
        self.fatal: SendFailed | None = None
        self._lock = threading.Lock()
        self._settled = 0

    def go(self) -> None:
        workers = min(self.settings.send_connections, max(1, len(self.queue)))
        threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)
                    if self.stop.is_set():
                        self.queue.close()
        except KeyboardInterrupt:  # Ctrl-C: the messages in hand finish, then stop
            self.stop.set()
            self.queue.close()
            for thread in threads:
                thread.join()
        self.report.left = len(self.queue)
        if self.fatal is not None:
            raise self.fatal

    def _work(self) -> None:
        connection = Connection(self.settings)
        try:
            # ``stop`` is read here too, not only by ``go`` (every 0.2 s): at hundreds
            # of messages a second, that would send dozens more after a stop.
            while not self.stop.is_set() and (job := self.queue.take()) is not None:
                recipient, attempts = job
                try:
                    self._try(connection, recipient, attempts)
                except SendFailed as exc:
                    self.fatal = self.fatal or exc
                    self.queue.close()
                finally:
                    self.queue.done()
        finally:
            connection.close()

    def _connect(self, connection: Connection) -> None:
        """Open ``connection``, retrying with back-off; ``SendFailed`` when the server
        stays unreachable (which is no reader's fault: nobody is marked failed)."""
        tries = self.settings.send_attempts
        for attempt in range(1, tries + 1):
            try:
                connection.open()
                return
            except Dropped as exc:
                if attempt == tries or self.stop.is_set():
                    raise SendFailed(f"{exc}; gave up after {attempt} tries") from None
                delay = min(
                    RETRY_CAP_SECONDS, self.settings.send_retry_seconds * 2 ** (attempt - 1)
                )
                log.warning("%s; trying again in %.0f s", exc, delay)
                self.stop.wait(delay)

    def _try(self, connection: Connection, recipient: Recipient, attempts: int) -> None:
        message = reader_copy(self.template, recipient, self.settings)
        if not connection.is_open:
            self._connect(connection)
        self.pace.wait()
        try:
            reply = connection.send(
                self.sender,
                recipient.email,
                message,
                lambda handed: self._mark(recipient, handed),
            )
        except Dropped as exc:
            # Not the reader's doing: tried again at once on a new connection, but
            # counted, so that a message that always breaks the connection ends.
            self._retry(recipient, attempts, None, str(exc), delay=0.0)
            return
        except InDoubt as exc:
            log.warning("%s: %s; not sent again (unconfirmed)", recipient.email, exc)
            self._settle(unconfirmed=True)
            return
        if reply.accepted:
            self.book.record(recipient.key, "sent", code=reply.code)
            self._settle(sent=True)
        elif reply.temporary:
            self._retry(recipient, attempts, reply, str(reply))
        else:
            self._fail(recipient, reply.code, f"refused: {reply}")

    def _mark(self, recipient: Recipient, handed: bool) -> None:
        # ``handed`` must reach the disk before the answer is read: from then on a
        # crash must never send this reader again.
        self.book.record(recipient.key, "handed" if handed else "sending", sync=handed)

    def _retry(
        self,
        recipient: Recipient,
        attempts: int,
        reply: Reply | None,
        why: str,
        *,
        delay: float | None = None,
    ) -> None:
        attempts += 1
        code = reply.code if reply else None
        if attempts >= self.settings.send_attempts:
            self._fail(recipient, code, f"gave up after {attempts} tries: {why}")
            return
        self.book.record(recipient.key, "deferred", code=code, detail=why)
        if delay is None:
            delay = backoff(self.settings, attempts)
        log.info("%s: %s; trying again in %.0f s", recipient.email, why, delay)
        self.queue.put(recipient, attempts=attempts, delay=delay)

    def _fail(self, recipient: Recipient, code: int | None, why: str) -> None:
        self.book.record(recipient.key, "failed", code=code, detail=why)
        log.warning("%s: %s", recipient.email, why)
        with self._lock:
            self.report.failed.append((recipient.email, why))
        self._settle()

    def _settle(self, *, sent: bool = False, unconfirmed: bool = False) -> None:
        with self._lock:
            self.report.sent += sent
            self.report.unconfirmed += unconfirmed
            self._settled += 1
            settled = self._settled
        if self.progress is not None:
            self.progress(settled, self.report.attempted)


def send_test_copy(folder: Path, settings: Settings, recipient: Recipient) -> None:
    """One copy of the issue to ``recipient``, recorded nowhere (``--to``)."""
    check_ready(settings)
    template = Template.parse((folder / outbox.EML_FILE).read_bytes())
    message = reader_copy(template, recipient, settings)
    connection = Connection(settings)
    label = server_label(settings)
    try:
        connection.open()
        reply = connection.send(parseaddr(settings.sender)[1], recipient.email, message, _nothing)
    except (Dropped, InDoubt) as exc:
        raise SendFailed(f"{label}: {exc}") from None
    finally:
        connection.close()
    if not reply.accepted:
        raise SendFailed(f"{label} refused the copy to {recipient.email}: {reply}")


def _nothing(handed: bool) -> None:
    """A test copy has no ledger to mark."""
