"""Boilerplate: the lines of a page that are never content.

This module owns the rules for rules and bare URLs, social links and calls to action
(video and gallery prompts among them), cookie and consent banners, copyright and
caption lines (``is_boilerplate``), bylines and date lines, the "Read
also:" markers that introduce a list of links (``more_marker``), and the dateline an
agency runs into a story's first sentence (``strip_dateline``).
"""

from __future__ import annotations

import re

from digest.summarise.languages import LanguageProfile
from digest.summarise.words import count_clean_words, count_words, word_set

# Lines that are never content wherever they stand.
_BOILERPLATE = re.compile(
    r"""^(?:
        (?:[-_=*~#•·.+|\\/]\s*){3,}                           # rules: ____ ---- * * *
      | (?:https?://|www\.)\S+                                # a bare URL
      | [<(]?https?://\S+[>)]?
      | (?:youtube|twitter|x|facebook|instagram|tiktok|linkedin|telegram|threads
          |mastodon|bluesky|whatsapp|pinterest|reddit|snapchat|rss)
        \s*(?:[:：\-–—|]\s*\S+.*)?                            # "YouTube: https://…"
      | (?:(?:facebook|twitter|x|email|e-mail|whatsapp|linkedin|share|print|copy\ link
          |pinterest|reddit|messenger)[\s,|/·•]*){2,}         # a row of share buttons
      | click\ here\b.*
      | scroll\ (?:down|up)\ (?:for|to)\b.*                       # "Scroll down for video"
      | (?:see|view|watch|play|browse|open|launch|click\ (?:to|through))
        \ (?:the\ |our\ |a\ |more\ )?(?:full\ |photo\ |picture\ |image\ )?
        (?:gallery|galleries|slideshow|videos?
          |photos|pictures|images)\b.{0,40}                   # "See the gallery"
      | (?:photo\ |picture\ |image\ )?gallery
      | (?:please\ )?(?:subscribe|follow\ us|follow\ me|like\ us|share\ this|share\ on
          |sign\ up|signup|join\ (?:us|our)|download\ (?:our|the)\ app|get\ our
          |don['’]t\ miss|support\ (?:us|our)|donate|become\ a\ (?:member|subscriber)
          |newsletter|advertisement|advertising|sponsored|promoted|skip\ to
          |story\ continues|continue\ reading|listen\ to\ this\ article
          |media\ playback|watch\ (?:the\ )?video|all\ rights\ reserved)\b.*
      | (?:©|\(c\)\s|copyright\b).*
      | image\ (?:caption|copyright|source)\b.*
      | (?:photo|picture|pic|image|photograph|video|caption|credit|source)s?\s*:.*
      | \d+\s*(?:min|minute)s?\ read
      | (?:published|updated|posted|last\ (?:updated|modified))\b.{0,60}
      | tags?\s*:.*
      | (?:comments?|reply|share)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# The calls to action that open a line glued to a caption (``opens_with_prompt``).
_PROMPT_OPENING = re.compile(
    r"(?:scroll\ (?:down|up)\ (?:for|to)|(?:see|view|watch)\ (?:the\ |our\ )?(?:video|gallery)"
    r"|click\ here)\b",
    re.IGNORECASE | re.VERBOSE,
)
_PROMPT_INITIALS = frozenset("SsVvWwCc")
# A cookie or consent banner: its sentences, and its buttons as lines of their own.
_CONSENT = re.compile(
    r"""^(?:
        (?:we|this\ (?:web)?site|our\ (?:web)?site|this\ page)(?:\ and\ our\ (?:\d+\ )?partners)?
        \ (?:use|uses|store|collect|set|sets)\ (?:[\w-]+\ ){0,3}?cookies\b.*
      | we\ (?:value|care\ about|respect)\ your\ privacy.*
      | your\ privacy(?:\ choices|\ settings|\ options|\ matters)?
      | by\ (?:continuing|using|clicking|browsing)\b.{0,80}\b(?:cookies|privacy|consent)\b.*
      | (?:accept|reject|allow|decline|refuse|deny)(?:\ all|\ (?:all\ )?cookies|\ and\ close
          |\ (?:only\ )?(?:necessary|essential)(?:\ cookies)?)?
      | (?:manage|customi[sz]e|change|cookie|privacy)\ (?:cookies|preferences|settings|consent
          |options|choices|policy|notice)
      | cookies?\ (?:notice|banner|consent)
      | i\ (?:accept|agree)|got\ it|ok(?:ay)?,?\ i\ agree|agree\ and\ (?:close|continue)
    )[.!]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# The first words of _CONSENT: most lines need no more than this look-up.
_CONSENT_FIRST = word_set(
    """we this our your by accept reject allow decline refuse deny manage customise customize
    change cookie cookies privacy i got ok okay agree"""
)
# Their first letters, in either case: a look-up that spares most lines the rest.
_CONSENT_INITIALS = frozenset(
    "".join(word[0] for word in _CONSENT_FIRST)
    + "".join(word[0] for word in _CONSENT_FIRST).upper()
)
# A consent notice lists the partners and purposes at length: up to this many words.
_CONSENT_MAX_WORDS = 80

# The prefix rules above would also match a long real paragraph ("Sign up rates rose
# ..."): a line this long is content whatever it starts with.
_BOILERPLATE_MAX_WORDS = 30

# "Read also:" and friends. Group 1 is a link title on the same line, if any.
_MORE_MARKER = re.compile(
    r"""^(?:read\ (?:also|more|next|this)|also\ read|see\ also|more\ on\ this(?:\ story)?
        |more\ from|more\ stories|related(?:\ (?:articles?|stories|news|content
        |coverage|links?|reading|posts?|topics?))?|recommended(?:\ for\ you)?
        |you\ (?:may|might)\ also\ (?:like|enjoy)|further\ reading|top\ stories
        |most\ (?:read|popular)|trending)\b\s*[:：\-–—]?\s*(\S.*)?$""",
    re.IGNORECASE | re.VERBOSE,
)
# After a bare marker, lines are link titles until a real sentence comes back.
_REAL_PARAGRAPH_WORDS = 8

# Lines that carry metadata, not content: bylines, datelines, timestamps.
_BYLINE = re.compile(
    r"^(?i:by|written\ by|words\ by|reporting\ by|interview\ by|from)\s+"
    r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|der|la|le|bin|al)){0,6}"
    r"(?:\s*[,|–—-]\s*.{0,60})?$",
    re.VERBOSE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_LINE = re.compile(
    rf"""^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?
        (?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}
          |{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
          |\d{{4}}-\d{{2}}-\d{{2}}(?:[T\s]\d{{2}}:\d{{2}}.*)?
          |\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})
        (?:[\s,]+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?$""",
    re.IGNORECASE | re.VERBOSE,
)

