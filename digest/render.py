"""The render stage: one ``Issue`` in, its HTML, plain-text and ``.eml`` forms out.

This module owns everything about how an issue *looks* and how it is packaged as
a message: the view data handed to the templates (``issue.mjml.j2`` and
``issue.txt.j2`` in ``settings.templates_dir``), the Jinja2 → MJML → HTML
pipeline, the tidying of the plain text (78-column lines, numbered links) and the
MIME message with its list headers. Templates decide layout; the rules that must
hold whatever a template does (only https links, clean one-line headers,
``role="presentation"`` on layout tables, wrapped text) are enforced here.

Line ends: the ``html`` and ``text`` strings use ``"\\n"``. In the ``.eml`` the
same bodies travel with CRLF line ends, as RFC 5322 requires, so a part decoded
from the message equals the string once ``"\\r\\n"`` is read as ``"\\n"``.

jinja2 and mjml are imported on first use: importing this module stays cheap for
``digest --help``.
"""

from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from digest.config import Settings
from digest.issue import is_printable, one_line
from digest.models import DigestItem, Issue, RenderedIssue

if TYPE_CHECKING:
    from email.message import EmailMessage

    from jinja2 import Environment

HTML_TEMPLATE = "issue.mjml.j2"
TEXT_TEMPLATE = "issue.txt.j2"
TEXT_WIDTH = 78
PREHEADER_MIN, PREHEADER_MAX = 40, 140

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_TABLE_WITHOUT_ROLE = re.compile(r"<table(?![^>]*\brole=)", re.IGNORECASE)


class TemplateProblem(Exception):
    """A template that cannot be rendered; ``str()`` is one line naming file and line."""


@dataclass(frozen=True)
class Palette:
    """Every colour the bundled templates use, chosen so each text colour reaches
    WCAG AA (4.5:1) on the background it sits on; the tests check those pairs."""

    brand: str
    """Header band and links on the card; validated ≥ 4.5:1 against white."""
    on_brand: str = "#ffffff"
    page: str = "#eef0f3"
    card: str = "#ffffff"
    ink: str = "#111827"
    muted: str = "#4b5563"
    rule: str = "#e5e7eb"
    """Hairlines only, never text."""

    def text_pairs(self) -> list[tuple[str, str]]:
        """(text colour, background) for every combination the templates use."""
        return [
            (self.on_brand, self.brand),
            (self.ink, self.card),
            (self.muted, self.card),
            (self.brand, self.card),
            (self.ink, self.page),
            (self.muted, self.page),
        ]


DARK = Palette(
    brand="#93c5fd",
    page="#0f172a",
    card="#1e293b",
    ink="#f1f5f9",
    muted="#cbd5e1",
    rule="#334155",
)
"""Colours for mail apps in dark mode. ``brand`` here is the link colour on dark
cards; the header band keeps the light palette's brand and ``on_brand``."""


@dataclass(frozen=True)
class ItemView:
    """One item as the templates see it: every value already display-ready."""

    number: int
    title: str
    link_text: str
    """The accessible name of the title link: the title, made distinct if repeated."""
    url: str | None
    """An https URL, or ``None`` (no URL, or one that must not be emitted as a link)."""
    ref: int | None
    """The link's number in the plain text's "Links:" list."""
    lead: str
    headings: list[str]
    reading: str
    """Like "4 min read"."""
    source_label: str
    """Where it is from: the URL's domain or the source file's name."""
    published: str | None
    """Like "24 Nov 2026"; ``None`` when unknown."""

    @property
    def meta(self) -> list[str]:
        return [part for part in (self.reading, self.source_label, self.published) if part]


@dataclass(frozen=True)
class IssueView:
    """The whole issue as the templates see it."""

    newsletter: str
    number: int
    date: str
    """Like "Wednesday 25 November 2026"."""
    subject: str
    preheader: str
    items: list[ItemView]
    total_reading: str
    """Like "12 articles · 48 min of reading"."""
    unsubscribe_url: str | None
    postal_address: str
    links: list[tuple[int, str]]
    """(number, URL) of every link in the item list, for the plain text's "Links:"."""
    colours: Palette
    web_url: str | None = None
    """This issue's page in the published archive ("View in browser"), or ``None``."""
    archive_link: str | None = None
    """Set only on the archive's own copy of an issue: the link back to the archive's
    index, shown in place of the unsubscribe link (``unsubscribe_url`` is ``None``)."""


