"""Sorting an article's blocks into what a reader sees: title, paragraphs, headings.

This module owns which lines are dropped (boilerplate, the links after a "Read also:"
marker), which lines the source broke mid-sentence and are joined again, whether the
first plain-text line is the headline, which short lines are section headings, which
paragraphs are list items (each made a sentence) and the version a release-notes page
names (``sort_blocks``, ``Body``).
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
_CLOSING_QUOTES = "'\"”’"
_MARKER_FIRST = frozenset("-*•·▪►→0123456789")
# Where someone stands in the picture, at the end of a caption line.
_PICTURE_END = re.compile(
    r"\((?:l|r|c|left|right|centre|center|pictured|above|below|inset|top|bottom)\)$", re.I
)
# A line that ends a sentence, a clause or a label: the next line is not its continuation.
_LINE_ENDS = ".!?:;…)]\"”’'|"
# Words a line broken by the source can end on, but a headline or a sentence cannot:
# "… breached in the storms of" / "last winter …".
_RUN_ON_ENDS = word_set(
    """a an the of to in on at for with by from into onto about after before between
    through during against among and or but nor than that which who whose whom as its
    their his her our my your is are was were be been has have had will would could
    should can may might must not very"""
)
# A list of this many items without full stops, one paragraph each, is a list: each
# item is a sentence of its own, not a run-on of the next.
_LIST_MIN_ITEMS = 3
_LIST_ITEM_MAX_WORDS = 30
# "2.4.0", "v1.2", "1.2.3-rc1": the version a release-notes page is about.
_VERSION = re.compile(
    r"\bv\d+(?:\.\d+)+(?:-?[a-z]+\d*)?\b|\b\d+\.\d+\.\d+(?:-?[a-z]+\d*)?\b"
    r"|(?<=\b(?:version|release) )\d+(?:\.\d+)+\b|(?<=\b(?:Version|Release) )\d+(?:\.\d+)+\b",
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")


@dataclass(frozen=True)
class Body:
    """An article sorted into what a reader sees."""

    title: str | None
    paragraphs: tuple[str, ...]
    headings: tuple[str, ...]
    section_starts: frozenset[int]
    """Paragraph indices at which a section heading starts a new section."""
    list_items: frozenset[int] = frozenset()
    """Paragraph indices that are items of a list (given a full stop of their own)."""
    version: str | None = None
    """The version a page's opening headings name ("What's new in 2.4.0"), if any."""


def _heading_shaped(text: str) -> bool:
    """Short, capitalised, without closing punctuation: could be a section heading."""
    if len(text) > 100:
        return False  # most lines are paragraphs: known without counting their words
    words = count_clean_words(text)
    if words == 0 or words > _HEADING_MAX_WORDS:
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
    if last in _CLOSING_QUOTES and text.rstrip(_CLOSING_QUOTES)[-1:] in ".,;:!?…":
        return False  # a quotation on a line of its own: 'We could not let it close.'
    if last == ")" and _PICTURE_END.search(text):
        return False  # a photo caption: "Delph (left) and Grealish (right)"
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
    blocks: tuple[Block, ...],
    stated_title: str = "",
    language: LanguageProfile | None = None,
    lines: list[str] | None = None,
) -> Body:
    """The article's title line, paragraphs and section headings, boilerplate dropped.

    ``stated_title`` is the title the source states, if any: a first line that repeats
    it is the title line, not a paragraph. ``lines``: the blocks' ``clean_texts``, when
    the caller has them (the item's id is made from them too)."""
    kept = _content_lines(blocks, lines if lines is not None else clean_texts(blocks), language)
    title, kept = _leading_title(kept, stated_title)
    return _sections(title, kept, stated_title)


def clean_texts(blocks: tuple[Block, ...]) -> list[str]:
    """Each block's text as one clean line (``clean_line``), in order."""
    return [clean_line(getattr(block, "text", "") or "") for block in blocks]


def _content_lines(
    blocks: tuple[Block, ...], texts: list[str], language: LanguageProfile | None = None
) -> list[tuple[str, str]]:
    """The blocks, their ``texts`` clean, as (text, kind) lines, kind in
    line|paragraph|heading, without boilerplate and the link lists after "Read also:"
    markers."""
    kept: list[tuple[str, str]] = []
    skipping = False
    for block, text in zip(blocks, texts, strict=True):
        if not text:
            continue
        kind = getattr(block, "kind", "line")
        if kind == "line":
            md = _MARKDOWN_HEADING.match(text)
            if md:
                text, kind = md.group(1), "heading"
        words = count_clean_words(text)  # once, for the two rules that ask
        marker = more_marker(text, language, words)
        if marker or (kind == "heading" and is_boilerplate(text, language)):
            # "Read also:", or a Markdown "## Share this" section: what follows is links.
            skipping = marker != "inline"
            continue
        if skipping:
            # A marked-up heading starts a new section; a plain line may be a link title.
            if kind != "heading" and not is_real_paragraph(text):
                continue
            skipping = False
        if is_boilerplate(text, language, words):
            continue
        if (
            kept
            and kept[-1][0][-1] not in _LINE_ENDS
            and _continues(kept[-1], text, kind, first_line=len(kept) == 1)
        ):
            # A sentence the source broke across lines is one sentence again.
            before = kept[-1][0]
            joiner = "" if before.endswith("-") and text[:1].islower() else " "
            kept[-1] = (before + joiner + text, kept[-1][1])
            continue
        kept.append((text, kind))
    return kept


