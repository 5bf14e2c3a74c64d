"""The outbox's locks: OS file locks (``flock``) that the kernel drops when their
process dies, so a crash never leaves a stale lock behind.

- ``lock``: held by whoever assigns an issue number until the issue is in place, so
  two writers can never produce a duplicate or a gap (``OutboxBusy``);
- ``archive_lock``: held while the web archive is rebuilt;
- ``daemon_lock``: one daemon per outbox, for the daemon's lifetime (``DaemonBusy``);
- ``send_lock``: in an issue's folder, one delivery of that issue at a time
  (``SendBusy``);
- ``health_lock``: held while a run's source failures are recorded (``health``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.outbox.issues import OutboxError

LOCK_NAME = ".lock"
DAEMON_LOCK_NAME = ".daemon.lock"
ARCHIVE_LOCK_NAME = ".archive.lock"
SEND_LOCK_NAME = ".send.lock"
"""In an issue's folder: held by whoever is delivering that issue."""
HEALTH_LOCK_NAME = ".source-health.lock"


class OutboxBusy(OutboxError):
    """Another process holds the outbox lock."""


class SendBusy(OutboxBusy):
    """Another process is delivering this issue."""


class DaemonBusy(OutboxBusy):
    """Another daemon already serves this outbox; ``str()`` says which, in one line."""


@contextmanager
def lock(outbox: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold the outbox's exclusive lock; ``wait=False`` raises ``OutboxBusy`` at once."""

    def busy() -> OutboxBusy:
        return OutboxBusy(f"{outbox}: another digest process is using this outbox")

    with _flock(outbox / LOCK_NAME, wait=wait, busy=busy):
        yield


@contextmanager
def archive_lock(outbox: Path) -> Iterator[None]:
    """Hold the lock of the outbox's archive while it is rebuilt, waiting for it.

    Whoever rebuilds reads the issues under this lock, so the last one to write
    has seen every finished issue; two writers can never leave an index that misses
    one. Separate from ``lock``, so numbering the next issue never waits for pages.
    """

    def busy() -> OutboxBusy:  # only for wait=False, which this lock never uses
        return OutboxBusy(f"{outbox}: another digest process is rebuilding the archive")

    with _flock(outbox / ARCHIVE_LOCK_NAME, wait=True, busy=busy):
        yield


@contextmanager
def health_lock(outbox: Path) -> Iterator[None]:
    """Hold the lock of ``outbox/.source-health.json`` while it is read and replaced,
    waiting for it (a moment: no network, no rendering happens under it)."""

    def busy() -> OutboxBusy:  # only for wait=False, which this lock never uses
        return OutboxBusy(f"{outbox}: another digest process is recording source health")

    with _flock(outbox / HEALTH_LOCK_NAME, wait=True, busy=busy):
        yield


@contextmanager
def daemon_lock(outbox: Path) -> Iterator[None]:
    """Hold ``outbox/.daemon.lock`` for as long as a daemon serves it, or ``DaemonBusy``.

    Separate from ``lock``: that one is held only while a number is assigned, so
    ``digest render`` can still run beside the daemon. The holder's pid is written
    into the file for the message a second daemon gets; the lock itself is the flock.
    """
    path = outbox / DAEMON_LOCK_NAME

    def busy() -> DaemonBusy:
        holder = path.read_text(encoding="ascii", errors="replace").strip()
        pid = f" (pid {holder})" if holder.isdigit() else ""
        return DaemonBusy(
            f"{outbox}: another digest daemon is already running for this outbox{pid}"
        )

    with _flock(path, wait=False, busy=busy) as fd:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield


@contextmanager
def send_lock(folder: Path) -> Iterator[None]:
    """Hold the issue's send lock for one delivery run, or ``SendBusy`` at once: two
    senders of one issue could each think a reader still waits, and both send."""

    def busy() -> SendBusy:
        return SendBusy(f"{folder}: another digest send is delivering this issue")

    with _flock(folder / SEND_LOCK_NAME, wait=False, busy=busy):
        yield


@contextmanager
def _flock(path: Path, *, wait: bool, busy: Callable[[], OutboxBusy]) -> Iterator[int]:
    """An OS lock on ``path`` (created if need be), held until the block ends; without
    ``wait``, ``busy()`` is raised when another process holds it. The kernel drops the
    lock when its process dies, so a crash never leaves a stale lock behind."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy() from None
        yield fd
    finally:
        os.close(fd)
