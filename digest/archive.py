"""The web archive: every published issue as a web page, an index of them, an Atom feed.

This module owns what the archive holds and how it is built from the published
issues; the outbox owns where it lives and how files are written there::

    outbox/archive/index.html             every issue, newest first: date, number,
                                          subject and the items' titles (archive.html.j2)
    outbox/archive/2026-11-25-001.html    one page per issue, named after its folder
    outbox/archive/feed.xml               Atom feed (feedgen), one entry per issue

**A folder of its own.** ``outbox/archive/`` is what one publishes on a web server,
as it is (``rsync -a --delete --exclude='.*' outbox/archive/ host:/var/www/digest/``).
It never exposes an issue folder, and must not: those hold the sent files and will
hold per-reader delivery ledgers with readers' addresses. It links only to its own
files (with relative links, so it works from any address, or opened from disk) and to
the articles.

**The issue pages are rendered again from ``issue.json``**, with the current
templates, rather than copied from ``issue.html``. ``issue.json`` holds the whole
``Issue`` (every item's title, lead, headings and URL), so ``digest archive`` needs
nothing else, issues made before the archive existed included. The templates get the
archive's copy of the view (``render.render_web_page``): ``unsubscribe_url`` is
``None``, so no template, bundled or a user's, can put a working unsubscribe link on
a public page, and ``archive_link`` leads back to the index instead. Editing the
stored ``issue.html`` would instead need a marker in every email (changing the email
and its golden files) and a pattern over whatever a user's template emits. The price:
after a template or setting change an old page shows the current look (the email as
sent stays in its folder); ``digest archive`` re-renders every page.

**Derived data.** Everything here is rebuilt from the issue folders, which are only
read. Each file is replaced atomically (``outbox.replace_file``) and only when its
bytes change, pages before the index that links them; rebuilds hold
``outbox.archive_lock``, so two writers never leave an index missing an issue. After
each issue the pipeline rebuilds the index and the feed, and renders the pages that
are missing or older than their ``issue.json`` (``every_page=False``); an
unreadable ``issue.json`` is reported and its issue left out, the rest archived.

Pure functions build the content (``index_view``, ``index_html``, ``issue_page``,
``feed_xml``, ``entry_id``, and ``archive_file``, any one file by its name: what the
preview serves, built in memory); ``read_stored`` reads the issues and
``write_archive`` is the one that writes.
feedgen, like jinja2 and mjml, is imported on first use.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from digest import __version__, outbox
from digest.config import Settings
from digest.issue import one_line
from digest.models import Issue, Problem
from digest.render import (
    DARK,
    Palette,
    long_date,
    render_template,
    render_web_page,
    safe_url,
    web_url,
)
from digest.render.i18n import text_direction, translations

log = logging.getLogger(__name__)

INDEX_FILE, FEED_FILE = "index.html", "feed.xml"
ARCHIVE_TEMPLATE = "archive.html.j2"
_PAGE = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{3,}\.html$")
"""An issue page's name (``2026-11-25-001.html``): the files a rebuild may remove."""


@dataclass(frozen=True)
class StoredIssue:
    """A published issue, as ``issue.json`` records it, and the folder it is in."""

    name: str
    """The issue folder's name, ``2026-11-25-001``; its page is named after it."""
    issue: Issue

    @property
    def page(self) -> str:
        return f"{self.name}.html"


@dataclass(frozen=True)
class IndexEntry:
    """One issue as the index page shows it (see ``archive.html.j2``)."""

    number: int
    date: str
    """Like "Wednesday 25 November 2026"."""
    date_iso: str
    subject: str
    href: str
    """Its page, relative to the index: ``2026-11-25-001.html``."""
    titles: list[str]


@dataclass(frozen=True)
class ArchiveView:
    """What ``archive.html.j2`` receives as ``archive``."""

    newsletter: str
    issues: list[IndexEntry]
    """Newest first."""
    feed_href: str
    feed_url: str | None
    colours: Palette
    lang: str = "en"
    """The newsletter's language (the page's ``lang``)."""
    dir: str = "ltr"
    """"rtl" for a right-to-left language, else "ltr" (the page's ``dir``)."""


