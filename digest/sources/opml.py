"""OPML reading lists: the subscription lists every feed reader exports.

``reading_list(data)`` is a pure function of the file's bytes: each outline with a
feed URL (``xmlUrl``) becomes a ``ListedFeed``, named by its ``text`` (or ``title``),
its category the outlines it sits in ("Tech / Programming"). ``read`` turns those
into sources to read; this module only parses.

listparser does the reading: it is the maintained parser for OPML as real feed
readers write it (``text`` or ``title``, any letter case in attribute names,
categories both nested and in a ``category`` attribute). It parses with lxml's
forgiving HTML parser, which copes with the broken lists that are common; so the
bytes are first checked with defusedxml, which refuses entity declarations
(billion laughs, external entities) outright and says where XML is not well formed.
A list that is not well formed but still names feeds is read, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from digest.models import Problem
from digest.sources.base import (
    RawSource,
    declared_xml_encoding,
    decode,
    one_line,
    strip_xml_declaration,
    tidy_title,
)

FILE_EXTENSIONS = ("opml",)
_UNREADABLE = "not a readable OPML reading list"


@dataclass(frozen=True)
class ListedFeed:
    """One feed of a reading list."""

    url: str
    title: str | None = None
    """The outline's ``text`` (or ``title``): the name the reader gave the feed."""
    category: str | None = None
    """The outlines it is nested in, outermost first, joined with " / "."""


@dataclass(frozen=True)
class ReadingList:
    """What a reading list holds: its feeds, in order, each once, and what was wrong."""

    feeds: list[ListedFeed]
    problems: list[Problem]


def is_reading_list(spec: str) -> bool:
    """Whether a source names an OPML file or URL by its extension (``.opml``)."""
    try:
        path = urlsplit(spec).path if "://" in spec else spec
    except ValueError:
        return False
    return path.lower().endswith(tuple(f".{ext}" for ext in FILE_EXTENSIONS))


def reading_list(raw: RawSource) -> ReadingList:
    """The feeds of the OPML document in ``raw``; never raises on its content.

    Only http(s) feed URLs are kept (a list must not name a local file to read);
    an outline without a feed URL (a folder, a web page's ``htmlUrl``) names none.
    """
    import listparser

    problems: list[Problem] = []
    decoded = decode(raw, declared_xml_encoding(raw.data), presumed_utf8=False)
    if decoded.problem:
        problems.append(decoded.problem)
    data = strip_xml_declaration(decoded.text).encode("utf-8")
    broken = _not_well_formed(data)
    if broken is not None and broken[1]:
        return ReadingList([], [*problems, Problem(raw.source, f"{_UNREADABLE}: {broken[0]}")])
    # Bytes, never a str: listparser fetches a str that looks like a URL.
    parsed = listparser.parse(data)
    if not parsed.get("version", "").startswith("opml"):
        reason = broken[0] if broken else "no <opml> element"
        return ReadingList([], [*problems, Problem(raw.source, f"{_UNREADABLE}: {reason}")])

    feeds: list[ListedFeed] = []
    seen: set[str] = set()
    skipped = []
    for feed in parsed.feeds:
        url = str(feed.get("url") or "").strip()
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            skipped.append(url)
            continue
        if url in seen:
            continue
        seen.add(url)
        categories = feed.get("categories") or []
        category = " / ".join(categories[0]) if categories and categories[0] else None
        feeds.append(ListedFeed(url, tidy_title(feed.get("title")), tidy_title(category)))
    if broken is not None and not feeds:
        return ReadingList([], [*problems, Problem(raw.source, f"{_UNREADABLE}: {broken[0]}")])
    if broken is not None:
        problems.append(Problem(raw.source, f"{broken[0]}; read what could be read", "warning"))
    if skipped:
        shown = one_line(", ".join(repr(url) for url in skipped[:3]))[:120]
        outlines = "1 outline" if len(skipped) == 1 else f"{len(skipped)} outlines"
        message = f"{outlines} skipped: not an http(s) feed URL ({shown})"
        problems.append(Problem(raw.source, message, "warning"))
    if not feeds and not skipped:
        problems.append(Problem(raw.source, "reading list names no feeds", "warning"))
    return ReadingList(feeds, problems)


def _not_well_formed(data: bytes) -> tuple[str, bool] | None:
    """Why ``data`` is not a safe, well-formed XML document, and whether that is fatal
    (entity declarations are); ``None`` when it is fine."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data)
    except DefusedXmlException:
        return "it declares entities (refused: they could expand or read files)", True
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":", 1)[0]
        return f"not well-formed XML ({reason}, line {line} column {column + 1})", False
    return None
