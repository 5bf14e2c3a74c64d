"""The outbox: finished issues on disk, each in its own dated folder.

It owns the folder layout (``outbox/2026-11-24-001/issue.{html,txt,eml,json}``),
reading back what was already published (its history, and one issue's four forms as
``IssueFiles``), and writing a new issue atomically: files
are written and fsynced in a staging folder, which is then renamed into place, so an
issue folder exists whole or not at all. An existing issue is never overwritten.

It also owns the outbox lock, an OS file lock (``flock``) that whoever assigns an
issue number holds until the issue is in place, so two writers can never produce a
duplicate or a gap; the daemon's lock (one daemon per outbox); and the record of the
schedule slot the daemon last skipped. Everything on disk under ``outbox/`` is here.

The web archive (``digest.archive``) lives in ``outbox/archive/``, a folder of its own
that is published as is; it is derived data, rebuilt from the issue folders and
written file by file with ``replace_file`` under ``archive_lock``. Issue discovery
never mistakes it (or anything not named like an issue) for an issue.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from digest.models import Issue, RenderedIssue

log = logging.getLogger(__name__)

LOCK_NAME = ".lock"
DAEMON_LOCK_NAME = ".daemon.lock"
ARCHIVE_LOCK_NAME = ".archive.lock"
ARCHIVE_NAME = "archive"
"""The web archive's folder inside the outbox (``digest.archive``)."""
SKIPPED_NAME = ".skipped-slot"
SEND_LOCK_NAME = ".send.lock"
"""In an issue's folder: held by whoever is delivering that issue."""
"""The latest schedule slot the daemon skipped (nothing new, or missed)."""
STAGING_PREFIX = ".staging-"
HTML_FILE, TEXT_FILE, EML_FILE, JSON_FILE = "issue.html", "issue.txt", "issue.eml", "issue.json"
FILES = (HTML_FILE, TEXT_FILE, EML_FILE, JSON_FILE)
"""An issue folder's files, the only names written into it and read back from it."""
_ISSUE_FOLDER = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d{3,})$")


class OutboxError(Exception):
    """The outbox cannot take this issue; ``str()`` says why in one line."""


class IssueExists(OutboxError):
    """The issue's folder is already there; it is left untouched."""