@dataclass
class ArchiveResult:
    """What ``write_archive`` did."""

    folder: Path
    issues: int = 0
    """Issues in the archive (those whose ``issue.json`` could be read)."""
    written: list[Path] = field(default_factory=list)
    """Files whose bytes changed (new or replaced), in the order written."""
    removed: list[Path] = field(default_factory=list)
    """Pages of issues no longer in the outbox, and leftovers of a crashed write."""
    problems: list[Problem] = field(default_factory=list)
    """One per ``issue.json`` that could not be read; its issue is left out."""


# --------------------------------------------------------------------------- content


def newest_first(stored: list[StoredIssue]) -> list[StoredIssue]:
    return sorted(stored, key=lambda s: (s.issue.number, s.name), reverse=True)


def index_view(stored: list[StoredIssue], settings: Settings) -> ArchiveView:
    """Everything the index page shows, newest issue first."""
    untitled = translations(settings.language).gettext("Untitled")
    entries = [
        IndexEntry(
            number=s.issue.number,
            date=long_date(s.issue.date, settings.language),
            date_iso=s.issue.date.isoformat(),
            subject=one_line(s.issue.subject),
            href=s.page,
            titles=[one_line(item.title) or untitled for item in s.issue.items],
        )
        for s in newest_first(stored)
    ]
    return ArchiveView(
        newsletter=one_line(settings.name),
        issues=entries,
        feed_href=FEED_FILE,
        feed_url=_published(settings, FEED_FILE),
        colours=Palette(**settings.resolved_theme.style.colours),
        lang=settings.language,
        dir=text_direction(settings.language),
    )


def index_html(stored: list[StoredIssue], settings: Settings) -> str:
    """The index page: the first archive template of the user's templates, the
    theme's and the default theme's (a folder copied before the archive existed has
    none)."""
    view = index_view(stored, settings)
    return render_template(
        settings.template_folders,
        ARCHIVE_TEMPLATE,
        settings.language,
        archive=view,
        issues=view.issues,
        colours=view.colours,
        dark=DARK,
    )


def issue_page(stored: StoredIssue, settings: Settings) -> str:
    """The issue's public page: the email's HTML without its unsubscribe link, with a
    link back to the index in its place."""
    return render_web_page(stored.issue, settings, index_link=INDEX_FILE)


def entry_id(settings: Settings, stored: StoredIssue) -> str:
    """The feed entry's id, the same for an issue on every rebuild and every machine:
    a ``tag:`` URI (RFC 4151) from the sender's domain, the issue's date, the
    newsletter's slug and the folder name, never from ``archive_url`` (moving the
    archive must not make every issue look new to feed readers)."""
    day = stored.issue.date.isoformat()
    return f"tag:{settings.sender_domain},{day}:{settings.slug}/{stored.name}"


def feed_xml(stored: list[StoredIssue], settings: Settings) -> bytes:
    """The Atom feed: one entry per issue, newest first; links point at the published
    archive with ``archive_url``, else at the pages beside the feed (relative)."""
    from feedgen.feed import FeedGenerator

    issues = newest_first(stored)
    if not issues:
        raise ValueError("an Atom feed needs at least one issue")
    oldest = issues[-1].issue.date.isoformat()
    feed = FeedGenerator()
    feed.id(f"tag:{settings.sender_domain},{oldest}:{settings.slug}")
    feed.title(one_line(settings.name))
    feed.author({"name": one_line(settings.name)})
    feed.language(settings.language)
    feed.generator("digest", version=__version__)
    feed.link(href=_published(settings, INDEX_FILE) or INDEX_FILE, rel="alternate")
    if (self_url := _published(settings, FEED_FILE)) is not None:
        feed.link(href=self_url, rel="self")
    # Set, not left to feedgen: it would use the time of the build.
    feed.updated(max(_aware(s.issue, settings) for s in issues))
    for each in issues:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(settings, each))
        entry.title(one_line(each.issue.subject))
        entry.link(href=web_url(settings, each.name) or each.page, rel="alternate")
        entry.published(_aware(each.issue, settings))
        entry.updated(_aware(each.issue, settings))
        entry.content(_entry_html(each.issue), type="html")
    return feed.atom_str(pretty=True)


