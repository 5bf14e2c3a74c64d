"""One issue's four forms as data (``IssueFiles``), wherever they come from.

``load_issue_files`` reads them from an issue folder, ``issue_files_from`` from any
reader of the files by name (the preview's, which refuses symlinks out),
``files_from_rendered`` from a draft not yet written; ``find_issue`` finds the folder
a command-line reference (folder name, number or path) names. ``check`` and the
preview judge and show issues through ``IssueFiles``, never through the folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.models import Issue, RenderedIssue
from digest.outbox.issues import (
    EML_FILE,
    HTML_FILE,
    JSON_FILE,
    TEXT_FILE,
    history,
    issue_json,
)


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