class DamagedIssue(OutboxError):
    """An issue folder whose ``issue.json`` cannot be read back as an ``Issue``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class OutboxBusy(OutboxError):
    """Another process holds the outbox lock."""


class SendBusy(OutboxBusy):
    """Another process is delivering this issue."""


class DaemonBusy(OutboxBusy):
    """Another daemon already serves this outbox; ``str()`` says which, in one line."""


@dataclass(frozen=True)
class PublishedIssue:
    """What the outbox knows of one finished issue."""

    folder: Path
    number: int
    date: date
    subject: str
    item_ids: frozenset[str]
    slot: datetime | None = None


def history(outbox: Path) -> list[PublishedIssue]:
    """Every finished issue in ``outbox``, oldest number first.

    Staging folders, the archive and anything not named like an issue are ignored. An
    issue whose ``issue.json`` cannot be read still counts for numbering (from its
    folder name), so a damaged file can never make a number be handed out twice.
    """
    issues = [_read_published(folder) for folder in issue_folders(outbox)]
    return sorted(issues, key=lambda p: (p.number, p.folder.name))


def issue_folders(outbox: Path) -> list[Path]:
    """Every finished issue's folder, by name: named ``DATE-NNN`` with a real date.

    Staging folders, the archive, lock files and anything else are not issues.
    """
    if not outbox.is_dir():
        return []
    folders = []
    for folder in outbox.iterdir():
        match = _ISSUE_FOLDER.match(folder.name)
        if not match or not folder.is_dir():
            continue
        try:
            date.fromisoformat(match.group(1))
        except ValueError:
            log.warning("%s: not a real date; ignored (digest never writes such a folder)", folder)
            continue
        folders.append(folder)
    return sorted(folders)


def _read_published(folder: Path) -> PublishedIssue:
    day_text, _, number_text = folder.name.rpartition("-")
    number, day = int(number_text), date.fromisoformat(day_text)
    try:
        meta = json.loads((folder / JSON_FILE).read_text(encoding="utf-8"))
        slot = meta.get("slot")
        return PublishedIssue(
            folder=folder,
            number=int(meta.get("number", number)),
            date=day,
            subject=str(meta.get("subject", "")),
            item_ids=frozenset(item["id"] for item in meta.get("items", [])),
            slot=datetime.fromisoformat(slot) if slot else None,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s: cannot read issue.json (%s); counting it by its folder name", folder, exc)
        return PublishedIssue(folder, number, day, "", frozenset())


def read_issue(folder: Path) -> Issue:
    """The ``Issue`` an issue folder's ``issue.json`` records (everything needed to
    render it again), or ``DamagedIssue`` saying in one line which file and why not."""
    path = folder / JSON_FILE
    try:
        return Issue.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise DamagedIssue(path, f"cannot read it ({exc.strerror or exc})") from None
    except ValidationError as exc:  # bad JSON included
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        reason = f"{where}: {first['msg']}" if where else first["msg"]
        raise DamagedIssue(path, f"not a readable issue record ({reason})") from None


def next_number(published: list[PublishedIssue]) -> int:
    return max((p.number for p in published), default=0) + 1


def published_ids(published: list[PublishedIssue]) -> set[str]:
    return set().union(*(p.item_ids for p in published))


def issue_json(issue: Issue) -> str:
    """The machine-readable record of an issue, as stored in ``issue.json``."""
    data = {
        "newsletter": issue.newsletter,
        "number": issue.number,
        "date": issue.date.isoformat(),
        "subject": issue.subject,
        "slot": issue.slot.isoformat() if issue.slot else None,
        "created_at": issue.created_at.isoformat(),
        "sources": issue.sources,
        "backlog": issue.backlog,
        "items": [item.model_dump(mode="json") for item in issue.items],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def issue_contents(issue: Issue, rendered: RenderedIssue) -> dict[str, bytes]:
    """Each of an issue's files by name, byte for byte as ``write_issue`` stores them
    (the preview serves a draft's from here, so a draft reads like the real thing)."""
    return {
        HTML_FILE: rendered.html.encode("utf-8"),
        TEXT_FILE: rendered.text.encode("utf-8"),
        EML_FILE: rendered.eml,
        JSON_FILE: issue_json(issue).encode("utf-8"),
    }


def write_issue(outbox: Path, issue: Issue, rendered: RenderedIssue) -> Path:
    """Put ``issue`` into ``outbox/<date>-<number>/`` whole, or raise and leave nothing.

    Callers that assign numbers should hold ``lock(outbox)``; the rename still
    refuses to replace a finished folder even if one does not.
    """
    outbox.mkdir(parents=True, exist_ok=True)
    final = outbox / issue.folder_name
    if final.exists():
        raise IssueExists(f"{final}: issue already exists, will not overwrite it")
    contents = issue_contents(issue, rendered)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outbox))
    try:
        # mkdtemp makes the folder private (0700); a published issue must be readable
        # like any folder the user creates (a mailer or web server may run as another user).
        staging.chmod(0o777 & ~_umask())
        for name, data in contents.items():
            _write_synced(staging / name, data)
        _fsync_dir(staging)
        try:
            # rename(2) onto an existing non-empty folder fails, so a finished issue
            # that appeared since the check above is still never replaced.
            os.rename(staging, final)
        except OSError as exc:
            if final.exists():
                raise IssueExists(
                    f"{final}: issue already exists, will not overwrite it"
                ) from None
            raise OutboxError(f"{final}: cannot publish issue ({exc.strerror})") from None
        _fsync_dir(outbox)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