def archive_file(name: str, stored: list[StoredIssue], settings: Settings) -> bytes | None:
    """The file ``name`` of the archive of these issues, as ``write_archive`` writes
    it: ``index.html``, ``feed.xml`` or one of their pages; ``None`` for any other
    name, or with no issues (an archive without issues is never written)."""
    if not stored:
        return None
    if name == INDEX_FILE:
        return index_html(stored, settings).encode("utf-8")
    if name == FEED_FILE:
        return feed_xml(stored, settings)
    each = next((s for s in stored if s.page == name), None)
    return issue_page(each, settings).encode("utf-8") if each is not None else None


def _entry_html(issue: Issue) -> str:
    """The entry's content: the items' titles, each linked to its article if it has
    an https URL."""
    rows = []
    for item in issue.items:
        title = html.escape(one_line(item.title) or "Untitled")
        url = safe_url(item.url)
        linked = f'<a href="{html.escape(url)}">{title}</a>' if url else title
        rows.append(f"<li>{linked}</li>")
    return f"<ol>{''.join(rows)}</ol>" if rows else "<p>No items.</p>"


def _aware(issue: Issue, settings: Settings) -> datetime:
    moment = issue.created_at
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.zone)


def _published(settings: Settings, name: str) -> str | None:
    return f"{settings.archive_url}/{name}" if settings.archive_url else None


# --------------------------------------------------------------------------- on disk


def write_archive(settings: Settings, *, every_page: bool = True) -> ArchiveResult:
    """Rebuild ``outbox/archive/`` from the issue folders' ``issue.json`` files.

    ``every_page=False`` (after each new issue) renders only the pages that are
    missing or older than their ``issue.json``; the index and the feed are always
    built. With no readable issue, nothing is written. Raises ``OSError`` or
    ``TemplateProblem`` when a file cannot be made; whatever was replaced before is
    whole, and the issue folders are never touched.
    """
    root = settings.outbox
    folder = root / outbox.ARCHIVE_NAME
    result = ArchiveResult(folder)
    if not root.is_dir():
        return result  # no outbox yet: nothing to archive, and none is made for it
    with outbox.archive_lock(root):
        folders = outbox.issue_folders(root)
        stored, result.problems = read_stored(folders)
        result.issues = len(stored)
        if not stored:
            return result
        folder.mkdir(exist_ok=True)
        result.removed = _remove_stale(folder, {f"{f.name}.html" for f in folders})
        files: dict[str, bytes] = {}
        for each in stored:
            page = folder / each.page
            if every_page or _older(page, root / each.name / outbox.JSON_FILE):
                files[each.page] = issue_page(each, settings).encode("utf-8")
        # The index last: it never links a page that is not there yet.
        files[FEED_FILE] = feed_xml(stored, settings)
        files[INDEX_FILE] = index_html(stored, settings).encode("utf-8")
        for name, data in files.items():
            path = folder / name
            if _read(path) != data:
                outbox.replace_file(path, data)
                result.written.append(path)
    return result


def read_stored(folders: Iterable[Path]) -> tuple[list[StoredIssue], list[Problem]]:
    """The issues these folders' ``issue.json`` files record, and one ``Problem`` per
    file that cannot be read (its issue is left out). Only reads."""
    stored: list[StoredIssue] = []
    problems: list[Problem] = []
    for issue_folder in folders:
        try:
            stored.append(StoredIssue(issue_folder.name, outbox.read_issue(issue_folder)))
        except outbox.DamagedIssue as exc:
            message = f"{exc.reason}; issue left out of the archive"
            problems.append(Problem(str(exc.path), message))
    return stored, problems


def _older(page: Path, source: Path) -> bool:
    try:
        return page.stat().st_mtime_ns < source.stat().st_mtime_ns
    except OSError:  # no page yet (or no source, which read_issue has just read)
        return True


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _remove_stale(folder: Path, pages: set[str]) -> list[Path]:
    """Remove pages of issues no longer in the outbox and dot-file leftovers of a
    crashed write; anything else put in the folder (a robots.txt…) stays."""
    removed = []
    for entry in folder.iterdir():
        leftover = entry.name.startswith(".") and entry.name.endswith(".tmp")
        if entry.is_file() and (leftover or (_PAGE.match(entry.name) and entry.name not in pages)):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return sorted(removed)