def _continues(previous: tuple[str, str], text: str, kind: str, *, first_line: bool) -> bool:
    """Whether ``text`` carries on the sentence of the line before it: a line that
    stopped mid-sentence, before one that starts with a lower-case word, or a line or
    paragraph (an HTML line break, say) longer than a heading that ends on a word no
    sentence ends on. A first line that reads as a headline stands alone unless it ends
    on such a word."""
    before, before_kind = previous
    if kind == "heading" or before_kind != kind or before[-1] in _LINE_ENDS:
        return False
    if _LIST_ITEM.match(text) or _LIST_ITEM.match(before):
        return False
    first_word = text.split(None, 1)[0]
    starts_lower = first_word.islower() and first_word[0].isalpha()  # not "iPhone", "eBay"
    if first_line and _headline_shaped(before):
        # "Celebrities get their skates on" is a headline all the same.
        return starts_lower and before.rsplit(None, 1)[-1] in _RUN_ON_ENDS
    if starts_lower and kind == "line":
        # Markdown and HTML paragraphs are blocks their readers found: a lower-case
        # start there is as likely the next item of a list ("- fix a crash …").
        return True
    # "… the council said on" / "Monday.": a line longer than a heading that ends on a
    # word no sentence ends on.
    last_word = before.rsplit(None, 1)[-1]
    return (
        last_word in _RUN_ON_ENDS
        and count_clean_words(before) > _HEADING_MAX_WORDS
        and (text[0].isalnum() or text[0] in "£$€")
    )


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


def _sections(title: str | None, kept: list[tuple[str, str]], stated_title: str = "") -> Body:
    """Section headings are heading blocks, or heading-shaped lines standing between two
    paragraphs (a run of short lines is a list, not headings); the rest are paragraphs."""
    shaped = [kind == "line" and _heading_shaped(text) for text, kind in kept]
    paragraphs: list[str] = []
    kinds: list[str] = []
    headings: list[str] = []
    starts: set[int] = set()
    for i, (text, kind) in enumerate(kept):
        if kind == "heading" or (shaped[i] and _between_paragraphs(kept, shaped, i)):
            if text not in headings:
                headings.append(text)
            starts.add(len(paragraphs))
        else:
            paragraphs.append(text)
            kinds.append(kind)
    items = _list_items(paragraphs, kinds, starts)
    if items:
        paragraphs = [
            _as_sentence(text) if i in items else text for i, text in enumerate(paragraphs)
        ]
    # Only a page that opens with a list (a release's changes, after a line introducing
    # them at most) leads with its version.
    version = _version(title or stated_title, kept) if items and min(items) <= 1 else None
    return Body(
        title, tuple(paragraphs), tuple(headings), frozenset(starts), frozenset(items), version
    )


def _list_items(paragraphs: list[str], kinds: list[str], starts: set[int]) -> set[int]:
    """Paragraph indices of the items of lists: runs of at least ``_LIST_MIN_ITEMS``
    short Markdown or HTML paragraphs without closing punctuation, or of two or more
    plain-text lines with a list marker ("- ", "1. "), within a section. A list's items
    come as paragraphs, and joined as they are they would read as one run-on sentence.
    Other plain-text lines are left alone: there a run of short lines is as likely a
    byline, a caption and a date."""
    items: set[int] = set()
    if "paragraph" not in kinds and not any(p[:1] in _MARKER_FIRST for p in paragraphs):
        return items  # most plain text: no list to look for
    runs: list[list[int]] = []
    run: list[int] = []
    marked = False
    for i, (text, kind) in enumerate(zip(paragraphs, kinds, strict=True)):
        if kind == "paragraph":
            item = text[-1] not in _LINE_ENDS and count_clean_words(text) <= _LIST_ITEM_MAX_WORDS
        else:
            item = text[1:2] == " " or text[2:3] in (" ", ".", ")")  # cheap before the regex
            item = item and bool(_LIST_ITEM.match(text))
        if run and (not item or i in starts or (kind != "paragraph") != marked):
            if len(run) >= (2 if marked else _LIST_MIN_ITEMS):
                runs.append(run)
            run = []
        if item:
            marked = kind != "paragraph"
            run.append(i)
    if len(run) >= (2 if marked else _LIST_MIN_ITEMS):
        runs.append(run)
    for r in runs:
        items.update(r)
    return items


def _as_sentence(item: str) -> str:
    """A list item as a sentence of its own: without its marker, with a capital (unless
    its first word is a name such as "iPhone") and a full stop."""
    item = _LIST_ITEM.sub("", item, count=1).strip() or item
    if item.split(None, 1)[0].islower():
        item = item[0].upper() + item[1:]
    return item if item[-1:] in _LINE_ENDS else item + "."


def _version(title: str | None, kept: list[tuple[str, str]]) -> str | None:
    """The version named by the title line or the headings before the first
    paragraph: what a release-notes page is about."""
    for text in [title or "", *(t for t, _ in _opening_headings(kept))]:
        match = _VERSION.search(text)
        if match:
            return match.group()
    return None


def _opening_headings(kept: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The heading blocks before the first paragraph."""
    opening = []
    for text, kind in kept:
        if kind != "heading":
            break
        opening.append((text, kind))
    return opening


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