@functools.cache
def _umask() -> int:
    # os.umask can only be read by setting it; do that once, before any thread
    # could be creating files under the temporary value.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` atomically: written and fsynced under a temporary
    dot-name in the same folder, then renamed over the old file, so a reader (or a web
    server) sees the old file or the new one, never half of one. Leftovers of a
    crash are dot-files ending ``.tmp``, never the file itself."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        # mkstemp makes the file private (0600); like any file the user creates, it
        # must be readable by a web server running as another user.
        os.chmod(temporary, 0o666 & ~_umask())
        _write_synced(Path(temporary), data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def clean_staging(outbox: Path) -> list[Path]:
    """Remove staging folders left by a crashed writer; call only under ``lock``.

    Finished issues never start with the staging prefix, so they are never touched.
    """
    removed = []
    if outbox.is_dir():
        for entry in outbox.iterdir():
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


# --- one issue's files -----------------------------------------------------------


@dataclass(frozen=True)
class IssueFiles:
    """The four forms of one issue, as they are (or would be) in the outbox."""

    html: str
    text: str
    eml: bytes
    meta: dict[str, Any]
    """``issue.json``: number, date, subject, items…"""

    @property
    def html_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    @property
    def items(self) -> list[dict[str, Any]]:
        items = self.meta.get("items")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    @property
    def backlog(self) -> int:
        """New items left out because of ``max_items``; 0 when ``issue.json`` predates
        the ``backlog`` key or holds nonsense."""
        backlog = self.meta.get("backlog")
        return max(backlog, 0) if isinstance(backlog, int) and not isinstance(backlog, bool) else 0

    def item_texts(self) -> list[str]:
        """Every title, lead and heading of the items, whitespace collapsed, longest
        first: the articles' own words, which no template rule should judge."""
        texts: set[str] = set()
        for item in self.items:
            headings = item.get("headings")
            values = [item.get("title"), item.get("lead")]
            values += headings if isinstance(headings, list) else []
            texts.update(" ".join(v.split()) for v in values if isinstance(v, str))
        texts.discard("")
        return sorted(texts, key=len, reverse=True)


def load_issue_files(folder: Path) -> IssueFiles:
    """An issue folder's files; a missing or unreadable one reads as empty."""

    def read(name: str) -> bytes:
        try:
            return (folder / name).read_bytes()
        except OSError:
            return b""

    return issue_files_from(read)


def issue_files_from(read: Callable[[str], bytes]) -> IssueFiles:
    """``IssueFiles`` from a reader of ``issue.html``, ``issue.txt``… by name, so
    callers decide which files may be read (the preview refuses symlinks out)."""
    try:
        meta = json.loads(read(JSON_FILE).decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        meta = {}
    return IssueFiles(
        html=read(HTML_FILE).decode("utf-8", errors="replace"),
        text=read(TEXT_FILE).decode("utf-8", errors="replace"),
        eml=read(EML_FILE),
        meta=meta if isinstance(meta, dict) else {},
    )


def files_from_rendered(issue: Issue, rendered: RenderedIssue) -> IssueFiles:
    """A draft's forms, exactly as ``write_issue`` would store them."""
    return IssueFiles(rendered.html, rendered.text, rendered.eml, json.loads(issue_json(issue)))


def find_issue(outbox: Path, ref: str | None) -> Path | None:
    """The issue folder ``ref`` names: a folder name (``2026-11-24-001``), an issue
    number (``3``) or a path to an issue folder; the newest issue when ``None``."""
    published = history(outbox)
    if ref is None:
        return published[-1].folder if published else None
    for issue in reversed(published):
        if ref in (issue.folder.name, str(issue.number)):
            return issue.folder
    path = Path(ref)
    if path.is_dir() and (path / HTML_FILE).is_file():
        return path
    return None


# --- locks -----------------------------------------------------------------------


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


# --- schedule slots --------------------------------------------------------------


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
