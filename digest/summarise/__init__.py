"""The summarise stage: one ``Article`` in, one ``DigestItem`` out.

This module owns every judgement about an article's content: which lines are
boilerplate (never shown), which plain-text line is the headline or a section
heading, what the title is (stated, found or derived from the first sentence), which
sentences make the lead, the item's stable id and its reading time.

It is pure and rule-based: no I/O, no models, no heavy imports, and it never raises on
content. Sentence splitting lives in ``digest.summarise.sentences``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from digest.models import Article, Block, DigestItem
from digest.summarise.sentences import split_sentences
from digest.summarise.verbs import base_form, is_irregular_past, is_past_only, present_tense
from digest.summarise.words import STOP_WORDS, content_words, count_words, word_set

__all__ = [
    "LEAD_OVERRUN",
    "STRATEGIES",
    "derive_title",
    "is_boilerplate",
    "is_dangling",
    "is_empty",
    "lead_ceiling",
    "summarise",
]

STRATEGIES: tuple[str, ...] = ("lead", "opening", "first")
"""``lead`` (default): the most informative whole sentences of the lead region, in
reading order, skipping captions, bylines, datelines and teasers. ``opening``: the
opening news sentence always leads, later sentences fill the budget in order.
``first``: whole sentences in order until the next one would not fit."""

LEAD_OVERRUN = 0.25
"""How far past its word budget, as a share of it, a ``lead`` lead may run to end on a
whole sentence worth its words. A word past the budget must be worth
``_OVERRUN_COST`` average words of the lead region, so leads still average under the
budget; ``opening`` and ``first`` never pass it."""

TITLE_MAX_WORDS = 12
HEADLINE_WORDS = 10
"""A derived title longer than this is shortened at a phrase boundary when it can be."""
_HEADLINE_MAX_WORDS = 16
_HEADING_MAX_WORDS = 12
# "The cost:" can head a section; a longer line ending in a colon introduces a list
# or a quotation, and so does one ending "are:" or "include:".
_COLON_HEADING_WORDS = 5
_LEAD_REGION_SENTENCES = 8
_ELLIPSIS = "…"

# --- boilerplate -------------------------------------------------------------------

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
    # "Canberra, Australia -- At first …": a place in title case before a double dash.
    | ^[A-Z][a-z]+(?:[\s,]+[A-Z][a-z]+){0,3}\s+(?:--|—)\s+(?=\S)
    # A news agency's mark run into the first word, as CNN prints it: "(CNN)The …",
    # "Hong Kong (CNN)Six people …".
    | ^(?:[A-Z][\w.'’-]*(?:[\s,]+[A-Z][\w.'’-]*){0,4}\s+)?
      \((?:CNN|AP|AFP|Reuters)\)\s*(?=[A-Z0-9“"])""",
    re.VERBOSE,
)
_LEAD_IN_ENDS = word_set(
    "are is were was include includes including follows following know says said here"
)
_LIST_ITEM = re.compile(r"^(?:[-*•·▪►→]\s|\d{1,2}[.)]\s)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_URL_ANYWHERE = re.compile(r"https?://\S+")

# --- titles --------------------------------------------------------------------------

# Attributions: ", according to a report by Bloomberg", ", officials said" at the end,
# or ", its directors said on Friday, with …" before a trailing adjunct (cut there too).
_TRAILING_ATTRIBUTION = re.compile(
    r"""(?:,\s*|\s+(?=according\ to\b))(?:
        according\ to\b.*
      | (?:as\ )?(?:\S+\s+){0,5}?(?:said|says|say|reported|reports|report|announced
          |announces|told\s+\S+(?:\s+\S+){0,3}|confirmed|revealed|claimed|claims
          |warned|warns|added|stated|noted|wrote|insisted|heard|learned|learnt
          |understood|believed|suggested|predicted|estimated|estimates|argued|argues)
        (?:\s+(?:on|in|late|early|this|last)\s+\S+(?:\s+\S+)?)?
      | (?:said|says|reported|reports|told|according\ to)\s.*
    )(?:[.!?]*$|(?=,))""",
    re.IGNORECASE | re.VERBOSE,
)
_LEADING_ATTRIBUTION = re.compile(
    r"^(?:according\ to|as\ reported\ by|in\ a\ (?:statement|report|post|interview))"
    r"\b[^,]{0,80},\s+",
    re.IGNORECASE | re.VERBOSE,
)
# An opening adjunct that is not the main clause: "During a visit to Kyiv on Wednesday, ".
_LEADING_ADJUNCT = re.compile(
    r"""^(?:during|after|before|following|amid|despite|although|though|while|when|as
        |since|in|on|at|on\ the|with|without|for|by|under|earlier|later|last|this
        |speaking|writing|meanwhile|however|today|yesterday|now)\b[^,]{0,90},\s+""",
    re.IGNORECASE | re.VERBOSE,
)
# A connective or discourse marker opening the sentence: a headline starts afresh.
_CONNECTIVE = re.compile(
    r"""^(?:and|but|so|then|also|yet|still|indeed|in\ fact|however|meanwhile|moreover
        |furthermore|besides|nevertheless|nonetheless|instead|plus|now|thus|hence
        |therefore|even\ so|after\ all|of\ course|and\ then|but\ then)
        (?!\s+(?:far|much|many|long|called|that|than)\b)(?:\s*,\s*|\s+)(?=\S)""",
    re.IGNORECASE | re.VERBOSE,
)
# Existential openings whose news is the clause they embed: "There are fears that X",
# "It is thought that X", "It emerged that X" → X.
_EXISTENTIAL = re.compile(
    r"""^(?:there\s+(?:is|are|was|were|has\s+been|have\s+been|remains?|seems?\s+to\s+be)
          \s+(?:(?:a|an|the|some|growing|increasing|mounting|new|real|little|every|strong
            |widespread|renewed|serious|genuine|good|fresh)\s+)*
          (?:prospects?|fears?|hopes?|concerns?|speculation|suggestions?|signs?|talk
            |chances?|danger|possibility|likelihood|risk|expectations?|evidence|claims?
            |reports?|indications?|doubts?|worries|warnings?|rumou?rs?|belief|feeling)
      |it\s+(?:is|was|has\s+been|had\s+been)\s+(?:now\s+|widely\s+|also\s+)?
          (?:thought|believed|understood|expected|feared|reported|said|claimed|likely
            |unlikely|possible|hoped|known|rumou?red|suggested|estimated|alleged|clear
            |certain|confirmed|predicted)
      |it\s+(?:has\s+|had\s+|now\s+)?(?:emerged|emerges|appears|appeared|seems|seemed
          |transpired|transpires))
    \s+that\s+(?=\S)""",
    re.IGNORECASE | re.VERBOSE,
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{0,80}\)")
# Asides a headline leaves out: ", who has died aged 94," / ", star of Amelie, will".
_RELATIVE_ASIDE = re.compile(r",\s+(?:who|which|whose|where)\b[^,]{1,80},\s+")
_FINITE = (
    r"(?:has|have|had|is|are|was|were|will|would|can|could|may|might|must|should|said|says"
    r"|did|does|do)\b"
)
# An aside with commas of its own ("who appeared in Brookside, My Family and …,")
# runs to the comma before the main verb.
_LONG_ASIDE = re.compile(
    r",\s+(?:who|which|whose|where|including|such\s+as)\b[^,;]{1,80}(?:,[^,;]{1,60}){0,3},\s+"
    r"(?=" + _FINITE + ")"
)
# "Parmalat, the Italian food group at the centre of …, has reported": a long
# description after a name, up to the main verb.
_DESCRIPTION_ASIDE = re.compile(
    r"^(?P<name>[A-Z][^,]{0,40}),\s+(?:the|a|an)\s+[^,;]{1,120},\s+"
    r"(?=" + _FINITE + r"|[a-z]{3,}(?:ed|es|s)\b)"
)
# "Shares in India's largest power producer, National Thermal Power Corp, have risen":
# a description restated by the name keeps the name (and "Shares in" before it).
_NAMED_APPOSITIVE = re.compile(
    # desc: everything up to the first comma, with a lower-case letter in it; said with
    # a lookahead so that a sentence without a comma fails at once instead of
    # backtracking through every split of it (which cost ~0.2 ms a title).
    r"^(?P<pre>(?:\S+\s+){0,2}?(?:in|at)\s+)?(?P<desc>(?=[^,]*[a-z])[^,]+),\s+"
    r"(?P<name>[A-Z][\w.'’&-]*(?:\s+(?:(?:of|and|&|for|de)\s+)?[A-Z0-9][\w.'’&-]*){0,6})"
    r",?\s+(?=" + _FINITE + ")"
)
_APPOSITIVE = re.compile(r",\s+[^,]{1,60},\s+(?=" + _FINITE + ")")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.IGNORECASE)
# Headlinese, word by word (see ``_headlinese``).
_BE = {"is": True, "was": True, "are": False, "were": False}  # → singular subject?
_HAVE = {"has": True, "have": False}
_MODALS = word_set("will would can could may might must should shall do does did had")
# Adjectives and participles after which "is/are … to" keeps only the rest ("set to").
_BEFORE_TO = word_set(
    """set expected likely unlikely due about poised ready understood believed thought
    said reported able unable going"""
)
# Words after which an "-ed" word is an adjective or a participle, not the main verb.
_NOT_BEFORE_VERB = word_set(
    """the a an his her its their our my your this that these those of in on at for with
    by from to into and or but very most more less so too as than being been be not
    newly recently"""
)
# Dropped wherever they stand: a headline has no room for them.
_FILLER_ADVERBS = word_set("also already now just finally reportedly")
_DROPPED_DETERMINERS = word_set("the a an")
_POSSESSIVE_PRONOUNS = word_set("his its their")
# Reporting verbs whose clause can stand alone: "Brown said he hopes …" → "Brown hopes …".
_REPORTING = word_set(
    """says said warns warned claims claimed insists insisted believes believed thinks
    thought argues argued admits admitted announces announced confirms confirmed"""
)
_PRONOUN_NUMBER = {"he": True, "she": True, "it": True, "they": False, "we": False}
_NOT_PARTICIPLES = word_set(
    "need feed seed deed reed weed speed breed bleed greed steed succeed proceed exceed "
    "bed red shed hundred embed sacred naked wicked"
)
_PLURAL_NOUNS = word_set("people police children men women staff cattle")
_SUBJECT_PREPOSITIONS = word_set("of in at for on from with by to behind over under")
_RELATIVES = word_set("that who which")
_AUXILIARIES = frozenset(_BE) | frozenset(_HAVE) | _MODALS
# Past this many words before its verb, a subject's relative clause goes from a title.
_LONG_SUBJECT_WORDS = 8
_RELATIVE_CLAUSE_WORDS = 20
# Adjectives a gerund follows as its noun's modifier: "competitive racing".
_ADJECTIVE_ENDINGS = ("ive", "al", "ous", "ful", "ic", "able", "ible", "less", "ary")
# Common given names: in a headline a person goes by the surname ("Tony Blair" →
# "Blair"), and a descriptor before the name goes with the given name.
_GIVEN_NAMES = word_set(
    """adam alan alex alexander alice alistair andrew andy angela ann anna anne anthony
    ben bernie bill billy bob brian bruce carl caroline catherine charles charlie chris
    christopher claire colin craig dan daniel dave david diane donald douglas ed edward
    elizabeth emma eric frank fred gary geoff george gerry gordon graham greg harry
    helen henry ian jack jackie james jamie jane janet jason jean jeff jennifer jeremy
    jim jimmy joe john jon jonathan jose julia julie karen kate kathy keith ken kenneth
    kevin kim laura lee lisa liz lord louise lucy mark martin mary matt matthew mel
    michael mick mike nancy neil nick nicola nigel oliver patricia patrick paul peter
    philip rachel ralph ray richard rob robert robbie robin roger ron ronnie rose ruth
    ryan sally sam sarah scott sean simon stephen steve steven stuart sue susan tessa
    thomas tim tom tony vince walter wayne william"""
) - {"lord"}
# Time adjuncts a headline leaves off its end: "on Tuesday", "this year", "in 2004".
_TRAILING_TIME = re.compile(
    r"""\s+(?:(?:on|by|from|until|since)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day
          |\d{1,2}\s+[A-Z][a-z]+)
        |(?:earlier\s+|later\s+)?(?:this|last|next)\s+(?:year|week|month|weekend|morning
          |afternoon|evening|night|spring|summer|autumn|winter|season|decade|century)
        |in\s+(?:the\s+)?(?:\d{4}|january|february|march|april|june|july|august|september
          |october|november|december|[A-Z][a-z]+\s+\d{4})
        |(?:yesterday|today|tonight|recently|now|overnight|so\s+far)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Where a main clause gives way to a subordinate clause or an adjunct phrase.
_CLAUSE_BREAK = re.compile(r"\s*(?:[;:–—]|\s-\s|,\s+(?:which|who|whose|where|while|but|and|as)\b)")
# Where a headline can stop when no phrase boundary comes within the limit.
_WEAK_STARTERS = word_set("to that and or but than so who which whose where")
_PHRASE_STARTERS = word_set(
    """before after because while when whereas although though since until unless despite
    amid following for in on at from into onto over under during with without within
    across through against among between by ahead as via if which who whose
    where that"""
)
_DANGLING = word_set(
    """a an the of to in on at for with by from into onto over under about after before
    between through during without within against among across along around behind
    beyond toward towards upon via per amid despite than as like and or but nor yet so
    because if while when where whether although though since until unless that which
    who whom whose what not no very more most less least much many some any each every
    it they he she we i you
    all both either neither this these those its my our your their his her is are was
    were be been being am has have had having do does did will would shall should can
    could may might must according said says mr mrs ms dr it’s it's de la le von van
    der"""
)
# Phrasal verbs: a headline never ends between the verb and its particle ("rein | in").
_PHRASAL_FORMS = (
    (
        "in",
        "rein bring step give fill weigh kick pitch move cave settle stand phase lock"
        " let trade break sign opt usher",
    ),
    (
        "out",
        "carry rule roll phase pull drop walk wipe sell buy hand lay point spell sort"
        " single stamp iron knock lock leave opt hit lash run bail pay turn put hold kick"
        " work vote stand branch bow break crowd miss price sit throw wait wash",
    ),
    (
        "up",
        "set pick give sign step take shake open speed sum line start snap shore top"
        " tie wind wrap pile hold bring pay buy break back clean end follow make mount"
        " ramp stir team own split tear draw line round rack",
    ),
    (
        "down",
        "step stand back shut close turn cut crack clamp water tone wind scale play"
        " break hand bring vote knock lock let mark track tear write settle slow calm"
        " narrow hunt gun climb",
    ),
    (
        "off",
        "call take set pay sell lay kick wipe write stave fend fight ward head fight"
        " see seal beat level sign spin hold put ward cut tip round walk pull rip",
    ),
    ("over", "take hand turn win pass hold run fall blow"),
    (
        "back",
        "cut pay scale fight hit win bring pull set hold step claw roll push buy bounce come",
    ),
    ("on", "take sign carry crack press pass move log pile plough stay hold go come"),
    ("away", "give throw sweep walk turn put fade"),
    ("through", "push fall follow pull come"),
    ("aside", "set step brush put"),
    ("ahead", "press push forge go"),
    ("forward", "bring put step come"),
)
_PHRASAL = {(verb, particle) for particle, verbs in _PHRASAL_FORMS for verb in verbs.split()}
_PARTICLE_COMPLEMENTS = word_set("with of")  # "walk off with", "run out of"
# Prepositions that usually complete the verb before them ("called for", "moved to").
_COMPLEMENTS = word_set("for to with into from about of that")
# Auxiliaries and common irregular news verbs, for ``_verb_like``.
_VERBS = word_set(
    """is are was were be been has have had will would can could may might must should
    said say made make won win took take set hit cut put lost lose fell fall rose
    rise grew grow became become came come went go saw see told tell gave give found
    find left leave met meet paid pay sold sell bought buy got get held hold led lead
    ran run seen shown begun known gone done taken given written chosen beaten broken
    risen fallen thrown drawn struck sent spent built kept brought thought sought
    faces face plans plan backs back eyes wants want needs need"""
)
# Capitalised inside a title these are names or months, not auxiliaries or particles.
_NAME_LIKE = word_set("may will can mark bill sue pat van von de la le der")
_WORD_EDGE = ".,;:!?\"“”‘’'()[]{}…-–—"

# --- lead --------------------------------------------------------------------------

_QUOTE_OPEN = re.compile(r"[\"“]")
# What a quotation mark opens, up to the mark that closes it (without the marks).
_QUOTED = re.compile(r'“([^”]*)|"([^"]*)"?')
# Single quotation marks, as British papers use them: one opens after a space or a
# bracket and closes before one; an apostrophe sits inside a word ("didn't", "Bosson's")
# and does neither.
_SINGLE_OPEN = re.compile(r"(?:^|[\s(\[—–])[‘']")
_SINGLE_QUOTED = re.compile(
    r"(?:^|(?<=[\s(\[—–]))[‘']((?:[^‘’']|['’]\w)*?)['’](?=[\s,.;:!?)\]—–-]|$)"
)
# A single quotation left open runs on into the next sentence when it opens the sentence
# or follows "said:" or "added, ": elsewhere an unpaired mark is an apostrophe ("the '90s").
_SINGLE_OPEN_TO_END = re.compile(r"(?:^|(?<=[:,]\s))[‘']((?:[^‘’']|['’]\w)*)$")
_TEASER_ENDS = (":", "…", "...")
_CAPTION_MAX_WORDS = 40
# The lead chooses among this many story sentences at the top ...
_LEAD_CHOICES = 6
# ... weighing the first four about alike (see ``_informative``) ...
_POSITION_WEIGHTS = (1.0, 1.0, 0.95, 0.95, 0.75, 0.7)
# ... and adds a sentence only when it is worth this much per word.
_MIN_INFORMATIVE = 0.1
# A word past the budget costs this many of the region's average words (LEAD_OVERRUN).
_OVERRUN_COST = 2.5
_DIGIT = re.compile(r"\d")
_SUBJECT_CHARS = 1200
# Enough text for the lead region's sentences, however long the paragraph.
_OPENING_CHARS = 2500
# A sentence opening with one of these leans on the one before it.
_LEANS_ON_BEFORE = word_set("he she it they we i this that these but and so his her their")
# Titles before a surname: "Mr Sarao", "Dr Patel".
_HONORIFICS = word_set("mr mrs ms miss dr sir lord lady prof")
_POSSESSIVE = re.compile(r"['’]s?(?=\W*$)")
# What a sentence leaning on the one before is worth, for what it leaves unsaid.
_LEANING_WEIGHT = 0.6
# A sentence sharing this much of its content words with an earlier one repeats it.
_REPEAT_SHARE = 0.6
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
_SPEAKING = _REPORTING | word_set(
    "told tells added adds wrote writes read reads asked asks explained explains tweeted"
)
# Run-in bylines and timestamps are short; so are the calls to action among them.
_METADATA_MAX_WORDS = 10
# Lower-case words that a byline or a name has without saying anything: "Sam Webb for
# MailOnline", "Ludwig van Beethoven".
_NAME_JOINERS = word_set("for and of by in at from with the van von de der la le du da")
# An opening quotation longer than this is not the news: the first fact leads instead.
_OPENING_QUOTE_WORDS = 15
# A photo caption's credit: "… in Leeds (Photo: PA)", "… Photograph: Jane Doe/Reuters".
_CAPTION_CREDIT = re.compile(
    r"""(?:\((?:photo|picture|pic|image|credit|file\ photo)s?\b[^)]*\)
      | \b(?:photograph|photo|picture|image|credit)s?\s*:\s*[^.]{1,60}
      | \((?:getty\ images|reuters|afp|ap|pa|epa|pa\ media|shutterstock)\)
      | /(?:getty\ images|reuters|afp|ap|pa|epa|shutterstock))$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class _Body:
    """An article sorted into what a reader sees."""

    title: str | None
    paragraphs: tuple[str, ...]
    headings: tuple[str, ...]
    section_starts: frozenset[int]
    """Paragraph indices at which a section heading starts a new section."""


