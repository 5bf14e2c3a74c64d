"""Sorting an article's blocks into what a reader sees: title, paragraphs, headings.

This module owns which lines are dropped (boilerplate, the links after a "Read also:"
marker), whether the first plain-text line is the headline, and which short lines are
section headings (``sort_blocks``, ``Body``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.models import Block
from digest.summarise.boilerplate import is_boilerplate, is_real_paragraph, more_marker
from digest.summarise.filler import has_credit
from digest.summarise.languages import LanguageProfile
from digest.summarise.words import (
    clean_line,
    count_clean_words,
    normalised_text,
    plain_word,
    word_set,
)

_HEADLINE_MAX_WORDS = 16
_HEADING_MAX_WORDS = 12
# "The cost:" can head a section; a longer line ending in a colon introduces a list
# or a quotation, and so does one ending "are:" or "include:".
_COLON_HEADING_WORDS = 5

_LEAD_IN_ENDS = word_set(
    "are is were was include includes including follows following know says said here"
)
_LIST_ITEM = re.compile(r"^(?:[-*•·▪►→]\s|\d{1,2}[.)]\s)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")


@dataclass(frozen=True)
class Body:
    """An article sorted into what a reader sees."""

    title: str | None
    paragraphs: tuple[str, ...]
    headings: tuple[str, ...]
    section_starts: frozenset[int]
    """Paragraph indices at which a section heading starts a new section."""


def _heading_shaped(text: str) -> bool:
    """Short, capitalised, without closing punctuation: could be a section heading."""
    words = count_clean_words(text)
    if words == 0 or words > _HEADING_MAX_WORDS or len(text) > 100:
        return False
    first, last = text[0], text[-1]
    if not (first.isupper() or first.isdigit() or first in "“\"'‘"):
        return False
    if last == ":" and not (
        words <= _COLON_HEADING_WORDS and plain_word(text.split()[-1]) not in _LEAD_IN_ENDS
    ):
        return False  # "Here's what you need to know:" or "The headliners are:"
    if last in ".,;!…" or text.endswith("..."):
        return False
    if last == "?" and words > 10:
        return False
    return not (_LIST_ITEM.match(text) or ". " in text or has_credit(text))


def _is_quotation(text: str) -> bool:
    """A paragraph that is a quotation as a whole (a pull quote, say)."""
    marks = text.count("“") + text.count("”") + text.count('"')
    return marks == 2 and text[:1] in '“"' and text[-1:] in '”"'


def _headline_shaped(text: str) -> bool:
    """The first plain-text line is the title when it reads as a headline."""
    words = count_clean_words(text)
    if words == 0 or words > _HEADLINE_MAX_WORDS or len(text) > 150:
        return False
    if text[-1] in ".,;:…" or text.endswith("..."):
        return False
    return not _LIST_ITEM.match(text)


def sort_blocks(
    blocks: tuple[Block, ...], stated_title: str = "", language: LanguageProfile | None = None
) -> Body:
    """The article's title line, paragraphs and section headings, boilerplate dropped.

    ``stated_title`` is the title the source states, if any: a first line that repeats
    it is the title line, not a paragraph."""
    kept = _content_lines(blocks, language)
    title, kept = _leading_title(kept, stated_title)
    return _sections(title, kept)


def _content_lines(
    blocks: tuple[Block, ...], language: LanguageProfile | None = None
) -> list[tuple[str, str]]:
    """The blocks as clean (text, kind) lines, kind in line|paragraph|heading, without
    boilerplate and the link lists after "Read also:" markers."""
    kept: list[tuple[str, str]] = []
    skipping = False
    for block in blocks:
        text = clean_line(getattr(block, "text", "") or "")
        if not text:
            continue
        kind = getattr(block, "kind", "line")
        if kind == "line":
            md = _MARKDOWN_HEADING.match(text)
            if md:
                text, kind = md.group(1), "heading"
        marker = more_marker(text, language)
        if marker or (kind == "heading" and is_boilerplate(text, language)):
            # "Read also:", or a Markdown "## Share this" section: what follows is links.
            skipping = marker != "inline"
            continue
        if skipping:
            # A marked-up heading starts a new section; a plain line may be a link title.
            if kind != "heading" and not is_real_paragraph(text):
                continue
            skipping = False
        if is_boilerplate(text, language):
            continue
        kept.append((text, kind))
    return kept


def _leading_title(
    kept: list[tuple[str, str]], stated_title: str
) -> tuple[str | None, list[tuple[str, str]]]:
    """The title line and the lines after it: a leading heading block, or a first line
    that reads as a headline. With a stated title, that line goes only when it repeats
    the title; otherwise it is text the author put under the title (a standfirst, say)."""
    if kept:
        text, kind = kept[0]
        leads = kind == "heading" or (kind == "line" and len(kept) > 1 and _headline_shaped(text))
        if leads and (not stated_title or normalised_text(text) == normalised_text(stated_title)):
            return text, kept[1:]
    return None, kept


def _sections(title: str | None, kept: list[tuple[str, str]]) -> Body:
    """Section headings are heading blocks, or heading-shaped lines standing between two
    paragraphs (a run of short lines is a list, not headings); the rest are paragraphs."""
    shaped = [kind == "line" and _heading_shaped(text) for text, kind in kept]
    paragraphs: list[str] = []
    headings: list[str] = []
    starts: set[int] = set()
    for i, (text, kind) in enumerate(kept):
        if kind == "heading" or (shaped[i] and _between_paragraphs(kept, shaped, i)):
            if text not in headings:
                headings.append(text)
            starts.add(len(paragraphs))
        else:
            paragraphs.append(text)
    return Body(title, tuple(paragraphs), tuple(headings), frozenset(starts))


def _between_paragraphs(kept: list[tuple[str, str]], shaped: list[bool], i: int) -> bool:
    """Whether the heading-shaped line ``kept[i]`` stands between two paragraphs."""
    # After a quotation, a short line is its attribution ("Jane Doe, winner").
    before = (
        i > 0
        and kept[i - 1][1] != "heading"
        and not shaped[i - 1]
        and not _is_quotation(kept[i - 1][0])
    )
    return before and i + 1 < len(kept) and kept[i + 1][1] != "heading" and not shaped[i + 1]
