"""What the preview's pages show, as plain data: no requests, no responses.

This module owns the page data and the views of an email: the start page's rows
(``IssueRow``, ``list_issues``, ``IndexSection``), an issue page (``IssueView``,
``issue_view``), the file and lines an error names (``error_excerpt``), the email as
a dark-mode client shows it and as the preview frame loads it (``dark_variant``,
``frame_html``, ``light_variant``), the HTML source as the source tab shows it
(``pretty_html``, ``highlighted_source``: indented by us, highlighted by Pygments),
the message's headers (``eml_headers``), and the Jinja environment
the pages in ``assets/`` are rendered with (``page_environment``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from digest.check import (
    GMAIL_CLIP_BYTES,
    SIZE_WARNING_BYTES,
    Finding,
    preheader_of,
    run_checks,
)
from digest.outbox import HTML_FILE, IssueFiles
from digest.preview.guard import inside, issue_folder
from digest.render import TEXT_WIDTH

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from digest.config import Settings
    from digest.models import Problem
    from digest.preview.state import Newsletter

ASSETS = Path(__file__).parent / "assets"
"""The preview's own templates, CSS and JS."""
WIDTHS = {"phone": 375, "column": 600, "desktop": 1024}
_ERROR_WHERE = re.compile(r"^(?P<file>.+?), line (?P<line>\d+): ")


# --------------------------------------------------------------------------- email views


_DARK_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.IGNORECASE)
_LIGHT_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*light\s*\)", re.IGNORECASE)
_HEAD_OPEN = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
# An <a> whose href starts with "#" (the email's own markup, attributes double-quoted).
_IN_PAGE_LINK = re.compile(r'(<a\b[^>]*?\shref="#[^"]*")', re.IGNORECASE)
# Clients without authored dark styles (Gmail's apps, Outlook) invert the colours;
# images are inverted back so photos look right.
_INVERT_CSS = (
    "<style>html{filter:invert(1) hue-rotate(180deg);background:#fff}"
    "img,picture,video{filter:invert(1) hue-rotate(180deg)}</style>"
)
# ``!important`` beats the email's own ``:root { color-scheme: light dark }``.
_LIGHT_ONLY_CSS = "<style>:root{color-scheme:light only!important}</style>"


def dark_variant(html: str) -> tuple[str, str]:
    """The email as a dark-mode client shows it, and how that was done.

    Authored ``prefers-color-scheme: dark`` rules are switched on (the media feature
    becomes one that always matches); without any, the colour inversion that
    clients apply to emails without dark styles is simulated.
    """
    if _DARK_QUERY.search(html):
        html = _DARK_QUERY.sub("(min-width: 0px)", html)
        html = _LIGHT_QUERY.sub("(max-width: 0px)", html)
        return html, "the email's own dark-mode styles"
    return _inject_head(html, _INVERT_CSS), "simulated colour inversion (no dark styles)"


def light_variant(html: str) -> str:
    """The email as a light-mode client shows it, whatever mode the browser is in.

    The preview's own browser may be in dark mode, where the email's
    ``prefers-color-scheme: dark`` rules and its ``color-scheme: light dark`` would
    apply to the "Light" frame too; here they never match and the page's scheme
    (form controls, the canvas behind the email) is light.
    """
    html = _DARK_QUERY.sub("(max-width: 0px)", html)
    html = _LIGHT_QUERY.sub("(min-width: 0px)", html)
    return _inject_head(html, _LIGHT_ONLY_CSS)


def frame_html(html: str, *, dark: bool) -> str:
    """The email for the preview frame: links open in a new tab (the contents'
    in-page jumps stay in the frame, as in a mail app), light or dark whatever the
    browser's own preference."""
    html = dark_variant(html)[0] if dark else light_variant(html)
    html = _IN_PAGE_LINK.sub(r'\1 target="_self"', html)
    return _inject_head(html, '<base target="_blank">')


def _inject_head(html: str, snippet: str) -> str:
    match = _HEAD_OPEN.search(html)
    if match is None:
        return snippet + html
    return html[: match.end()] + snippet + html[match.end() :]


def eml_headers(eml: bytes) -> list[tuple[str, str]]:
    """The message's top-level headers, decoded, in order."""
    if not eml.strip():
        return []
    message = message_from_bytes(eml, policy=policy.default)
    return [(name, str(value)) for name, value in message.items()]


