"""Words and lines: cleaning a line, counting its words, its content words.

This module owns what a word is to the summariser: a run of non-space characters
(``count_words``), a word without the punctuation at its edges in lower case as the
word tables spell it (``plain_word``), and the words that carry a text's subject
(``content_words``). It also cleans lines (``clean_line``) and normalises text for
comparing and hashing (``normalised_text``).
"""

from __future__ import annotations

import string
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
# ``content_words`` cuts text into runs of [a-z0-9] with bytes.translate and split,
# several times cheaper than a regex over every character: in UTF-8 every byte of a
# character outside ASCII is 0x80 or above, so mapping A-Z to a-z and all other bytes but
# [a-z0-9] to a space leaves exactly the runs of the lower-cased text. (The table's
# lower-casing spares a str.lower() over all of the text, which cost more than the rest
# together. No character outside ASCII lower-cases to an ASCII letter or digit but
# "İ" (to "i̇") and the Kelvin sign (to "k"): a text with one of them
# is lower-cased first.) Words of one or two letters are dropped with the stop words,
# by one set difference.
_ALPHANUMERIC = string.ascii_lowercase + string.digits
_LOWER_TO_SPACE = bytes(
    ord(chr(b).lower()) if chr(b).lower() in _ALPHANUMERIC else ord(" ") for b in range(256)
)
_DOTTED_I, _KELVIN = "\u0130", "\u212a"
_SHORT_WORDS = frozenset(_ALPHANUMERIC) | frozenset(
    a + b for a in _ALPHANUMERIC for b in _ALPHANUMERIC
)
NOT_CONTENT = STOP_WORDS | _SHORT_WORDS
"""The words ``content_words`` leaves out: stop words and words of one or two letters."""
WORD_EDGE = ".,;:!?\"“”‘’'()[]{}…-–—"
"""Punctuation that can stand at a word's edges, which the word tables leave off."""
NAME_PARTICLES = word_set("van von de der den da di du le la")
"""Lower-case words inside a person's name: "Louis van Gaal", "Ursula von der Leyen"."""
RELATIVES = word_set("that who which")
"""Relative words whose clause may take the noun before them as its subject."""
OWN_SUBJECT_RELATIVES = word_set("whose where")
"""Relative words whose clause has a subject of its own: "whose husband", "where 40 diners"."""


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its subject: lower-case runs of letters and
    digits ("Ukraine's" gives "ukraine"), without stop words and words of one or two
    letters."""
    return set(word_runs(text)) - NOT_CONTENT


def word_runs(text: str) -> list[str]:
    """The lower-case runs of letters and digits in ``text``, in order, repeats and stop
    words among them: what ``content_words`` picks from."""
    if not text.isascii() and (_DOTTED_I in text or _KELVIN in text):
        text = text.lower()
    runs = text.encode("utf-8", "surrogatepass").translate(_LOWER_TO_SPACE)
    return runs.decode("ascii").split()


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


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def clean_line(text: str) -> str:
    """One clean line: no BOM, zero-width characters, CR/LF or doubled spaces."""
    if not text:
        return ""
    # Nearly every line is clean already, or has just a space at an end: printable text
    # (no space but " ", no BOM or zero-width space) without a double space.
    if "  " not in text and _printable(text):
        return text.strip(" ")
    if "\ufeff" in text or "\u200b" in text:
        text = text.replace("\ufeff", "").replace("\u200b", "")
    return " ".join(text.split())  # split() takes no-break spaces for spaces too


def _printable(text: str) -> bool:
    """``text.isprintable()``, several times faster on long text: printable ASCII bytes
    are deleted in one C pass, and only what is left (other characters, usually few or
    none) is asked. Every article's text goes through here twice (``clean_line`` of
    its lines, and of all of it for its id)."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PRINTABLE_ASCII)
    return not rest or rest.decode("utf-8", "surrogatepass").isprintable()


def normalised_text(text: str) -> str:
    """``text`` as it is compared and hashed: a clean line, NFC, case-folded."""
    return _folded(clean_line(text))


def normalised_lines(lines: list[str]) -> str:
    """``normalised_text(" | ".join(texts))`` from the texts' ``clean_line``: the same
    text, without cleaning all of it again (a summarised article's blocks are clean
    already, and on a long page a pass over all of its text is a few per cent)."""
    if all(lines):
        joined = " | ".join(lines)
    else:
        # A text that cleans to nothing leaves its bar alone, as cleaning the whole
        # joined text would: "| first | | third" for an empty first and second text.
        joined = " ".join([part for line in lines for part in ("|", line) if part][1:])
    return _folded(joined)


_ASCII = bytes(range(0x80))
# Below this every character is NFC, and so is every sequence of them (no combining
# mark and no character that composes with one comes before it).
_FIRST_COMBINING = "\u0300"


def _folded(text: str) -> str:
    """``unicodedata.normalize("NFC", text).casefold()``, several times faster on the
    text of a page: an article's whole text is folded for its id, and one character
    outside ASCII (a "£", an "é") sends both calls to their slow paths.

    Case folding maps each character on its own, and ``bytes.lower`` lowers exactly
    the ASCII letters of UTF-8 (every byte of a character outside ASCII is 0x80 or
    above): when the characters outside ASCII are all below the first combining mark
    (so the text is NFC) and fold to themselves, lowering the bytes is folding."""
    if text.isascii():
        return text.lower()
    encoded = text.encode("utf-8", "surrogatepass")
    others = encoded.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    if max(others) < _FIRST_COMBINING and others.casefold() == others:
        return encoded.lower().decode("utf-8", "surrogatepass")
    return unicodedata.normalize("NFC", text).casefold()