def summarise(
    article: Article,
    *,
    lead_words: int = 60,
    words_per_minute: int = 230,
    strategy: str = "lead",
    lead_overrun: float = LEAD_OVERRUN,
) -> DigestItem:
    """Turn one article into its digest item. Never raises on any content.

    ``lead_words`` is the lead's word budget, which the ``lead`` strategy may pass by
    ``lead_overrun`` of it (see ``LEAD_OVERRUN``); ``strategy`` is one of ``STRATEGIES``
    (an unknown strategy is a programming error and raises ``ValueError``). An article
    with no usable text gives an item with an empty lead (see ``is_empty``) and the
    source's file name as its title.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: expected one of {STRATEGIES}")
    budget = max(1, int(lead_words))
    stated = _clean(article.title or "")
    body = _sort_blocks(article.blocks, stated)
    region = _lead_region(body)
    if stated:
        title = stated
    elif body.title:
        title = body.title
    else:
        # The title comes from the first story sentence, as the lead's region has it.
        opening = next((i for i, s in enumerate(region) if not _is_filler(s)), 0)
        following = tuple(s for s in region[opening + 1 :] if not _is_filler(s))
        derived = (
            derive_title(_without_label(region[opening]), following=following) if region else ""
        )
        title = derived or _fallback_title(article.source)

    if strategy == "first":
        lead = _lead_first(body.paragraphs, budget)
    elif strategy == "opening":
        lead = _lead_opening(_lead_candidates(region), budget)
    else:
        ceiling = lead_ceiling(budget, lead_overrun)
        lead = _lead(_lead_candidates(region)[:_LEAD_CHOICES], body, budget, ceiling)
    word_count = sum(map(_words, body.paragraphs)) + sum(map(_words, body.headings))
    return DigestItem(
        id=_item_id(article),
        title=title,
        lead=lead,
        headings=list(body.headings),
        word_count=word_count,
        reading_minutes=max(1, round(word_count / max(1, words_per_minute))),
        source=article.source,
        url=article.url,
        published=article.published,
    )


def is_empty(item: DigestItem) -> bool:
    """True when the article gave nothing to show (no lead): the caller should warn."""
    return not item.lead.strip()


# --- sorting blocks ------------------------------------------------------------------


def _words(text: str) -> int:
    """``count_words`` for text that ``_clean`` made (single spaces, no others): the
    summariser counts words of every paragraph and sentence several times, and counting
    spaces is several times cheaper than splitting."""
    return text.count(" ") + 1 if text else 0


def _clean(text: str) -> str:
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


def is_boilerplate(text: str) -> bool:
    """A line that is never content: rules, bare URLs, social links, calls to action,
    bylines and timestamps."""
    if not text:
        return True
    if _BOILERPLATE.match(text) or _BYLINE.match(text) or _DATE_LINE.match(text):
        return count_words(text) <= _BOILERPLATE_MAX_WORDS
    # A line whose only substance is a URL, such as "Source: https://…" or "<https://…>".
    if "://" not in text or count_words(text) > _BOILERPLATE_MAX_WORDS:
        return False
    stripped = _URL_ANYWHERE.sub("", text).strip(" \t:-–—|<>()[]")
    return stripped != text and count_words(stripped) <= 2


def _more_marker(text: str) -> str | None:
    """For "Read also:"-style lines: "bare" when link titles follow on their own lines,
    "inline" when the line carries its own link ("Read more: Rail fares rise")."""
    if _words(text) > 14:
        return None
    match = _MORE_MARKER.match(text)
    if not match:
        return None
    return "inline" if match.group(1) else "bare"


def _is_real_paragraph(text: str) -> bool:
    # Link titles read like headlines; a sentence with its full stop is content again.
    return _words(text) >= _REAL_PARAGRAPH_WORDS and text[-1] in '.!?"”’)'


def _heading_shaped(text: str) -> bool:
    """Short, capitalised, without closing punctuation: could be a section heading."""
    words = _words(text)
    if words == 0 or words > _HEADING_MAX_WORDS or len(text) > 100:
        return False
    first, last = text[0], text[-1]
    if not (first.isupper() or first.isdigit() or first in "“\"'‘"):
        return False
    if last == ":" and not (
        words <= _COLON_HEADING_WORDS and _bare(text.split()[-1]) not in _LEAD_IN_ENDS
    ):
        return False  # "Here's what you need to know:" or "The headliners are:"
    if last in ".,;!…" or text.endswith("..."):
        return False
    if last == "?" and words > 10:
        return False
    return not (_LIST_ITEM.match(text) or ". " in text or _has_credit(text))


def _is_quotation(text: str) -> bool:
    """A paragraph that is a quotation as a whole (a pull quote, say)."""
    marks = text.count("“") + text.count("”") + text.count('"')
    return marks == 2 and text[:1] in '“"' and text[-1:] in '”"'


def _headline_shaped(text: str) -> bool:
    """The first plain-text line is the title when it reads as a headline."""
    words = _words(text)
    if words == 0 or words > _HEADLINE_MAX_WORDS or len(text) > 150:
        return False
    if text[-1] in ".,;:…" or text.endswith("..."):
        return False
    return not _LIST_ITEM.match(text)


def _sort_blocks(blocks: tuple[Block, ...], stated_title: str = "") -> _Body:
    # Pass 1: clean, drop boilerplate and the link lists after "Read also:" markers.
    kept: list[tuple[str, str]] = []  # (text, kind), kind in line|paragraph|heading
    skipping = False
    for block in blocks:
        text = _clean(getattr(block, "text", "") or "")
        if not text:
            continue
        kind = getattr(block, "kind", "line")
        if kind == "line":
            md = _MARKDOWN_HEADING.match(text)
            if md:
                text, kind = md.group(1), "heading"
        marker = _more_marker(text)
        if marker or (kind == "heading" and is_boilerplate(text)):
            # "Read also:", or a Markdown "## Share this" section: what follows is links.
            skipping = marker != "inline"
            continue
        if skipping:
            # A marked-up heading starts a new section; a plain line may be a link title.
            if kind != "heading" and not _is_real_paragraph(text):
                continue
            skipping = False
        if is_boilerplate(text):
            continue
        kept.append((text, kind))

    # Pass 2: the title is a leading heading block, or a first line that reads as a
    # headline. With a stated title, that line goes only when it repeats the title;
    # otherwise it is text the author put under the title (a standfirst, say).
    title: str | None = None
    if kept:
        text, kind = kept[0]
        leads = kind == "heading" or (kind == "line" and len(kept) > 1 and _headline_shaped(text))
        if leads and (not stated_title or _normal(text) == _normal(stated_title)):
            title = text
            kept = kept[1:]

    # Pass 3: section headings are heading blocks, or heading-shaped lines standing
    # between two paragraphs (a run of short lines is a list, not headings).
    shaped = [kind == "line" and _heading_shaped(text) for text, kind in kept]
    paragraphs: list[str] = []
    headings: list[str] = []
    starts: set[int] = set()
    for i, (text, kind) in enumerate(kept):
        if kind == "heading":
            is_heading = True
        elif shaped[i]:
            # After a quotation, a short line is its attribution ("Jane Doe, winner").
            before = (
                i > 0
                and kept[i - 1][1] != "heading"
                and not shaped[i - 1]
                and not _is_quotation(kept[i - 1][0])
            )
            after = i + 1 < len(kept) and kept[i + 1][1] != "heading" and not shaped[i + 1]
            is_heading = before and after
        else:
            is_heading = False
        if is_heading:
            if text not in headings:
                headings.append(text)
            starts.add(len(paragraphs))
        else:
            paragraphs.append(text)
    return _Body(title, tuple(paragraphs), tuple(headings), frozenset(starts))


# --- title ---------------------------------------------------------------------------


def _bare(word: str) -> str:
    return word.strip(_WORD_EDGE).lower()


def is_dangling(word: str, position: int = 1) -> bool:
    """A word a headline cannot end on ("of", "the", "according", "has").

    ``position`` is the word's index in the title: capitalised after the first word,
    "May" is a month and "Will" a name, not auxiliaries.
    """
    bare = _bare(word)
    if not bare:
        return True
    if bare not in _DANGLING:
        return False
    core = word.strip(_WORD_EDGE)
    return not (position > 0 and core[:1].isupper() and bare in _NAME_LIKE)


def _drop_dangling(words: list[str]) -> list[str]:
    """Remove trailing words a headline cannot end on."""
    while words:
        last = words[-1].rstrip(",;:–—-")
        if not last.strip(_WORD_EDGE) or is_dangling(last, len(words) - 1):
            words.pop()
            if words and _phrasal(words[-1], last):
                words.pop()  # "… or rein in": the verb goes with its particle
            continue
        words[-1] = last
        break
    return words


def _phrasal(verb: str, particle: str) -> bool:
    """Whether ``particle`` is the particle of the phrasal verb ``verb`` ("reins in",
    "carried out", "setting up", "took over")."""
    bare = _bare(particle)
    if not bare or bare != particle.rstrip(",;:") or not verb.islower():
        return False
    word = verb.strip(_WORD_EDGE)
    if (word, bare) in _PHRASAL or (base_form(word), bare) in _PHRASAL:
        return True
    if word.endswith("ies"):
        return (word[:-3] + "y", bare) in _PHRASAL
    if word.endswith("es") and (word[:-2], bare) in _PHRASAL:
        return True
    return word.endswith("s") and (word[:-1], bare) in _PHRASAL


def _core(sentence: str) -> tuple[str, bool]:
    """The sentence reduced to its main clause, before headline style, and whether that
    clause lacks a subject (it opens with a verb: "went on to run …")."""
    text = _clean(sentence)
    text = _DATELINE_PREFIX.sub("", text, count=1)
    text = _LEADING_ATTRIBUTION.sub("", text, count=1)
    stripped = _LEADING_ADJUNCT.sub("", text, count=1)
    if count_words(stripped) >= 4:
        text = stripped
    # "But …", "Still, …", "In fact, …": a headline has nothing to connect to.
    for _ in range(2):
        stripped = _CONNECTIVE.sub("", text, count=1)
        if stripped == text or count_words(stripped) < 3:
            break
        text = stripped
    # "There are fears that X …", "It emerged that X …": X is the news.
    stripped = _EXISTENTIAL.sub("", text, count=1)
    if count_words(stripped) >= 3:
        text = stripped
    text = _PARENTHETICAL.sub("", text)
    text = _LONG_ASIDE.sub(" ", text, count=1)
    text = _DESCRIPTION_ASIDE.sub(r"\g<name> ", text, count=1)
    text = _RELATIVE_ASIDE.sub(" ", text)
    named = _NAMED_APPOSITIVE.match(text)
    if named and _describes(named.group("desc")):
        text = (named.group("pre") or "") + named.group("name") + " " + text[named.end() :]
    else:
        text = _APPOSITIVE.sub(" ", text, count=1)
    text = text.rstrip(" .!?…")
    attribution = _TRAILING_ATTRIBUTION.search(text)
    if attribution and count_words(text[: attribution.start()]) >= 3:
        text = text[: attribution.start()]
    clause = _CLAUSE_BREAK.split(text, maxsplit=1)[0]
    if count_words(clause) >= 3:
        text = clause
    text = text.strip(" ,;:–—-\"“”'‘’")
    subjectless = _opens_with_verb(text)
    # Headlines drop the leading article ("The Tories are to back …").
    text = _LEADING_ARTICLE.sub("", text, count=1)
    return text, subjectless


def _describes(phrase: str) -> bool:
    """A plain description a name can stand for ("India's largest power producer"): a
    noun phrase of a few words, without a verb or a preposition of its own ("the
    manager of Johnny Cash" is about someone else too)."""
    words = phrase.split()
    if not 2 <= len(words) <= 8:
        return False
    return not any(
        w in _PHRASE_STARTERS
        or w in _SUBJECT_PREPOSITIONS
        or w in _BE
        or w in _HAVE
        or w in _MODALS
        or w in _VERBS
        for w in words
    )


def _opens_with_verb(text: str) -> bool:
    """ "went on to run …", "has also been …": a clause whose subject went before."""
    first = text.split(maxsplit=1)[0] if text else ""
    if not first.isalpha() or not first.islower():
        return False
    return (
        first in _BE
        or first in _HAVE
        or first in _MODALS
        or is_irregular_past(first)
        or _participle(first)
        or first in _VERBS
        or (first.endswith("s") and first[:-1] in _VERBS)
        or first in ("goes", "went")
    )


def derive_title(
    sentence: str, max_words: int = TITLE_MAX_WORDS, following: tuple[str, ...] = ()
) -> str:
    """A headline from a first sentence: its main clause, at most ``max_words`` words.

    Datelines, attributions, asides and the leading article go; the rest is put in
    headline style (see ``_headlinese``: present tense without auxiliaries, no
    articles, people by surname). Past about ten words it ends after the verb's first
    phrase; an over-long clause is cut at a phrase boundary (a preposition, a relative
    or subordinate clause, a participle), and only with no boundary at all at the word
    limit with "…". Never ends on a dangling word, nor on a verb whose particle follows
    ("rein | in"). An opening connective ("But", "Still,") goes; an existential opening
    ("There are fears that X", "It emerged that X") gives way to X; a description
    restated by a name after a comma gives way to the name. When what is left has no
    subject ("went on to run …"), the first of ``following`` (the next sentences of the
    lead) that has one is used instead. Returns "" when nothing is left.
    """
    text, subjectless = _core(sentence)
    if subjectless:
        # "Then went on to run …": the next sentence of the lead with a subject leads.
        for other in following[:_LEAD_REGION_SENTENCES]:
            core, lacks = _core(other)
            if not lacks and count_words(core) >= 3:
                text = core
                break
    words, verb = _headlinese(text.split())
    full = words
    text = " ".join(words)
    if len(words) > HEADLINE_WORDS:
        # "… on weekdays from 1 December": the date is the first thing a headline drops.
        shorter = _TRAILING_TIME.sub("", text).split()
        if len(shorter) >= 4:
            words = shorter
    ellipsis = False
    if len(words) > HEADLINE_WORDS:
        # Past a headline's usual length, end after the verb's first phrase:
        # "US retail sales fell 0.3% | in January, the biggest …".
        cut = _phrase_cut(words, max_words, shortest=4, latest=False, verb=verb)
        if cut:
            words = words[:cut]
    if len(words) > max_words:
        cut = _phrase_cut(words, max_words, verb=verb) or _phrase_cut(
            words, max_words, shortest=3, verb=verb, weak=True
        )
        if cut:
            words = words[:cut]
        else:
            words = words[:max_words]
            ellipsis = True
    words = _drop_dangling(words)
    if not ellipsis:
        shorter = _TRAILING_TIME.sub("", " ".join(words)).split()
        if len(shorter) >= 4:
            words = _drop_dangling(shorter)
    words = _keep_particle(words, full, max_words)
    if not words:
        return ""
    title = " ".join(words).strip(" ,;:–—-")
    # Balance a quotation the cut left open.
    if title.count("“") > title.count("”"):
        title += "”"
    elif title.count('"') % 2:
        title = title.replace('"', "")
    title = title[0].upper() + title[1:]
    return title + _ELLIPSIS if ellipsis else title


def _keep_particle(words: list[str], full: list[str], max_words: int) -> list[str]:
    """Never end on a verb whose particle follows ("rein | in"): keep the particle when
    it fits and can end a headline ("step down"), else cut before the verb."""
    k = len(words)
    if not words or k >= len(full) or not _phrasal(words[-1], full[k]):
        return words
    particle = full[k].rstrip(",;:")
    if k < max_words and not is_dangling(particle, k):
        return [*words, particle]
    return _drop_dangling(words[:-1])


def _headlinese(words: list[str]) -> tuple[list[str], int]:
    """Headline style: the main verb in the present tense without auxiliaries ("has
    risen" → "rises", "are not expected to" → "not expected to", "will play" → "to
    play", "was arrested" → "arrested"), no articles, possessive pronouns or filler
    adverbs, people by their surname, and no relative clause in a long subject.
    Lower-case words only: names are left alone.

    Returns the words and the index of the main verb (-1 when none was found)."""
    verb = _main_verb(words, 1)
    if verb > _LONG_SUBJECT_WORDS:
        # "A drunk driver who killed a woman in a crash while … | has been jailed": a
        # subject too long for a headline loses its relative clause, not the verb.
        relative = next((i for i in range(1, verb - 1) if words[i] in _RELATIVES), -1)
        if (
            relative > 0
            and not words[relative - 1].endswith(",")
            and (words[relative + 1] in _AUXILIARIES or _participle(words[relative + 1]))
        ):
            words = words[:relative] + words[verb:]
            verb = relative
    words = _simplify_verb(words, verb)
    marked = [(word, i == verb) for i, word in enumerate(words)]
    marked = _surnames(_drop_descriptors(marked))
    out: list[tuple[str, bool]] = []
    for i, (word, is_verb) in enumerate(marked):
        nxt = marked[i + 1][0] if i + 1 < len(marked) else ""
        if not is_verb:
            if word in _DROPPED_DETERMINERS and nxt and i > 0:
                continue
            if word in _POSSESSIVE_PRONOUNS and nxt[:1].islower():
                continue
            if word in _FILLER_ADVERBS and out:
                continue
        out.append((word, is_verb))
    at = next((i for i, (_, is_verb) in enumerate(out) if is_verb), -1)
    return [word for word, _ in out], at


def _main_verb(words: list[str], start: int) -> int:
    """Index of the clause's finite verb or auxiliary at or after ``start``; -1 if none."""
    limit = min(len(words), start + 14)
    for i in range(start, limit):
        word = words[i]
        if word in _BE or word in _HAVE or word in _MODALS:
            return _after_relative(words, i, limit)
        if not word.isalpha() or not word.islower() or words[i - 1].lower() in _NOT_BEFORE_VERB:
            continue
        if is_irregular_past(word) or (word.endswith("ed") and _participle(word)):
            if i + 1 < len(words) and words[i + 1] == "by":
                continue  # "a drug made by …": a participle after a noun
            # "Scientists based in Leeds have …": the auxiliary is the main verb. After
            # "the man accused of …", "a firm charged with …", look as far as a title can.
            reach = limit if words[i + 1 : i + 2] in (["of"], ["with"]) else i + 9
            for j in range(i + 1, min(limit, reach)):
                if words[j] in _PRONOUN_NUMBER or words[j] in ("that", "which", "who"):
                    break
                if words[j] in _BE or words[j] in _HAVE:
                    return j
                if words[j - 1].endswith(","):
                    break
            return _after_relative(words, i, limit)
    return -1


def _after_relative(words: list[str], i: int, limit: int) -> int:
    """The main clause's auxiliary when the verb at ``i`` belongs to a relative clause
    in the subject: "A bakery that has fed the street for years | will close"."""
    if words[i - 1] not in _RELATIVES:
        return i
    # The clause may run past the usual search window: look as far as a title could.
    for j in range(i + 2, max(limit, min(len(words), i + _RELATIVE_CLAUSE_WORDS))):
        if words[j - 1].endswith(","):
            break  # an aside or a list, not the subject's end
        if words[j] in _BE or words[j] in _HAVE or words[j] in _MODALS:
            return j
    return i


def _participle(word: str) -> bool:
    return word.isalpha() and (
        (word.endswith("ed") and len(word) > 3 and word not in _NOT_PARTICIPLES)
        or (is_irregular_past(word) and word != "been")
    )


def _simplify_verb(words: list[str], v: int) -> list[str]:
    """Headline tense for the verb group at ``v`` (see ``_headlinese``)."""
    if v < 1:
        return words
    head, verb, rest = words[:v], words[v], words[v + 1 :]
    while rest and rest[0] in _FILLER_ADVERBS:
        rest = rest[1:]
    nxt = rest[0] if rest else ""
    after = rest[1] if len(rest) > 1 else ""
    if verb in _HAVE:
        singular = _HAVE[verb]
        if nxt == "been":
            if _participle(after) or after in _BEFORE_TO:
                return head + rest[1:]  # "has been sold" → "sold"
            return [*head, "is" if singular else "are", *rest[1:]]
        if _participle(nxt):
            return _reported(head, present_tense(base_form(nxt), singular), rest[1:])
        return words
    if verb in _BE:
        singular = _BE[verb]
        negated = nxt == "not"
        if negated:
            rest = rest[1:]
            nxt, after = after, rest[1] if len(rest) > 1 else ""
        keep = ["not"] if negated else []
        if nxt == "to" and verb in ("is", "are"):
            return head + keep + rest  # "is to close" → "to close"
        if nxt in _BEFORE_TO and after == "to":
            return head + keep + (rest[2:] if nxt == "going" else rest)  # "is set to"
        if nxt in ("being", "up", "down") or _participle(nxt):
            return head + keep + rest  # "was arrested" → "arrested"
        if nxt.endswith("ing") and len(nxt) > 5 and nxt.isalpha() and not negated:
            return [*head, present_tense(base_form(nxt), singular), *rest[1:]]
        return words
    if verb == "will":
        return words if nxt in ("not", "have", "") else [*head, "to", *rest]
    if verb in _MODALS:
        return words
    if nxt in _PHRASE_STARTERS and not is_past_only(verb):
        return words  # "suspect held in …", "authors shortlisted for …": a participle
    base = base_form(verb)
    singular = _singular(head)
    if base == verb and (not is_irregular_past(verb) or not singular):
        return words  # already present ("hopes"), or "they cut": past or present
    if len(rest) > 1 and rest[0] == "and" and rest[1].islower() and _participle(rest[1]):
        # "identified and charged a man" → "identify and charge a man"
        rest = ["and", present_tense(base_form(rest[1]), singular), *rest[2:]]
    return _reported(head, present_tense(base, singular), rest)


def _reported(head: list[str], verb: str, rest: list[str]) -> list[str]:
    """ "Brown says he hopes to …" → "Brown hopes to …": a reporting verb whose clause
    has a pronoun subject gives way to that clause (its verb in headline tense)."""
    if verb not in _REPORTING or not rest:
        return [*head, verb, *rest]
    if rest[0] == "that":
        rest = rest[1:]
    if rest and rest[0] in _PRONOUN_NUMBER and len(rest) > 2 and rest[1].islower():
        return head + _simplify_verb(["_", *rest[1:]], 1)[1:]
    return [*head, verb, *rest]


def _singular(subject: list[str]) -> bool:
    """Whether a subject is singular, from its head noun (the word before its first
    preposition, participle or relative pronoun): "Shares in BT" plural, "The number
    of people" and "A ferry carrying 240 passengers" singular."""
    # A pronoun right before the verb is the subject, whatever came before it:
    # "Returning home from the Games, I discovered" → "I discover".
    last = subject[-1] if subject else ""
    if last in ("I", "we", "you", "they"):
        return False
    if last in ("he", "she", "it"):
        return True
    # "Kayahan, one of Turkey's best singers and songwriters, died": an aside's "and"
    # does not make the subject plural.
    aside = next(
        (
            i
            for i, word in enumerate(subject[:-1])
            if word.endswith(",") and subject[i + 1][:1].islower()
        ),
        len(subject),
    )
    if any(word == "and" or word == "&" for word in subject[: aside + 1]):
        return False
    at = len(subject) - 1
    for i, word in enumerate(subject[1:], 1):
        if subject[i - 1].endswith(","):
            at = i - 1  # "Germany's economy, the biggest of the countries using the euro,"
            break
        if (
            word in _SUBJECT_PREPOSITIONS
            or word in _RELATIVES
            or (word.endswith("ing") and len(word) > 5 and word.isalpha() and word.islower())
        ):
            at = i - 1
            break
    head = subject[at].strip(_WORD_EDGE) if subject else ""
    if head.lower() in _PLURAL_NOUNS:
        return False
    if at > 0 and head[:1].isupper():
        return not (len(head) > 2 and head.endswith("s") and head[-2].isupper())  # "MPs"
    return not (head.endswith("s") and not head.endswith(("ss", "us", "is", "'s", "’s")))


def _drop_descriptors(marked: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """ "Shares in UK drinks firm Allied Domecq rise" → "Shares in Allied Domecq rise":
    in the subject, a description right before a name goes (the name says who)."""
    verb = next((i for i, (_, is_verb) in enumerate(marked) if is_verb), -1)
    if verb < 2:
        return marked
    words = [word for word, _ in marked[:verb]]
    drop: set[int] = set()
    start = 0
    for i in range(len(words) + 1):
        if i < len(words) and words[i] not in _SUBJECT_PREPOSITIONS and i - start < 12:
            continue
        # words[start:i] is a noun phrase: description + name?
        c = i
        while c > start and words[c - 1][:1].isupper() and words[c - 1][:1].isalpha():
            c -= 1
        before = words[c - 1] if c > start else ""
        if (
            c < i
            and before.isalpha()
            and before.islower()
            and before not in ("and", "or")
            and all(w.isalpha() or "-" in w for w in words[start:c])
            # One -ing word alone is a verb taking the name: "accused of stabbing Lippert".
            and not (c - start == 1 and words[start].endswith("ing"))
        ):
            drop.update(range(start, c))
        start = i + 1
    return [pair for i, pair in enumerate(marked) if i not in drop]


def _surnames(marked: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """ "Conservative leader Michael Howard says" → "Howard says": a person goes by the
    surname, and a descriptor opening the title goes with the given name."""
    out = list(marked)
    i = 0
    while i < len(out) - 1:
        word, nxt = out[i][0], out[i + 1][0]
        if (
            word[:1].isupper()
            and word.lower() in _GIVEN_NAMES
            and nxt[:1].isupper()
            and nxt[:1].isalpha()
            and not any(is_verb for _, is_verb in out[: i + 1])
        ):
            start = 0 if i <= 3 else i
            del out[start : i + 1]
            i = start + 1
            continue
        i += 1
    return out


def _phrase_cut(
    words: list[str],
    max_words: int,
    shortest: int = 6,
    latest: bool = True,
    verb: int = -1,
    weak: bool = False,
) -> int:
    """A phrase boundary within the limit that keeps at least ``shortest`` words and a
    verb: the latest one, or with ``latest=False`` the earliest. 0 when there is none.

    ``verb`` is the main verb's index when known. ``weak`` also accepts the boundaries
    a headline can stop at when no preposition comes: before "to", "that", "and",
    "than" or a participle ("charges | stemming from …")."""
    stop = min(max_words, len(words) - 1)
    indices = range(stop, shortest - 1, -1) if latest else range(shortest, stop + 1)
    for i in indices:
        if is_dangling(words[i - 1], i - 1):
            continue  # "are | following in …": the part before is not complete
        if _phrasal(words[i - 1], words[i]):
            continue  # "rein | in spending": the particle belongs to the verb
        if i - 1 != verb and _weak_boundary(words, i - 1):
            continue  # "charges stemming | from …": the participle needs its phrase
        after_verb = (
            i - 1 == verb
            or (verb < 0 and _verb_like(words[i - 1]))
            or (
                _bare(words[i]) in _PARTICLE_COMPLEMENTS
                and i > 1
                and _phrasal(words[i - 2], words[i - 1])
            )  # "walk off | with"
        )
        if _bare(words[i]) in _COMPLEMENTS and after_verb:
            continue  # "has called | for …": the verb needs what follows
        if not (i > verb if verb >= 0 else _has_verb(words, i)):
            continue  # "Shares in India's largest power producer": no verb yet
        if _bare(words[i]) in _PHRASE_STARTERS or words[i - 1].endswith(","):
            return i
        if weak and not after_verb and _weak_boundary(words, i):
            return i
    return 0


def _weak_boundary(words: list[str], i: int) -> bool:
    """``words[i]`` can start a phrase a headline may drop: "to", "that", or a
    participle after a noun ("charges | stemming from"), but not a gerund after an
    adjective ("return to competitive racing")."""
    word = words[i]
    bare = _bare(word)
    if bare in _WEAK_STARTERS:
        return True
    if not (word.islower() and len(bare) > 5 and bare.endswith("ing") and bare.isalpha()):
        return False
    before = _bare(words[i - 1]) if i > 0 else ""
    return not before.endswith(_ADJECTIVE_ENDINGS)


def _has_verb(words: list[str], end: int) -> bool:
    """Whether ``words[:end]`` has a main verb, not just a participle after a noun
    ("drug made by …")."""
    for j in range(1, end):
        if _verb_like(words[j]):
            after = _bare(words[j + 1]) if j + 1 < len(words) else ""
            before = _bare(words[j - 1])
            if after == "by" and before not in _VERBS:
                continue
            if _bare(words[j]).endswith("ing") and before not in _VERBS:
                continue  # "people cycling to work": a participle, not the verb
            return True
    return False


def _verb_like(word: str) -> bool:
    """A rough test for a verb, enough to tell a clause from a bare noun phrase."""
    if word[:1].isupper():
        return False
    bare = _bare(word)
    return (
        bare in _VERBS
        or (len(bare) > 4 and bare.endswith(("ed", "ing")))
        or (bare.endswith("s") and bare[:-1] in _VERBS)
    )


def _fallback_title(source: str) -> str:
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    return stem or source or "Untitled"


# --- lead ----------------------------------------------------------------------------


def _opening_sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph's opening, as many as the lead region takes. A page
    whose lines were run together is one long paragraph: it is split only as far as a
    lead or a title can reach."""
    wanted = _LEAD_REGION_SENTENCES
    if len(paragraph) <= _OPENING_CHARS:
        return split_sentences(paragraph, limit=wanted)
    sentences = split_sentences(paragraph[:_OPENING_CHARS], limit=wanted + 1)
    if len(sentences) > wanted:
        return sentences[:wanted]
    return sentences[:-1] or sentences  # the last one was cut short


def _is_filler(sentence: str) -> bool:
    """Teaser fragments, captions (a credit, or where someone stands in the picture)
    and run-in metadata at the top: text that is not the story."""
    words = _words(sentence)
    if words < 3:
        return True
    if sentence.endswith(_TEASER_ENDS) or _has_credit(sentence):
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


def _without_label(sentence: str) -> str:
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
    if len(words) > _LABEL_MAX_WORDS or any(_bare(w) in _SPEAKING for w in words):
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
        word[:1].islower() and word.strip(_WORD_EDGE).lower() not in _NAME_JOINERS
        for word in sentence.split()
    )


def _has_credit(text: str) -> bool:
    """Ends with a photo credit. Only the tail is searched: this runs on every sentence."""
    tail = text[-90:]
    # Every credit form has one of these; most sentences have none, and skipping the
    # regex for them is a tenth of the summariser's time.
    if "(" not in tail and ":" not in tail and "/" not in tail:
        return False
    return bool(_CAPTION_CREDIT.search(tail))


def _quote_share(sentence: str) -> float:
    """The share of a sentence's characters that sit inside quotation marks, double or
    single. An unclosed quotation runs to the end (it goes on in the next sentence)."""
    inside = 0
    if _QUOTE_OPEN.search(sentence):
        inside = sum(len(curly) + len(straight) for curly, straight in _QUOTED.findall(sentence))
    if ("'" in sentence or "‘" in sentence) and _SINGLE_OPEN.search(sentence):
        single = sum(map(len, _SINGLE_QUOTED.findall(sentence)))
        unclosed = _SINGLE_OPEN_TO_END.search(_SINGLE_QUOTED.sub("", sentence))
        inside = max(inside, single + (len(unclosed.group(1)) if unclosed else 0))
    return inside / max(1, len(sentence))


def _fit(sentence: str, budget: int) -> str:
    """A sentence longer than the budget, cut at a word boundary with "…"."""
    words = sentence.split()
    if len(words) <= budget:
        return sentence
    kept = _drop_dangling(words[:budget]) or words[:budget]
    return " ".join(kept).rstrip(" ,;:–—-") + _ELLIPSIS


def _lead_first(paragraphs: tuple[str, ...], budget: int) -> str:
    """Whole sentences in reading order until the next one would not fit."""
    chosen: list[str] = []
    used = 0
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            n = _words(sentence)
            if not chosen and n > budget:
                return _fit(sentence, budget)
            if used + n > budget:
                return " ".join(chosen)
            chosen.append(sentence)
            used += n
    return " ".join(chosen)


def _lead_region(body: _Body) -> list[str]:
    """The first sentences of the body; a section heading ends the region once there
    are a few to choose from."""
    region: list[str] = []
    for index, paragraph in enumerate(body.paragraphs):
        if index in body.section_starts and len(region) >= 3:
            break
        if _has_credit(paragraph) and _words(paragraph) <= _CAPTION_MAX_WORDS:
            continue  # a photo caption, whose credit may follow its own full stop
        region.extend(_opening_sentences(paragraph))
        if len(region) >= _LEAD_REGION_SENTENCES:
            break
    return region[:_LEAD_REGION_SENTENCES]


def lead_ceiling(lead_words: int, lead_overrun: float) -> int:
    """The most words a ``lead`` lead may have: its budget and the overrun allowed."""
    return max(lead_words, int(lead_words * (1 + max(0.0, lead_overrun))))


def _lead(candidates: list[str], body: _Body, budget: int, ceiling: int) -> str:
    """The most informative whole sentences of the lead region, in reading order.

    Candidates are the region's first story sentences (captions, bylines, datelines and
    teasers skipped, see ``_lead_candidates``). Each is weighed by ``_informative``: how
    much of it is about what the whole article is about, its place in the region, and
    whether it is a quotation or a question; one that leans on the sentence before it
    ("He said …", "But …") weighs less and never comes without that sentence. The lead
    is the set of candidates, kept in order, that carries the most weight for its
    length; but for the opening one, a sentence below ``_MIN_INFORMATIVE`` a word, or
    one that mostly repeats an earlier candidate, is never worth its words.

    The lead fills ``budget`` words and may run on to ``ceiling`` (see
    ``LEAD_OVERRUN``) when the sentence that crosses the budget is worth it: each word
    past the budget costs ``_OVERRUN_COST`` average words of the candidates. News
    sentences run to 25–35 words, so a hard limit would often have to choose between
    the second sentence and the first; this way leads average under the budget all the
    same. An opening sentence longer than the ceiling is cut to the budget with "…".

    Measured against human-written highlights (benchmarks/bench_summarise.py), this
    scores well above filling the budget in order: the opening sentence of a news story
    often restates its headline, and the facts a reader needs next are a sentence or
    two later.
    """
    if not candidates:
        return ""
    sizes = [_words(s) for s in candidates]
    if sizes[0] > ceiling:
        return _fit(candidates[0], budget)
    words = [content_words(s) for s in candidates]
    # What the article is about: the words the other candidates and the next few hundred
    # words of the article use too.
    text = " ".join(body.paragraphs)
    at = text.find(candidates[-1])
    after = at + len(candidates[-1])
    later = content_words(text[after : after + _SUBJECT_CHARS]) if at >= 0 else set()
    seen = Counter(w for ws in words for w in ws)
    leans = [_leans(s) for s in candidates]
    value = [
        _informative(s, i, words[i], seen, later)
        * (_LEANING_WEIGHT if leans[i] else 1.0)
        * sizes[i]
        for i, s in enumerate(candidates)
    ]
    overrun_cost = _OVERRUN_COST * sum(value) / sum(sizes)
    # Only the opening sentence may be below the bar, nothing over the ceiling fits, and
    # a sentence that mostly repeats an earlier one (a caption restating the opening,
    # say) adds nothing.
    eligible = [
        i
        for i in range(len(candidates))
        if sizes[i] <= ceiling
        and (i == 0 or value[i] >= _MIN_INFORMATIVE * sizes[i])
        and not _repeats(words[i], words[:i])
    ]
    # A sentence comes only with those it needs: the one before, if it leans on it ("He
    # said …"), and the one that introduced the person it names by surname alone.
    needs = _introductions(candidates)
    for i in range(1, len(candidates)):
        if leans[i]:
            needs[i] |= 1 << (i - 1)
    # Every subset of the (at most six) eligible sentences that fits the ceiling, each
    # grown from a smaller one by a later sentence: exhaustive, and cheap, as a subset
    # over the ceiling is never grown.
    best, best_score = 0, float("-inf")
    stack = [(0, 0, 0, 0.0)]  # (next eligible position, chosen bits, words, weight)
    while stack:
        start, chosen, used, total = stack.pop()
        score = total - overrun_cost * max(0, used - budget)
        if chosen and score > best_score:
            best, best_score = chosen, score
        for k in range(start, len(eligible)):
            i = eligible[k]
            if used + sizes[i] <= ceiling and chosen & needs[i] == needs[i]:
                stack.append((k + 1, chosen | 1 << i, used + sizes[i], total + value[i]))
    if not best:  # nothing eligible on its own: the opening sentence, cut to fit
        return _fit(candidates[0], budget)
    return " ".join(s for i, s in enumerate(candidates) if best >> i & 1)


def _introductions(candidates: list[str]) -> list[int]:
    """For each candidate that opens on a surname ("Dematteis was arrested …", "Mr
    Dematteis's lawyer …"), the bit of the earlier candidate that gave the full name
    ("Nicholas Dematteis, 39, …"): a reader meets a person by name before by surname."""
    needs = [0] * len(candidates)
    for i in range(1, len(candidates)):
        words = candidates[i].split(maxsplit=2)
        head = words[1] if len(words) > 2 and _bare(words[0]) in _HONORIFICS else words[0]
        head = _POSSESSIVE.sub("", head).strip(_WORD_EDGE)
        if head[:1].isupper() and head.lower() not in STOP_WORDS:
            needs[i] = next((1 << j for j in range(i) if _names(head, candidates[j])), 0)
    return needs


def _names(surname: str, sentence: str) -> bool:
    """``sentence`` has ``surname`` after a capitalised word: "… Nicholas Dematteis …"."""
    at = sentence.find(" " + surname)
    while at > 0:
        end = at + 1 + len(surname)
        if (end == len(sentence) or not sentence[end].isalpha()) and sentence[
            sentence.rfind(" ", 0, at) + 1
        ].isupper():
            return True
        at = sentence.find(" " + surname, end)
    return False


def _leans(sentence: str) -> bool:
    """Opens with a pronoun or a connective: it needs the sentence before it."""
    return _bare(sentence.split(maxsplit=1)[0]) in _LEANS_ON_BEFORE


def _repeats(words: set[str], earlier: list[set[str]]) -> bool:
    """Most of ``words`` stand in one of the ``earlier`` sentences already."""
    return bool(words) and any(
        len(words & other) >= _REPEAT_SHARE * len(words) for other in earlier
    )


def _lead_candidates(region: list[str]) -> list[str]:
    """The region's story sentences, a long opening quotation moved after the first
    fact, the opening sentence without its dateline."""
    if not region:
        return []
    candidates = [s for s in region if not _is_filler(s)] or region
    # A long quotation at the top is colour, not the news: the first fact leads.
    opening = next(
        (
            i
            for i, s in enumerate(candidates)
            if _quote_share(s) <= 0.5 or _words(s) <= _OPENING_QUOTE_WORDS
        ),
        0,
    )
    candidates.insert(0, candidates.pop(opening))
    candidates[0] = _DATELINE_PREFIX.sub("", candidates[0], count=1)
    return [_without_label(s) for s in candidates]


def _informative(
    sentence: str, position: int, words: set[str], seen: Counter[str], later: set[str]
) -> float:
    """An estimate of how much of ``sentence`` a reader of the digest needs.

    Mostly: the share of its content words (``words``) that the article uses again, in
    another of the lead's candidates (``seen`` counts each candidate once) or in the
    text after them (``later``): a sentence about the story's subject, not an aside.
    Then: early sentences count more; a quotation or a question is colour rather than
    fact; a fragment of under ten words says little; a number is usually a fact.
    Weights read off a development set of news articles with human-written
    highlights, never the held-out half.
    """
    recurring = len([w for w in words if seen[w] > 1 or w in later]) / len(words) if words else 0.0
    weight = _POSITION_WEIGHTS[min(position, len(_POSITION_WEIGHTS) - 1)] * (0.2 + recurring)
    if _quote_share(sentence) > 0.3:
        weight *= 0.5
    if sentence.rstrip("\"”’'").endswith("?"):
        weight *= 0.25
    if _words(sentence) < 10:
        weight *= 0.6
    if _DIGIT.search(sentence):
        weight *= 1.15
    return weight


def _lead_opening(candidates: list[str], budget: int) -> str:
    """The opening news sentence leads; later sentences fill the budget in order.

    The opening story sentence always leads: photo captions (a line ending in a
    credit), bylines, datelines, "Updated …" lines and teaser fragments are skipped,
    and so is a long quotation at the top. After it, sentences are taken in reading
    order whenever they fit the remaining budget, so leftover budget goes to a shorter
    later sentence rather than being left unused; sentences that are mostly a
    quotation only fill a thin lead. Order is kept, so the lead reads as prose.
    """
    if not candidates:
        return ""
    first = candidates[0]
    if _words(first) > budget:
        return _fit(first, budget)
    picked = [0]
    used = _words(first)
    quotes: list[int] = []
    for index in range(1, len(candidates)):
        n = _words(candidates[index])
        if used + n > budget:
            continue
        if _quote_share(candidates[index]) > 0.5:
            quotes.append(index)
            continue
        picked.append(index)
        used += n
    # Quotations only fill what the facts left over, and only a thin lead.
    for index in sorted(quotes):
        n = _words(candidates[index])
        if used + n <= budget and used < budget * 0.6:
            picked.append(index)
            used += n
    picked.sort()
    return " ".join([first] + [candidates[i] for i in picked[1:]])


# --- identity ------------------------------------------------------------------------


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", _clean(text)).casefold()


def _item_id(article: Article) -> str:
    """Same article, same id, never from the path or the clock.

    In order of trust: the identity the source states (a feed entry's guid), its URL,
    else the whole article as written (stated title and every block, normalised).
    Hashing all of the text, not just the opening, means two articles that open alike
    (a daily column with a fixed first paragraph) are never mistaken for one, at the
    price that an edited article counts as new. Nothing the summariser derives goes
    in, so a better title or heading rule never makes a published article look new.
    """
    if article.key and article.key.strip():
        basis = "key\n" + article.key.strip()
    elif article.url and article.url.strip():
        basis = "url\n" + article.url.strip()
    elif article.blocks:
        texts = [article.title or "", *(block.text for block in article.blocks)]
        basis = "text\n" + _normal(" | ".join(texts))  # one pass over the whole text
    else:
        basis = "empty\n" + _normal(article.title or "") + "\n" + article.source
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def article_id(article: Article) -> str:
    """The id of ``article``'s item, without summarising it (see ``_item_id``)."""
    return _item_id(article)


def has_text(article: Article) -> bool:
    """Whether ``article`` has something to summarise beyond a title, cheaply.

    For counting the articles that wait without summarising them: it stops at the
    second line that is not boilerplate. An article of boilerplate alone has none; a
    one-line article is summarised to find out.
    """
    lines = 0
    for block in article.blocks:
        text = _clean(block.text)
        if text and not is_boilerplate(text):
            lines += 1
            if lines == 2 or article.title:
                return True
    return lines == 1 and bool(summarise(article).lead)