def kilobytes(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def sender_name(sender: str) -> str:
    """What an inbox shows for ``sender``: the display name, else the address."""
    from email.utils import parseaddr

    name, address = parseaddr(sender)
    return name or address


# --------------------------------------------------------------------------- the HTML source


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements between which whitespace is never rendered (block and table structure, the
# head's elements): only there may the pretty-printer break lines. Whitespace next to
# anything else (a link, a span, text) can show, so those runs stay as they are.
_BLOCK_TAGS = _names(
    "html head body title meta link style base table thead tbody tfoot tr td th caption "
    "colgroup col div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd center section article header "
    "footer main nav aside figure figcaption blockquote hr address form noscript xml pre"
)
_VOID_TAGS = _names("area base br col embed hr img input link meta source track wbr")
_RAW_TAGS = frozenset(("pre", "textarea", "script", "style", "title", "xmp", "listing"))
_INDENT = "  "


class _Tokens(HTMLParser):
    """The source cut into its tokens, each ``(kind, tag, text)``, losslessly:
    joining the texts gives back the source byte for byte."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.starts = [0]
        for line in source.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.marks: list[tuple[int, str, str]] = []

    def _mark(self, kind: str, tag: str = "") -> None:
        line, column = self.getpos()
        self.marks.append((self.starts[line - 1] + column, kind, tag))

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._mark("start", tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._mark("void", tag)

    def handle_endtag(self, tag: str) -> None:
        self._mark("end", tag)

    def handle_comment(self, data: str) -> None:
        self._mark("comment")

    def handle_decl(self, decl: str) -> None:
        self._mark("decl")

    def handle_data(self, data: str) -> None:
        self._mark("data")

    def handle_entityref(self, name: str) -> None:
        self._mark("data")

    def handle_charref(self, name: str) -> None:
        self._mark("data")

    def unknown_decl(self, data: str) -> None:
        self._mark("data")

    def handle_pi(self, data: str) -> None:
        self._mark("data")

    def tokens(self) -> list[tuple[str, str, str]]:
        self.feed(self.source)
        self.close()
        cuts = [*(offset for offset, _, _ in self.marks), len(self.source)]
        found = []
        for (start, kind, tag), end in zip(self.marks, cuts[1:], strict=True):
            if end > start:
                found.append((kind, tag, self.source[start:end]))
        if self.marks and self.marks[0][0] > 0:  # nothing is ever dropped
            found.insert(0, ("data", "", self.source[: self.marks[0][0]]))
        if not self.marks:
            found = [("data", "", self.source)]
        return found


def _breakable(kind: str, tag: str) -> bool:
    return kind in ("comment", "decl") or (kind in ("start", "end", "void") and tag in _BLOCK_TAGS)


def pretty_html(html: str) -> str:
    """``html`` indented, one block element a line: the same document, since line
    breaks go only where whitespace cannot show (between block and table tags, never
    inside text, inline elements, ``pre``, ``style`` or a comment), replacing the
    whitespace that was there."""
    out: list[str] = []
    depth = 0
    raw = 0
    previous: tuple[str, str] | None = None
    pending_space = ""
    for kind, tag, text in _Tokens(html).tokens():
        if kind == "data" and not text.strip() and raw == 0 and previous is not None:
            pending_space += text  # kept unless a line break takes its place
            continue
        if kind == "end" and tag in _BLOCK_TAGS and tag not in _VOID_TAGS:
            depth = max(depth - 1, 0)
        if raw == 0 and previous is not None and _breakable(*previous) and _breakable(kind, tag):
            out.append("\n" + _INDENT * depth)
        else:
            out.append(pending_space)
        pending_space = ""
        out.append(text)
        if kind == "start" and tag in _RAW_TAGS:
            raw += 1
        elif kind == "end" and tag in _RAW_TAGS:
            raw = max(raw - 1, 0)
        if kind == "start" and tag in _BLOCK_TAGS and tag not in _VOID_TAGS:
            depth += 1
        previous = (kind, tag)
    out.append(pending_space)
    return "".join(out).strip("\n") + "\n"


@functools.lru_cache(maxsize=16)
def highlighted_source(html: str) -> Markup:
    """``html`` pretty-printed and marked up for the source tab by Pygments' HTML
    lexer (CSS in ``<style>`` is lexed as CSS): spans with Pygments' short class
    names, styled in ``preview.css``. Cached: a page is re-rendered on every change."""
    from markupsafe import Markup
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import HtmlLexer

    return Markup(highlight(pretty_html(html), HtmlLexer(), HtmlFormatter(nowrap=True)))


# --------------------------------------------------------------------------- the start page


@dataclass(frozen=True)
class IssueRow:
    """One line of the start page's list."""

    name: str
    number: int
    date: str
    subject: str
    items: int
    html_bytes: int

    @property
    def size(self) -> str:
        return kilobytes(self.html_bytes)


def list_issues(outbox: Path) -> list[IssueRow]:
    """Every finished issue, newest first."""
    from digest.outbox import history

    rows = []
    for published in reversed(history(outbox)):
        if issue_folder(outbox, published.folder.name) is None:
            continue  # a symlink to somewhere else is not ours to describe
        html = published.folder / HTML_FILE
        rows.append(
            IssueRow(
                name=published.folder.name,
                number=published.number,
                date=published.date.isoformat(),
                subject=published.subject,
                items=len(published.item_ids),
                html_bytes=html.stat().st_size if html.is_file() else 0,
            )
        )
    return rows


@dataclass(frozen=True)
class IndexSection:
    """One newsletter on the start page: its draft and its published issues."""

    newsletter: Newsletter
    rows: list[IssueRow]
    draft_files: IssueFiles | None
    draft_findings: list[Finding]


def index_sections(newsletters: Iterable[Newsletter]) -> list[IndexSection]:
    """The start page: each newsletter's draft (checked) and published issues."""
    sections = []
    for newsletter in newsletters:
        files = newsletter.draft.files()
        sections.append(
            IndexSection(
                newsletter=newsletter,
                rows=list_issues(newsletter.outbox),
                draft_files=files,
                draft_findings=run_checks(files, newsletter.settings) if files else [],
            )
        )
    return sections


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class ErrorExcerpt:
    file: str
    line: int
    lines: list[tuple[int, str]]


def error_excerpt(message: str, roots: Iterable[Path]) -> ErrorExcerpt | None:
    """The file and line an error names, with the lines around it when that file
    is one of ours to show (inside one of ``roots``: templates, config)."""
    text = message.split(": ", 1)[-1] if message.startswith(("template error", "config")) else ""
    match = _ERROR_WHERE.match(text or message)
    if match is None:
        return None
    path, line = Path(match.group("file")), int(match.group("line"))
    shown: list[tuple[int, str]] = []
    if any(inside(path, root) for root in roots) and path.is_file():
        try:
            source = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            source = []
        start = max(line - 4, 1)
        shown = [(n, source[n - 1]) for n in range(start, min(line + 3, len(source)) + 1)]
    return ErrorExcerpt(str(path), line, shown)


# --------------------------------------------------------------------------- an issue page


@dataclass(frozen=True)
class IssueView:
    """Everything an issue page shows."""

    name: str
    title: str
    is_draft: bool
    subject: str
    sender: str
    preheader: str
    date: str
    item_count: int
    html_bytes: int
    findings: list[Finding]
    problems: list[Problem]
    text_lines: list[str]
    html_source: str
    headers: list[tuple[str, str]]
    eml_text: str
    frame_version: str
    url: str
    """Where the page lives (``/issues/<name>`` or ``/newsletters/<key>/issues/<name>``)."""
    reprint: bool = False
    newsletter: str | None = None
    """The newsletter's name, when several are shown."""

    @property
    def size(self) -> str:
        return kilobytes(self.html_bytes)

    @property
    def source_markup(self) -> Markup:
        """The source tab: the HTML pretty-printed and highlighted."""
        return highlighted_source(self.html_source)

    @property
    def check_command(self) -> str:
        import shlex

        command = "digest check " + ("--draft" if self.is_draft else self.name)
        if self.newsletter:
            command += f" --newsletter {shlex.quote(self.newsletter)}"
        return command

    @property
    def size_percent(self) -> float:
        return min(100.0, 100.0 * self.html_bytes / GMAIL_CLIP_BYTES)

    @property
    def size_level(self) -> str:
        if self.html_bytes > GMAIL_CLIP_BYTES:
            return "error"
        return "warning" if self.html_bytes > SIZE_WARNING_BYTES else "ok"

    @property
    def warn_percent(self) -> float:
        return 100.0 * SIZE_WARNING_BYTES / GMAIL_CLIP_BYTES

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def issue_view(
    name: str,
    files: IssueFiles,
    settings: Settings,
    *,
    is_draft: bool,
    url: str,
    problems: list[Problem] | None = None,
    reprint: bool = False,
    newsletter: str | None = None,
) -> IssueView:
    headers = eml_headers(files.eml)
    header = {k.lower(): v for k, v in headers}
    number = files.meta.get("number", "?")
    return IssueView(
        name=name,
        title=f"Draft of issue #{number}" if is_draft else f"Issue #{number}",
        is_draft=is_draft,
        subject=header.get("subject") or str(files.meta.get("subject", "")),
        sender=header.get("from") or settings.sender,
        preheader=preheader_of(files.html),
        date=str(files.meta.get("date", "")),
        item_count=len(files.items),
        html_bytes=files.html_bytes,
        findings=run_checks(files, settings),
        problems=problems or [],
        text_lines=files.text.splitlines(),
        html_source=files.html,
        headers=headers,
        eml_text=files.eml.decode("utf-8", errors="replace"),
        # In the frame's URL: a changed email is a new URL, never a stale cached frame.
        frame_version=hashlib.sha256(files.html.encode("utf-8")).hexdigest()[:12],
        url=url,
        reprint=reprint,
        newsletter=newsletter,
    )


# --------------------------------------------------------------------------- templates


def page_environment() -> Environment:
    """The preview's own pages: the issue templates' Jinja setup, with the page
    helpers and limits as globals."""
    from digest.render import template_environment

    env = template_environment(ASSETS)
    env.globals.update(
        widths=WIDTHS,
        text_width=TEXT_WIDTH,
        clip_kb=GMAIL_CLIP_BYTES // 1024,
        kilobytes=kilobytes,
        sender_name=sender_name,
    )
    return env