# A leading dateline on the first paragraph: "LONDON (Reuters) - ", "KYIV, Ukraine — ".
_DATELINE_PREFIX = re.compile(
    r"""^(?:
        [A-Z][A-Z.'’-]{2,}(?:[\s,/]+[A-Za-z.'’-]+){0,3}?\s*(?:\([\w\s.&-]{1,30}\))?
      | \([\w\s.&-]{1,30}\)
      | [A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+\d{1,2}\s+[A-Z][a-z]+\s+\(\w+\)
    )\s*[-–—]{1,2}\s+(?=\S)
    # "PORT ELLERY, 4 December — The …", "Port Ellery, Dec. 4 - The …": a place and a date.
    | ^[A-Z][\w.'’-]*(?:[\s/]+[A-Z][\w.'’-]*){0,3},\s+
      (?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?)
      (?:,?\s+\d{4})?\s*(?:\([\w\s.&-]{1,30}\)\s*)?[-–—]{1,2}\s+(?=\S)
    # "Canberra, Australia -- At first …": a place in title case before a double dash.
    | ^[A-Z][a-z]+(?:[\s,]+[A-Z][a-z]+){0,3}\s+(?:--|—)\s+(?=\S)
    # A news agency's mark run into the first word, as CNN prints it: "(CNN)The …",
    # "Hong Kong (CNN)Six people …".
    | ^(?:[A-Z][\w.'’-]*(?:[\s,]+[A-Z][\w.'’-]*){0,4}\s+)?
      \((?:CNN|AP|AFP|Reuters)\)\s*(?=[A-Z0-9“"])""",
    re.VERBOSE,
)

