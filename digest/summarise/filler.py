"""Filler: the sentences at the top of an article that are not the story.

This module owns teaser fragments, photo captions (a credit at the end, where someone
stands in the picture, a caption's label), and bylines, timestamps and calls to action
that reached the text as sentences of their own (``is_filler``, ``has_credit``,
``without_label``).
"""

from __future__ import annotations

import re

from digest.summarise.boilerplate import is_boilerplate
from digest.summarise.verbs import REPORTING_VERBS
from digest.summarise.words import NAME_PARTICLES, count_clean_words, plain_word, word_set

_TEASER_ENDS = (":", "…", "...")

# Where a person stands in the picture: only a caption says "(left)" or "(pictured)".
_PICTURE_POSITION = re.compile(
    r"\((?:pictured|(?:far |second |top |bottom )?(?:left|right)|centre|center|above|below"
    r"|inset|top|bottom|front|back|main)(?:[\s,;][^)]{0,30})?\)|,\s+pictured\b",
    re.IGNORECASE,
)
# A caption about the picture itself: "Pictured: …", "Above, …".
_PICTURE_LABEL = re.compile(r"(?:pictured|above|below|left|right|inset|top|bottom)\s*[:,]\s", re.I)

# A caption's label on a sentence of the story, "Plea: Sammy Griner needs …", is a word
# or three and a colon; unless it says who is speaking ("Police said: …").
_LABEL_MAX_WORDS = 3
_SPEAKING = REPORTING_VERBS | word_set(
    "told tells added adds wrote writes read reads asked asks explained explains tweeted"
)

# Run-in bylines and timestamps are short; so are the calls to action among them.
_METADATA_MAX_WORDS = 10
# Lower-case words that a byline or a name has without saying anything: "Sam Webb for
# MailOnline", "Ludwig van Beethoven".
_NAME_JOINERS = NAME_PARTICLES | word_set("for and of by in at from with the")

# A photo caption's credit: "… in Leeds (Photo: PA)", "… Photograph: Jane Doe/Reuters".
_CAPTION_CREDIT = re.compile(
    r"""(?:\((?:photo|picture|pic|image|credit|file\ photo)s?\b[^)]*\)
      | \b(?:photograph|photo|picture|image|credit)s?\s*:\s*[^.]{1,60}
      | \((?:getty\ images|reuters|afp|ap|pa|epa|pa\ media|shutterstock)\)
      | /(?:getty\ images|reuters|afp|ap|pa|epa|shutterstock))$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_filler(sentence: str) -> bool:
    """Teaser fragments, captions (a credit, or where someone stands in the picture)
    and run-in metadata at the top: text that is not the story."""
    words = count_clean_words(sentence)
    if words < 3:
        return True
    if sentence.endswith(_TEASER_ENDS) or has_credit(sentence):
        return True
    if ("(" in sentence or "pictured" in sentence) and _PICTURE_POSITION.search(sentence):
        return True
    if _PICTURE_LABEL.match(sentence):
        return True
    if words <= _METADATA_MAX_WORDS and _is_metadata(sentence):
        return True
    # A fragment without a full stop is a teaser or a caption, unless it is long
    # enough to be a standfirst.
    return sentence[-1] not in '.!?"”’)' and words < 8


def without_label(sentence: str) -> str:
    """A sentence without a caption's label: "Famous face: Sammy is …" → "Sammy is …"."""
    label, colon, rest = sentence.partition(": ")
    if (
        not colon
        or not label[:1].isupper()
        or not rest
        or not (rest[0].isupper() or rest[0].isdigit())
    ):
        return sentence
    words = label.split()
    if len(words) > _LABEL_MAX_WORDS or any(plain_word(w) in _SPEAKING for w in words):
        return sentence
    return rest


def _is_metadata(sentence: str) -> bool:
    """A byline, timestamp or call to action that reached the text as a sentence of its
    own ("Daily Mail Reporter.", "14:11 EST, 25 October 2013.", "Scroll down for
    video."): when a page's lines are run together, they are no longer lines that the
    boilerplate rules can drop. A sentence without a single lower-case content word
    names or dates something but says nothing about it."""
    if is_boilerplate(sentence.rstrip(".")):
        return True
    return not any(
        word[:1].islower() and plain_word(word) not in _NAME_JOINERS for word in sentence.split()
    )


def has_credit(text: str) -> bool:
    """Ends with a photo credit. Only the tail is searched: this runs on every sentence."""
    tail = text[-90:]
    # Every credit form has one of these; most sentences have none, and skipping the
    # regex for them is a tenth of the summariser's time.
    if "(" not in tail and ":" not in tail and "/" not in tail:
        return False
    return bool(_CAPTION_CREDIT.search(tail))
