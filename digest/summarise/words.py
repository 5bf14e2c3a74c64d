"""Words: ``word_set`` for the word tables, word counts and content words.

This module owns what a word is to the summariser: a run of non-space characters
(``count_words``), and the words that carry a text's subject (``content_words``).
"""

from __future__ import annotations

import re


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


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its subject: lower-case runs of letters and
    digits ("Ukraine's" gives "ukraine"), without stop words and words of one or two
    letters."""
    return set(_CONTENT_WORD.findall(text.lower())) - STOP_WORDS


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())