_URL_ANYWHERE = re.compile(r"https?://\S+")


def is_boilerplate(
    text: str, language: LanguageProfile | None = None, words: int | None = None
) -> bool:
    """A line that is never content: rules, bare URLs, social links, calls to action,
    bylines and timestamps (and ``language``'s own such lines).

    ``words`` is the line's word count when the caller has it (``count_clean_words`` of
    a clean line): a line too long for every rule but the consent banner's is then
    known for content without trying the rules, as most paragraphs are."""
    if not text:
        return True
    # Each rule below holds only up to _BOILERPLATE_MAX_WORDS, but the consent one.
    long = words is not None and words > _BOILERPLATE_MAX_WORDS
    if long and not (text[0] in _CONSENT_INITIALS and is_consent(text)):
        return False
    if language is not None and _language_boilerplate(text, language):
        return True
    if _BOILERPLATE.match(text) or _BYLINE.match(text) or _DATE_LINE.match(text):
        return count_words(text) <= _BOILERPLATE_MAX_WORDS
    if text[0] in _CONSENT_INITIALS and is_consent(text):
        return count_words(text) <= _CONSENT_MAX_WORDS
    # A line whose only substance is a URL, such as "Source: https://…" or "<https://…>".
    if "://" not in text or count_words(text) > _BOILERPLATE_MAX_WORDS:
        return False
    stripped = _URL_ANYWHERE.sub("", text).strip(" \t:-–—|<>()[]")
    return stripped != text and count_words(stripped) <= 2


def opens_with_prompt(sentence: str) -> bool:
    """``sentence`` opens with a video or gallery prompt: "Scroll down for video", "See
    the gallery". On a page whose lines were run together, the prompt's line was glued
    to the caption after it ("Scroll down for video Controversy: Lord Janner, who …"),
    so the whole sentence is the prompt and its caption, not the story."""
    return sentence[:1] in _PROMPT_INITIALS and _PROMPT_OPENING.match(sentence) is not None


def is_consent(text: str) -> bool:
    """A cookie or consent banner's line ("We value your privacy", "Accept all"): never
    a page's title, even where a reader took it for one."""
    first = text.partition(" ")[0].rstrip(",").lower()
    return first in _CONSENT_FIRST and bool(_CONSENT.match(text))


def more_marker(
    text: str, language: LanguageProfile | None = None, words: int | None = None
) -> str | None:
    """For "Read also:"-style lines: "bare" when link titles follow on their own lines,
    "inline" when the line carries its own link ("Read more: Rail fares rise");
    ``language`` adds its own markers ("Lesen Sie auch:"). ``words``: the line's
    ``count_clean_words``, when the caller has it."""
    if (count_clean_words(text) if words is None else words) > 14:
        return None
    match = _MORE_MARKER.match(text) or _language_marker(text, language)
    if not match:
        return None
    return "inline" if match.group(1) else "bare"


def is_real_paragraph(text: str) -> bool:
    # Link titles read like headlines; a sentence with its full stop is content again.
    return count_clean_words(text) >= _REAL_PARAGRAPH_WORDS and text[-1] in '.!?"”’)'


def strip_dateline(sentence: str) -> str:
    """``sentence`` without a leading dateline ("LONDON (Reuters) - ", "(CNN)")."""
    return _DATELINE_PREFIX.sub("", sentence, count=1)


def _language_boilerplate(text: str, language: LanguageProfile) -> bool:
    """One of ``language``'s boilerplate lines ("Foto: dpa", "Publicité"), short."""
    pattern = language.boilerplate
    return bool(pattern and pattern.match(text)) and count_words(text) <= _BOILERPLATE_MAX_WORDS


def _language_marker(text: str, language: LanguageProfile | None) -> re.Match[str] | None:
    """``language``'s "Read also:" line ("Lesen Sie auch:", "Lire aussi :")."""
    pattern = language.more_markers if language is not None else None
    return pattern.match(text) if pattern else None