# --------------------------------------------------------------------------- public API


def render_issue(issue: Issue, settings: Settings) -> RenderedIssue:
    """The issue as HTML, plain text and a ready-to-send ``.eml``."""
    view = build_view(issue, settings)
    html = _render_html_view(view, settings)
    text = _render_text_view(view, settings)
    return RenderedIssue(html=html, text=text, eml=build_eml(issue, settings, html, text))


def render_web_page(issue: Issue, settings: Settings, *, index_link: str) -> str:
    """The issue's HTML as the public archive shows it: the same templates, but with no
    unsubscribe link (whatever the template does with it, it gets ``None``), no "View in
    browser" link, and ``index_link`` back to the archive's index in the footer."""
    view = replace(
        build_view(issue, settings), unsubscribe_url=None, web_url=None, archive_link=index_link
    )
    return _render_html_view(view, settings)


def web_url(settings: Settings, folder_name: str) -> str | None:
    """The URL of an issue's page in the published archive; ``None`` without
    ``archive_url``. The page is named after the issue's folder."""
    return f"{settings.archive_url}/{folder_name}.html" if settings.archive_url else None


def build_eml(issue: Issue, settings: Settings, html: str, text: str) -> bytes:
    """A multipart/alternative message (text first, HTML last), CRLF line ends.

    Both parts are UTF-8 quoted-printable, so no line on the wire exceeds 76
    octets. The output is deterministic: the same issue gives the same bytes.
    """
    import binascii
    import hashlib
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    policy = SMTP.clone(max_line_length=TEXT_WIDTH)
    parts = []
    for subtype, body in (("plain", text), ("html", html)):
        part = EmailMessage(policy=policy)
        part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
        part["Content-Transfer-Encoding"] = "quoted-printable"
        # binascii's C encoder: the pure-Python one in email takes ~10 ms per issue.
        encoded = binascii.b2a_qp(_canonical_lines(body).encode("utf-8"), istext=True)
        part.set_payload(encoded.decode("ascii"))
        parts.append(part)

    msg = EmailMessage(policy=policy)
    msg["From"] = one_line(settings.sender)
    msg["To"] = one_line(settings.to)
    _set_subject(msg, one_line(issue.subject))
    msg["Date"] = format_datetime(_aware(issue.created_at, settings))
    msg["Message-ID"] = message_id(issue, settings)
    msg["MIME-Version"] = "1.0"
    msg["List-Id"] = f"{_phrase(settings.name)} {settings.list_id}".strip()
    if settings.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{settings.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if settings.archive_url:
        msg["List-Archive"] = f"<{settings.archive_url}/index.html>"
    # A quoted-printable body can never contain "=_", so this boundary cannot clash;
    # deriving it from the content keeps re-renders byte-identical.
    fingerprint = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    msg["Content-Type"] = f'multipart/alternative; boundary="=_digest_{fingerprint}"'
    msg.set_payload(parts)
    return msg.as_bytes()


def _set_subject(msg: EmailMessage, subject: str) -> None:
    """Set Subject, folding a long ASCII subject between words ourselves.

    CPython's folder moves an ASCII value that fits on a continuation line there
    whole, leaving ``Subject:`` empty; parsers then read it back with a leading space.
    Non-ASCII subjects become encoded words and fold correctly, so they keep the
    standard path.
    """
    width = TEXT_WIDTH - len("Subject: ")
    if not subject.isascii() or len(subject) <= width:
        msg["Subject"] = subject
        return
    lines = textwrap.wrap(subject, width=width, break_long_words=False, break_on_hyphens=False)
    msg.set_raw("Subject", "\n ".join(lines))


# --------------------------------------------------------------------------- view data


def build_view(issue: Issue, settings: Settings) -> IssueView:
    """Everything the templates receive, cleaned, formatted and link-checked."""
    items: list[ItemView] = []
    links: list[tuple[int, str]] = []
    seen_names: set[str] = set()
    for number, item in enumerate(issue.items, start=1):
        url = safe_url(item.url)
        title = one_line(item.title) or "Untitled"
        label = source_label(item)
        link_text = title
        if url is not None:
            if link_text.casefold() in seen_names:
                link_text = f"{title} ({label}, item {number})"
            seen_names.add(link_text.casefold())
            links.append((len(links) + 1, url))
        items.append(
            ItemView(
                number=number,
                title=title,
                link_text=link_text,
                url=url,
                ref=len(links) if url is not None else None,
                lead=one_line(item.lead),
                headings=[h for h in (one_line(h) for h in item.headings) if h],
                reading=f"{max(item.reading_minutes, 1)} min read",
                source_label=label,
                published=_short_date(item.published, settings) if item.published else None,
            )
        )
    subject = one_line(issue.subject)
    minutes = sum(max(i.reading_minutes, 1) for i in issue.items)
    count = len(items)
    return IssueView(
        newsletter=one_line(issue.newsletter),
        number=issue.number,
        date=long_date(issue.date),
        subject=subject,
        preheader=preheader([i.title for i in items], subject, one_line(issue.newsletter)),
        items=items,
        total_reading=f"{count} article{'s' if count != 1 else ''} · {minutes} min of reading",
        unsubscribe_url=settings.unsubscribe_url,
        postal_address=one_line(settings.postal_address),
        links=links,
        colours=Palette(brand=settings.brand_colour),
        web_url=web_url(settings, issue.folder_name),
    )


def safe_url(url: str | None) -> str | None:
    """``url`` if it is a well-formed https URL, else ``None`` (never linked)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    if parts.scheme.lower() != "https" or not host:
        return None
    if not all(map(is_printable, url)):
        return None
    return url


def source_label(item: DigestItem) -> str:
    """The URL's host without ``www.``; else the source's host or file name."""
    for candidate in (item.url, item.source):
        if candidate and "://" in candidate:
            try:
                host = urlsplit(candidate).hostname
            except ValueError:
                continue
            if host:
                return host.removeprefix("www.")
    return Path(item.source).name or one_line(item.source)


def long_date(day: date) -> str:
    """The date as "Wednesday 25 November 2026", whatever the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def preheader(titles: list[str], subject: str, newsletter: str) -> str:
    """The inbox preview line: the first items' titles, 40–140 characters, never
    the subject (clients already show that right beside it)."""
    shown = 0
    text = ""
    for title in titles:
        candidate = f"{text} · {title}" if text else title
        if len(candidate) > PREHEADER_MAX:
            break
        text, shown = candidate, shown + 1
    if titles and not shown:
        text, shown = _clip(titles[0], PREHEADER_MAX), 1
    if 0 < shown < len(titles) and len(more := f"{text} · and {len(titles) - shown} more") <= (
        PREHEADER_MAX
    ):
        text = more
    if not text:
        text = f"The latest from {newsletter}, summarised for you."
    elif len(text) < PREHEADER_MIN:
        text = f"In this issue: {text} — the latest from {newsletter}, summarised."
    if text == subject:
        text = f"In this issue: {text}"
    return _clip(text, PREHEADER_MAX)


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, on a word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ·—,") + "…"


def message_id(issue: Issue, settings: Settings) -> str:
    """Stable per issue, unique per newsletter: re-rendering keeps the same id."""
    return f"<{settings.slug}.{issue.number:04d}.{issue.date:%Y%m%d}@{settings.sender_domain}>"


def _short_date(moment: datetime, settings: Settings) -> str:
    local = moment.astimezone(settings.zone) if moment.tzinfo else moment
    return f"{local.day} {_MONTHS[local.month - 1][:3]} {local.year}"


def _aware(moment: datetime, settings: Settings) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.zone)


