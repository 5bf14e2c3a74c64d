"""What the templates receive: the issue as display-ready view data.

``build_view`` turns an ``Issue`` and its ``Settings`` into an ``IssueView`` of
``ItemView``s, also grouped into ``SectionView``s: titles and leads on one line in
one quote style (``curl_quotes``: straight quotes made curly), only
https links (``safe_url``), each item's ``source_label``, dates written out
(``long_date``), the inbox ``preheader``, the numbered links of the plain text, the
colours (``Palette``, ``DARK``), the issue's page in the archive (``web_url``),
and the language: its fixed words through the gettext catalogue, its dates, its
``lang`` and text direction (``digest.render.i18n``).
Pure: nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from digest.config import Settings
from digest.issue import is_printable, one_line
from digest.models import DigestItem, Issue
from digest.render import i18n
from digest.render.quotes import curl_quotes

if TYPE_CHECKING:
    from gettext import NullTranslations

PREHEADER_MIN, PREHEADER_MAX = 40, 140


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
    """The accessible name of the title link and, after "Go to: ", of the contents
    link: the title, made distinct if repeated."""
    url: str | None
    """An https URL, or ``None`` (no URL, or one that must not be emitted as a link)."""
    ref: int | None
    """The link's number in the plain text's "Links:" list."""
    lead: str
    headings: list[str]
    reading: str
    """Like "4 min read"."""
    source_label: str
    """Where it is from: the site's name or the URL's domain; "" when unknown (never a
    file name)."""
    published: str | None
    """Like "24 Nov 2026"; ``None`` when unknown."""
    comments_url: str | None = None
    """The https page where the item is discussed, if its feed names one."""
    comments_ref: int | None = None
    """That link's number in the plain text's "Links:" list."""

    @property
    def meta(self) -> list[str]:
        return [part for part in (self.reading, self.source_label, self.published) if part]


@dataclass(frozen=True)
class SectionView:
    """A run of items under one heading: a configured section, in the configured
    order, or (``title`` ``None``) the items without a section, which come first."""

    title: str | None
    items: list[ItemView]


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
    not_updated: list[str] = field(default_factory=list)
    """The sources failing for ``source_failure_runs`` runs or more, each like
    "World Wire (failing since 24 Nov 2026)"; usually none."""
    sections: list[SectionView] = field(default_factory=list)
    """``items`` in their sections, in order; without sections, one untitled section
    holding every item."""
    lang: str = i18n.SOURCE_LANGUAGE
    """The newsletter's language, a BCP 47 tag (the HTML's ``lang``)."""
    dir: str = "ltr"
    """"rtl" for a right-to-left language (Arabic, Hebrew…), else "ltr"."""

    @property
    def start(self) -> str:
        """The side lines start on: "left", or "right" right-to-left (for CSS
        properties that have no logical form in mail clients: ``padding-left``…)."""
        return "right" if self.dir == "rtl" else "left"

    @property
    def end(self) -> str:
        """The side lines end on: "right", or "left" right-to-left."""
        return "left" if self.dir == "rtl" else "right"

    @property
    def sectioned(self) -> bool:
        """Whether any section has a heading (then item titles sit a level below)."""
        return any(section.title for section in self.sections)


def build_view(issue: Issue, settings: Settings) -> IssueView:
    """Everything the templates receive, cleaned, formatted and link-checked, its
    words and dates in the newsletter's ``language``."""
    language = settings.language
    words = i18n.translations(language)
    items: list[ItemView] = []
    sections: list[SectionView] = []
    links: list[tuple[int, str]] = []
    seen_names: set[str] = set()
    for number, item in enumerate(issue.items, start=1):
        url = safe_url(item.url)
        title = curl_quotes(one_line(item.title)) or words.gettext("Untitled")
        label = source_label(item)
        # Distinct over every item, linked or not: the contents links ("Go to: …")
        # name each item, and two same-named links to different places confuse.
        link_text = title
        if link_text.casefold() in seen_names:
            # One message with the site in it, not a joined pair: the comma between
            # them is the language's own ("،" in Arabic).
            if label:
                where = words.gettext("%(site)s, item %(num)s") % {"site": label, "num": number}
            else:
                where = words.gettext("item %(num)s") % {"num": number}
            link_text = f"{title} ({where})"
        seen_names.add(link_text.casefold())
        if url is not None:
            links.append((len(links) + 1, url))
        ref = len(links) if url is not None else None
        comments = safe_url(item.comments_url)
        if comments is not None:
            links.append((len(links) + 1, comments))
        view = ItemView(
            number=number,
            title=title,
            link_text=link_text,
            url=url,
            ref=ref,
            lead=curl_quotes(one_line(item.lead)),
            headings=[curl_quotes(h) for h in (one_line(h) for h in item.headings) if h],
            reading=reading_time(max(item.reading_minutes, 1), words),
            source_label=label,
            published=_short_date(item.published, settings) if item.published else None,
            comments_url=comments,
            comments_ref=len(links) if comments is not None else None,
        )
        items.append(view)
        # Items come grouped (``issue.assemble``): a new section starts a new group.
        section = one_line(item.section or "") or None
        if not sections or sections[-1].title != section:
            sections.append(SectionView(section, []))
        sections[-1].items.append(view)
    subject = curl_quotes(one_line(issue.subject))
    minutes = sum(max(i.reading_minutes, 1) for i in issue.items)
    count = len(items)
    return IssueView(
        newsletter=one_line(issue.newsletter),
        number=issue.number,
        date=long_date(issue.date, language),
        subject=subject,
        preheader=preheader([i.title for i in items], subject, one_line(issue.newsletter), words),
        items=items,
        total_reading=total_reading(count, minutes, words),
        unsubscribe_url=settings.unsubscribe_url,
        postal_address=one_line(settings.postal_address),
        links=links,
        colours=Palette(**settings.resolved_theme.style.colours),
        web_url=web_url(settings, issue.folder_name),
        not_updated=[
            words.gettext("%(name)s (failing since %(date)s)")
            % {"name": one_line(stale.name), "date": _short_date(stale.since, settings)}
            for stale in issue.stale_sources
        ],
        sections=sections,
        lang=language,
        dir=i18n.text_direction(language),
    )


