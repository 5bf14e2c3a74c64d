"""The delivery ledger: what happened to each reader's copy of one issue.

``delivery.jsonl`` in the issue's folder, one JSON object a line, only ever appended,
each line flushed to disk (``fdatasync``) before the next message goes out. Reading
it back (``replay``) gives every reader's last state, which is what makes a send
resumable after a crash, a SIGKILL or a restart:

- ``sending``: written just before the message's final ``.`` (the byte that commits
  it) goes to the server. If it is the last word about a reader, the sender died
  before the server could have the message whole: it is sent again;
- ``handed``: written as soon as the ``.`` is on its way. If it is the last word,
  the server has the message but its answer never came (the one message in flight
  when the sender died): the reader is shown as *unconfirmed* and never sent to
  again, because sending again is what would make a duplicate. Between the two
  lines lies the only window for a duplicate: the few microseconds between handing
  the ``.`` to the kernel and writing ``handed``;
- ``sent`` (the server said 250), ``failed`` (a permanent 5xx refusal, or too many
  temporary ones): final;
- ``deferred``: a temporary refusal (4xx, or the connection dropped before the
  message was handed over): it is tried again, and the attempts are counted across
  restarts.

``started`` and ``finished`` lines bracket each run; an issue whose last run
finished has nobody left to try.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from digest import clock

LEDGER_FILE = "delivery.jsonl"

Status = Literal["sending", "handed", "sent", "failed", "deferred"]
FINAL: frozenset[str] = frozenset(("sent", "failed"))


@dataclass(frozen=True)
class ReaderState:
    status: Status
    attempts: int = 0
    """Temporary failures so far."""
    code: int | None = None
    detail: str = ""
    interrupted: int = 0
    """Times a sender died between ``sending`` and ``handed`` for this reader."""

    @property
    def unconfirmed(self) -> bool:
        return self.status == "handed"

    @property
    def settled(self) -> bool:
        """Nothing more will be tried for this reader."""
        return self.status in FINAL or self.unconfirmed


@dataclass(frozen=True)
class Replay:
    readers: dict[str, ReaderState]
    runs: int
    finished: bool
    """The last run ended with every reader settled."""
    listed: int = 0
    """Readers in the list at the last run's start."""

    @property
    def pending(self) -> int:
        """Readers of the last run's list not settled yet (an estimate when the list
        changed since: readers settled earlier but no longer listed still count)."""
        settled = sum(state.settled for state in self.readers.values())
        return max(0, self.listed - settled)

    def count(self, status: str) -> int:
        if status == "unconfirmed":
            return sum(state.unconfirmed for state in self.readers.values())
        return sum(state.status == status for state in self.readers.values())


def replay(folder: Path) -> Replay:
    """Every reader's last state in ``folder``'s ledger (empty if none was written)."""
    readers: dict[str, ReaderState] = {}
    runs, finished, listed = 0, False, 0
    for entry in _entries(folder / LEDGER_FILE):
        event = entry.get("event")
        if event == "started":
            runs, finished = runs + 1, False
            listed = entry.get("readers", 0) if isinstance(entry.get("readers"), int) else 0
        elif event == "finished":
            finished = True
        elif isinstance(entry.get("to"), str) and entry.get("status") in _STATUSES:
            before = readers.get(entry["to"])
            status = entry["status"]
            attempts = (before.attempts if before else 0) + (status == "deferred")
            interrupted = (before.interrupted if before else 0) + (
                status == "sending" and before is not None and before.status == "sending"
            )
            readers[entry["to"]] = ReaderState(
                status, attempts, entry.get("code"), entry.get("detail", ""), interrupted
            )
    return Replay(readers, runs, finished, listed)


_STATUSES = frozenset(("sending", "handed", "sent", "failed", "deferred"))


def _entries(path: Path) -> Iterator[dict[str, Any]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    for line in data.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # a line torn by a crash mid-write says nothing
            continue
        if isinstance(entry, dict):
            yield entry


class Ledger:
    """Appends to one issue's ledger; safe to share between sending threads."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LEDGER_FILE
        self._lock = threading.Lock()
        """Held for each write (and ``close``)."""
        self._sync_lock = threading.Lock()
        """Held for each flush; taken before ``_lock`` when both are."""
        self._written = 0
        """Lines written so far."""
        self._synced = 0
        """Lines known to be on disk: the written ones when the last flush began."""
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        # A crash mid-line leaves no newline: start on a fresh line, or the next
        # entry would be glued to the torn one and lost with it.
        size = os.fstat(self._fd).st_size
        if size and _last_byte(self.path, size) != b"\n":
            os.write(self._fd, b"\n")

    def record(
        self,
        to: str,
        status: Status,
        *,
        code: int | None = None,
        detail: str = "",
        sync: bool = True,
    ) -> None:
        """Append one reader's new state. ``sync=False`` skips the flush to disk: a
        kill still finds the line (it is in the OS's cache), only a power cut loses it,
        which for ``sending`` means the same as no line (the reader is tried again)."""
        entry: dict[str, Any] = {"to": to, "status": status, "at": _now()}
        if code is not None:
            entry["code"] = code
        if detail:
            entry["detail"] = detail
        self._append(entry, sync=sync)

    def event(self, name: Literal["started", "finished"], **fields: Any) -> None:
        self._append({"event": name, "at": _now(), **fields})

    def _append(self, entry: dict[str, Any], *, sync: bool = True) -> None:
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            os.write(self._fd, line)  # one write: O_APPEND keeps lines whole
            self._written += 1
            mine = self._written
        if sync:
            self._flush(mine)

    def _flush(self, line: int) -> None:
        """Return once the first ``line`` lines are on disk. The flush happens outside
        ``_lock``, so other threads go on writing meanwhile; and one flush covers every
        line written before it began, so a thread whose line another thread's flush
        already covered has nothing to do (a group commit)."""
        with self._sync_lock:
            if self._synced >= line:
                return
            with self._lock:
                covered = self._written
            os.fdatasync(self._fd)
            self._synced = covered

    def close(self) -> None:
        with self._sync_lock, self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _last_byte(path: Path, size: int) -> bytes:
    with path.open("rb") as file:
        file.seek(size - 1)
        return file.read(1)


def _now() -> str:
    return clock.now().isoformat(timespec="milliseconds")
