"""Issue folders: the layout of ``outbox/DATE-NNN/``, reading them back, writing one whole.

An issue lives in ``outbox/2026-11-24-001/`` as ``issue.{html,txt,eml,json}``. This
module owns those names, finding the finished folders (``issue_folders``) and what
they record (``history``, ``read_issue``, the next number), the ``issue.json`` record
itself (``issue_json``, ``issue_contents``), and writing a new issue atomically
(``write_issue``): files are written and fsynced in a staging folder, which is then
renamed into place, so an issue folder exists whole or not at all. An existing issue
is never overwritten; staging left by a crash is removed by ``clean_staging``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from digest.models import Issue, RenderedIssue
from digest.outbox.atomic import fsync_dir, umask, write_synced

log = logging.getLogger(__package__)  # "digest.outbox", as the daemon's log lines name it

ARCHIVE_NAME = "archive"
"""The web archive's folder inside the outbox (``digest.archive``)."""
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


@dataclass(frozen=True)
class PublishedIssue:
    """What the outbox knows of one finished issue."""

    folder: Path
    number: int
    date: date
    subject: str
    item_ids: frozenset[str]
    slot: datetime | None = None
    fingerprints: frozenset[str] = frozenset()
    """The items' content fingerprints, as far as ``issue.json`` records them (items
    of issues made before fingerprints have none)."""


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
            fingerprints=frozenset(
                str(item["fingerprint"])
                for item in meta.get("items", [])
                if item.get("fingerprint")
            ),
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


def published_fingerprints(published: list[PublishedIssue]) -> set[str]:
    return set().union(*(p.fingerprints for p in published))


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
    if issue.stale_sources:  # only then, so that other records read as they always did
        data["stale_sources"] = [stale.model_dump(mode="json") for stale in issue.stale_sources]
    if issue.dropped:  # likewise
        data["dropped"] = list(issue.dropped)
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
        staging.chmod(0o777 & ~umask())
        for name, data in contents.items():
            write_synced(staging / name, data)
        fsync_dir(staging)
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
        fsync_dir(outbox)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


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