def reading_time(minutes: int, words: NullTranslations | None = None) -> str:
    """ "4 min read", in the catalogue's language."""
    words = words or i18n.translations(i18n.SOURCE_LANGUAGE)
    return words.ngettext("%(num)s min read", "%(num)s min read", minutes) % {"num": minutes}


def total_reading(count: int, minutes: int, words: NullTranslations | None = None) -> str:
    """ "12 articles · 48 min of reading", in the catalogue's language."""
    words = words or i18n.translations(i18n.SOURCE_LANGUAGE)
    articles = words.ngettext("%(num)s article", "%(num)s articles", count) % {"num": count}
    reading = words.ngettext("%(num)s min of reading", "%(num)s min of reading", minutes) % {
        "num": minutes
    }
    return f"{articles} · {reading}"


SHORT_LEAD_WORDS = 5
"""A lead of fewer words than this says almost nothing ("Read the full story."): the
log and ``digest check`` point it out."""


def item_notes(url: str | None, lead: str, kind: str = "article") -> list[str]:
    """What readers will not get of an item, one note each: a link the templates will
    not show (only https links are), a lead of only a few words. Pure, and shared by
    the pipeline's log and ``digest check``, so both say the same."""
    notes = []
    if url and url.strip() and safe_url(url) is None:
        scheme = urlsplit(url.strip()).scheme.lower() if "://" in url else ""
        why = "not https" if scheme == "http" else "not a well-formed https URL"
        notes.append(f"link {one_line(url)} is not shown ({why})")
    words = len(lead.split())
    if kind != "link" and 0 < words < SHORT_LEAD_WORDS:
        notes.append(f"lead is only {words} word{'s' if words != 1 else ''}: {one_line(lead)!r}")
    return notes


def web_url(settings: Settings, folder_name: str) -> str | None:
    """The URL of an issue's page in the published archive; ``None`` without
    ``archive_url``. The page is named after the issue's folder."""
    return f"{settings.archive_url}/{folder_name}.html" if settings.archive_url else None


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
    """Where the item is from, as a reader would name it: the publication's own name
    (``site``: a page's ``og:site_name`` or canonical host), else the URL's host
    without ``www.``, else the source's host; "" for a local file without a URL,
    whose name ("006_rural_broadband.txt") means nothing to a reader."""
    if item.site and (site := one_line(item.site)):
        return site
    for candidate in (item.url, item.source):
        if candidate and "://" in candidate:
            try:
                host = urlsplit(candidate).hostname
            except ValueError:
                continue
            if host:
                return host.removeprefix("www.")
    return ""


def long_date(day: date, language: str = i18n.SOURCE_LANGUAGE) -> str:
    """The date written out in ``language``: "Wednesday 25 November 2026" in English,
    "Mittwoch, 25. November 2026" in German, whatever the process locale."""
    return i18n.long_date(day, language)


def preheader(
    titles: list[str], subject: str, newsletter: str, words: NullTranslations | None = None
) -> str:
    """The inbox preview line: the first items' titles, 40–140 characters, never
    the subject (clients already show that right beside it); its own words in the
    catalogue ``words``' language (English without one)."""
    words = words or i18n.translations(i18n.SOURCE_LANGUAGE)
    shown = 0
    text = ""
    for title in titles:
        candidate = f"{text} · {title}" if text else title
        if len(candidate) > PREHEADER_MAX:
            break
        text, shown = candidate, shown + 1
    if titles and not shown:
        text, shown = _clip(titles[0], PREHEADER_MAX), 1
    left = len(titles) - shown
    and_more = words.ngettext("and %(num)s more", "and %(num)s more", left) % {"num": left}
    if 0 < shown < len(titles) and len(more := f"{text} · {and_more}") <= PREHEADER_MAX:
        text = more
    if not text:
        text = words.gettext("The latest from %(newsletter)s, summarised for you.") % {
            "newsletter": newsletter
        }
    elif len(text) < PREHEADER_MIN:
        text = words.gettext(
            "In this issue: %(titles)s — the latest from %(newsletter)s, summarised."
        ) % {"titles": text, "newsletter": newsletter}
    if text == subject:
        text = words.gettext("In this issue: %(titles)s") % {"titles": text}
    return _clip(text, PREHEADER_MAX)


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, on a word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ·—,") + "…"


def _short_date(moment: datetime, settings: Settings) -> str:
    local = moment.astimezone(settings.zone) if moment.tzinfo else moment
    return i18n.short_date(local.date(), settings.language)