def _phrase(name: str) -> str:
    """The newsletter name as an RFC 5322 phrase for List-Id (specials dropped,
    since a quoted string could not carry the encoded words non-ASCII needs)."""
    return " ".join(re.sub(r"[()<>\[\]:;@\\,.\"]", " ", one_line(name)).split())


def _canonical_lines(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- templates


def _autoescape(name: str | None) -> bool:
    # select_autoescape() only looks at the last suffix, so "issue.mjml.j2" would
    # not be escaped; decide on the whole name instead.
    return bool(name) and name.endswith((".mjml.j2", ".html.j2", ".mjml", ".html"))


def template_environment(folder: Path, **options: Any) -> Environment:
    """The Jinja setup every digest template shares, the issue's and the preview's
    own pages alike: HTML escaped by the whole file name, a missing variable an error
    (never a silent blank), block tags without stray lines. ``options``: the rest."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


@functools.lru_cache(maxsize=16)
def environment(folder: Path) -> Environment:
    """One Jinja environment per templates folder; ``auto_reload`` picks up edited
    templates (the preview server relies on it)."""
    env = template_environment(folder, auto_reload=True, keep_trailing_newline=True)
    env.filters["wrap"] = wrap
    return env


def _render_template(name: str, view: IssueView, settings: Settings) -> str:
    folder = Path(settings.templates_dir).resolve()
    return render_template(
        folder, name, issue=view, items=view.items, colours=view.colours, dark=DARK
    )


def render_template(folder: Path, name: str, **context: object) -> str:
    """Template ``name`` of ``folder`` rendered with ``context``, with the escaping and
    filters every digest template gets; a failure is a one-line ``TemplateProblem``."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    path = folder / name
    try:
        return environment(folder).get_template(name).render(**context)
    except TemplateNotFound:
        raise TemplateProblem(f"{path}: template not found") from None
    except TemplateSyntaxError as exc:
        where = exc.filename or str(path)
        raise TemplateProblem(
            f"{where}, line {exc.lineno}: {one_line(exc.message or '')}"
        ) from exc
    except TemplateError as exc:
        where = _template_frame(exc, folder) or str(path)
        raise TemplateProblem(f"{where}: {one_line(str(exc))}") from exc


def _template_frame(exc: BaseException, folder: Path) -> str | None:
    """The innermost template frame as "FILE, line N" (a partial, if the error is
    in one). Jinja rewrites tracebacks so template frames carry template lines."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(folder)) and filename.endswith(".j2"):
            found = f"{filename}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _render_html_view(view: IssueView, settings: Settings) -> str:
    from mjml import mjml2html

    source = _render_template(HTML_TEMPLATE, view, settings)
    try:
        # fonts={}: no web-font <link> to Google for the fallback names in the stack.
        html = mjml2html(source, disable_comments=True, fonts={})
    except ValueError as exc:
        path = Path(settings.templates_dir) / HTML_TEMPLATE
        raise TemplateProblem(f"{path}: invalid MJML: {one_line(str(exc))}") from exc
    return _finish_html(html)


_DARK_MEDIA = re.compile(r"prefers-color-scheme\s*:\s*dark", re.IGNORECASE)
_COLOR_SCHEME_META = (
    '<meta name="color-scheme" content="light dark">'
    '<meta name="supported-color-schemes" content="light dark">'
)


def _finish_html(html: str) -> str:
    """Guarantees that hold whatever the template: every table is a layout table
    for screen readers, a template that styles dark mode declares it (mrml drops
    ``<meta>`` from ``mj-raw`` in the head), and the body ends with exactly one "\\n"."""
    html = _TABLE_WITHOUT_ROLE.sub('<table role="presentation"', html)
    if _DARK_MEDIA.search(html) and 'name="color-scheme"' not in html:
        html = html.replace("<head>", "<head>" + _COLOR_SCHEME_META, 1)
    return _canonical_lines(html).rstrip() + "\n"


def _render_text_view(view: IssueView, settings: Settings) -> str:
    return tidy_text(_render_template(TEXT_TEMPLATE, view, settings))


def wrap(text: str, indent: int | str = "", first: str | None = None) -> str:
    """Jinja filter: ``text`` wrapped to 78 columns with a hanging indent.

    ``first`` replaces the indent on the first line (for "1. " style prefixes).
    Words are never broken, so a long URL stays whole on a line of its own.
    """
    pad = " " * indent if isinstance(indent, int) else indent
    wrapper = textwrap.TextWrapper(
        width=TEXT_WIDTH,
        initial_indent=pad if first is None else first,
        subsequent_indent=pad,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(wrapper.wrap(text)) or (first or pad).rstrip()


def tidy_text(text: str) -> str:
    """Plain text safe to send whatever the template did: lines of at most 78
    columns (except a lone unbreakable word, i.e. a URL), no trailing spaces, at
    most one blank line in a row, exactly one final newline."""
    out: list[str] = []
    for line in _canonical_lines(text).split("\n"):
        line = line.rstrip()
        if len(line) > TEXT_WIDTH:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(wrap(line.strip(), indent).split("\n"))
        elif line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"
