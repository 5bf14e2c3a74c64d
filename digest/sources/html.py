"""The HTML page reader: the main text of an article page, without the clutter.

trafilatura finds the article in a page (dropping navigation, sidebars, footers and
cookie banners) and its metadata: title, date, canonical URL and site name
(``og:site_name``, which the byline shows). It is imported inside ``read`` because
it pulls in lxml and friends, which the CLI must not pay for at start-up. When
trafilatura finds nothing, the page's ``<title>`` and ``<p>`` texts are used instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from digest.models import Article, Block, BlockKind, Problem, SourceReport
from digest.sources.base import (
    Decoded,
    RawSource,
    decode,
    make_blocks,
    one_line,
    parse_datetime,
    strip_xml_declaration,
    tidy_title,
)
from digest.sources.htmltext import parse_html

if TYPE_CHECKING:
    from lxml.etree import _Element

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# trafilatura's XML vocabulary: elements that may hold blocks of their own, and
# elements whose text is not reading text.
_CONTAINERS = frozenset({"list", "table", "quote", "div", "main", "body"})
_BLOCKISH = _CONTAINERS | {"head", "p", "item", "row"}
_DROPPED = frozenset({"code", "graphic", "figure"})
# By default trafilatura gives the day only; ask for the time and offset too, and for
# the original publication date rather than the last modification.
_DATE_PARAMS = {"original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


class HtmlReader:
    """An article page, from a file or a URL."""

    name: ClassVar[str] = "html"
    file_extensions: ClassVar[tuple[str, ...]] = ("html", "htm", "xhtml")
    media_types: ClassVar[tuple[str, ...]] = ("text/html", "application/xhtml+xml")

    def read(self, raw: RawSource) -> SourceReport:
        decoded = decode_page(raw)
        notes = [decoded.problem] if decoded.problem else []
        article = _extract(raw, decoded.text) or _fallback(raw, decoded.text)
        if article is None:
            return SourceReport([], [*notes, Problem(raw.source, "no article text found")])
        return SourceReport([article], notes)


def decode_page(raw: RawSource) -> Decoded:
    """The page as text: its BOM, HTTP charset or ``<meta charset>``, else detected.

    Decoded here rather than by trafilatura, which knows neither the HTTP header nor
    the page's own declaration. An XML declaration goes: lxml refuses text that
    still claims an encoding.
    """
    match = _META_CHARSET.search(raw.data[:4096])
    declared = match.group(1).decode("ascii") if match else None
    decoded = decode(raw, declared, presumed_utf8=False)
    return replace(decoded, text=strip_xml_declaration(decoded.text))


def _extract(raw: RawSource, page: str) -> Article | None:
    """The article as trafilatura sees it, or ``None`` if it found no text."""
    import trafilatura

    document = trafilatura.bare_extraction(
        page,
        url=raw.url,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None or document.body is None:
        return None
    title = tidy_title(document.title)
    blocks = _drop_repeated_title(make_blocks(_walk(document.body)), title)
    if not blocks:
        return None
    return Article(
        source=raw.source,
        blocks=blocks,
        title=title,
        url=raw.url or document.url or None,
        published=_published(document.date),
        site=site_name(document.sitename, document.url),
    )


def site_name(stated: Any, canonical: Any) -> str | None:
    """The publication's name: its ``og:site_name`` (or like metadata), else its
    canonical URL's host without ``www.``; ``None`` when the page states neither."""
    if isinstance(stated, str) and (name := one_line(stated)[:80].strip()):
        return name
    if isinstance(canonical, str) and canonical.startswith(("http://", "https://")):
        try:
            host = urlsplit(canonical).hostname
        except ValueError:
            return None
        return host.removeprefix("www.") if host else None
    return None


def _walk(element: _Element) -> Iterator[tuple[str, BlockKind]]:
    """``(text, kind)`` for each heading and paragraph in trafilatura's output tree."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _DROPPED:
            continue  # comments and processing instructions have non-string tags
        if tag == "head":
            yield _text(child), "heading"
        elif tag == "row":
            yield " | ".join(_text(cell) for cell in child), "paragraph"
        elif tag in _CONTAINERS and any(grand.tag in _BLOCKISH for grand in child):
            yield from _walk(child)
        else:
            # trafilatura's own fallback can put a whole page in one <p>, with line
            # breaks where the separate blocks were.
            for line in _text(child).split("\n"):
                yield line, "paragraph"


def _text(element: _Element) -> str:
    """The text of an element, with line breaks (``<lb/>``) kept as newlines."""
    parts: list[str] = []
    if element.text:
        parts.append(element.text)
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in _DROPPED:
            parts.append(_text(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _drop_repeated_title(blocks: tuple[Block, ...], title: str | None) -> tuple[Block, ...]:
    """Without a first heading that only repeats the title (the page's ``<h1>``)."""
    if title and blocks and blocks[0].kind == "heading" and blocks[0].text == title:
        return blocks[1:]
    return blocks


def _published(value: Any) -> datetime | None:
    try:
        return parse_datetime(value) if value else None
    except ValueError:
        return None


def _fallback(raw: RawSource, page: str) -> Article | None:
    """The ``<title>`` and ``<p>`` texts, for pages trafilatura cannot make sense of."""
    parsed = parse_html(page)
    blocks = parsed.blocks(only=frozenset({"p"}))
    if not blocks:
        return None
    return Article(source=raw.source, blocks=blocks, title=parsed.title, url=raw.url)
