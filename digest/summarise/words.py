"""Words and lines: cleaning a line, counting its words, its content words.

This module owns what a word is to the summariser: a run of non-space characters
(``count_words``), a word without the punctuation at its edges in lower case as the
word tables spell it (``plain_word``), and the words that carry a text's subject
(``content_words``). It also cleans lines (``clean_line``) and normalises text for
comparing and hashing (``normalised_text``).
"""

from __future__ import annotations

import re
import unicodedata


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and edit)."""
    return frozenset(words.split())


# Words that say nothing about what a text is about, for ``content_words``.
STOP_WORDS = word_set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours out over own said same says she should so some such than that
    the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    one two new year years told last first"""
)
_CONTENT_WORD = re.compile(r"[a-z0-9]{3,}")  # a word of three letters or more
WORD_EDGE = ".,;:!?\"“”‘’'()[]{}…-–—"
"""Punctuation that can stand at a word's edges, which the word tables leave off."""


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its subject: lower-case runs of letters and
    digits ("Ukraine's" gives "ukraine"), without stop words and words of one or two
    letters."""
    return set(_CONTENT_WORD.findall(text.lower())) - STOP_WORDS


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


def count_clean_words(text: str) -> int:
    """``count_words`` for text that ``clean_line`` made (single spaces, no others): the
    summariser counts words of every paragraph and sentence several times, and counting
    spaces is several times cheaper than splitting."""
    return text.count(" ") + 1 if text else 0


def plain_word(word: str) -> str:
    """``word`` without the punctuation at its edges, in lower case: as the word tables
    spell it."""
    return word.strip(WORD_EDGE).lower()


def clean_line(text: str) -> str:
    """One clean line: no BOM, zero-width characters, CR/LF or doubled spaces."""
    if not text:
        return ""
    # Nearly every line is clean already, or has just a space at an end: printable text
    # (no space but " ", no BOM or zero-width space) without a double space.
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    if "\ufeff" in text or "\u200b" in text:
        text = text.replace("\ufeff", "").replace("\u200b", "")
    return " ".join(text.split())  # split() takes no-break spaces for spaces too


def normalised_text(text: str) -> str:
    """``text`` as it is compared and hashed: a clean line, NFC, case-folded."""
    return unicodedata.normalize("NFC", clean_line(text)).casefold()
