"""The item's title: stated, found in the body, or derived from the first sentence.

This module owns reducing a sentence to its main clause (datelines, attributions,
asides and openings go), making a headline of it (``derive_title``: headline style,
then cut at a phrase boundary) and the order of trust between the title sources
(``choose_title``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from digest.summarise.boilerplate import strip_dateline
from digest.summarise.filler import is_filler, without_label
from digest.summarise.headlinese import SUBJECT_PREPOSITIONS, headlinese, main_verb
from digest.summarise.languages import LanguageProfile
from digest.summarise.lead import LEAD_REGION_SENTENCES
from digest.summarise.phrases import (
    ELLIPSIS,
    PHRASE_STARTERS,
    drop_dangling,
    drop_dangling_in,
    is_dangling,
    keep_particle,
    of_cut,
    phrase_cut,
    starts_modifier,
)
from digest.summarise.verbs import (
    AUXILIARIES,
    COMMON_VERBS,
    REPORTING_VERBS,
    is_irregular_past,
    is_participle,
    is_past_only,
)
from digest.summarise.words import (
    NAME_PARTICLES,
    OWN_SUBJECT_RELATIVES,
    RELATIVES,
    WORD_EDGE,
    clean_line,
    count_words,
    plain_word,
    word_set,
)

TITLE_MAX_WORDS = 12
HEADLINE_WORDS = 10
"""A derived title longer than this is shortened at a phrase boundary when it can be."""
_SUBJECT_WORDS = 6
"""A subject longer than this keeps its head and what fits of its modifiers."""
_SHORTEST_LONG_SUBJECT = 3
"""A subject of more words than this may be shortened when only that spares "…"."""
_APPOSITIVE_WORDS = 8
"""An appositive ending an opening adjunct is at most this long ("…, SVU star March,")."""

# Attributions: ", according to a report by Bloomberg", ", officials said" at the end,
# or ", its directors said on Friday, with …" before a trailing adjunct (cut there too).
_TRAILING_ATTRIBUTION = re.compile(
    r"""(?:,\s*|\s+(?=according\ to\b))(?:
        according\ to\b.*
      | (?:as\ )?(?:\S+\s+){0,8}?(?:said|says|say|reported|reports|report|announced
          |announces|told\s+\S+(?:\s+\S+){0,3}|confirmed|revealed|claimed|claims
          |warned|warns|added|stated|noted|wrote|insisted|heard|learned|learnt
          |understood|believed|suggested|suggests|predicted|estimated|estimates|argued|argues
          |show|shows|showed|shown|ruled|found|finds|concluded|concludes|indicate|indicates)
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
        |speaking|writing|meanwhile|however|today|yesterday|now
        |(?:\S+\s+){1,4}?(?:after|before|since)\s+(?!\S+,)
        )\b(?:[^,]|,\s\d{1,3},\s){0,90},\s+""",
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
    r"""^(?:there(?:'s|’s|\s+(?:is|was|can\s+be))\s+(?:no|little)\s+(?:doubt|question|denying)
      |there\s+(?:is|are|was|were|has\s+been|have\s+been|remains?|seems?\s+to\s+be)
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
# Openings that say nothing on their own: "There is no doubt.", "Make no mistake."
_EMPTY_OPENING = re.compile(
    r"""^(?:there(?:'s|’s|\s+(?:is|was|can\s+be))\s+(?:no|little)\s+(?:doubt|question)
        (?:\s+about\s+(?:it|that))?
      |make\s+no\s+mistake|believe\s+it\s+or\s+not|let(?:'s|’s|\s+us)\s+face\s+it
      |guess\s+what|(?:it|this)(?:'s|’s|\s+is)\s+(?:official|true|happening)
      |you\s+(?:read|heard)\s+(?:that|it)\s+right)[.!…]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A field's label opening a line, "Playing colours: red and white": a capitalised word
# and one or two lower-case ones (not "At a glance:", not a name like "Brexit:").
_FIELD_LABEL = re.compile(r"^[A-Z][a-z]+(?:\s+[a-z]+){1,2}:(?:\s|$)")
_QUESTION_WORDS = AUXILIARIES | word_set("what why how who where when which whose whom")
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you’re|yourself)\b", re.IGNORECASE)
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
    r",\s+(?:who|which|whose|where|including|such\s+as)\b[^,;]{1,140}(?:,[^,;]{1,60}){0,3},\s+"
    r"(?=" + _FINITE + ")"
)
# "Parmalat, the Italian food group at the centre of …, has reported": a long
# description after a name, up to the main verb.
_DESCRIPTION_ASIDE = re.compile(
    r"^(?P<name>[A-Z][^,]{0,40}),\s+(?:the|a|an)\s+[^,;]{1,120},\s+"
    r"(?=" + _FINITE + r"|[a-z]{3,}(?:ed|es|s)\b)"
)
# "Richey Edwards, guitarist and lyricist for the Manic Street Preachers, vanished":
# a description without an article, up to a verb in the past.
_BARE_DESCRIPTION_ASIDE = re.compile(
    r"^(?P<name>[A-Z][^,]{0,40}),\s+(?=[a-z])[^,;]{1,120},\s+(?=" + _FINITE + r"|[a-z]{3,}ed\b)"
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
# "DJ Norman Cook - aka Fatboy Slim - has said": an aside between dashes, before the
# rest of the clause (which goes on in lower case).
_DASH_ASIDE = re.compile(r"\s+[-–—]\s+(?:(?!\s[-–—]\s).){1,140}?\s+[-–—]\s+(?=[a-z])")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.IGNORECASE)

# Time adjuncts a headline leaves off its end: "on Tuesday", "this year", "in 2004".
_MONTH = (
    "(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
# Only a month names a date after a day's number: the pattern ignores case, so a bare
# "[A-Z][a-z]+" would read "from 12 launched" as one and drop the verb.
_TRAILING_TIME = re.compile(
    rf"""\s+(?:(?:on|by|from|until|since)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day
          |\d{{1,2}}\s+{_MONTH})(?:\s+(?:morning|afternoon|evening|night))?
        |(?:earlier\s+|later\s+)?(?:this|last|next)\s+(?:year|week|month|weekend|morning
          |afternoon|evening|night|spring|summer|autumn|winter|season|decade|century)
        |in\s+(?:the\s+)?(?:\d{{4}}|(?!may\b){_MONTH}|[A-Z][a-z]+\s+\d{{4}})
        |(?:yesterday|today|tonight|recently|now|overnight|so\s+far)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_TRAILING_TIME_WORDS = 4
# A time adverb between the subject and its verb, which a headline leaves out:
# "Cameron this morning launched", "The charity yesterday claimed".
_INLINE_TIME = re.compile(
    r"""(?<=\S)\s+(?:(?:this|yesterday|last|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)
        \s+(?:morning|afternoon|evening|night)|yesterday|today|tonight)(?=\s+[a-z])""",
    re.IGNORECASE | re.VERBOSE,
)
# A discourse marker inside the clause, which a headline has no room for: "had in fact
# found", "is, of course, the".
_INLINE_FILLER = re.compile(r"(?<=[a-z]),?\s+(?:in\s+fact|of\s+course),?(?=\s+[a-z])")
# Every ``_INLINE_TIME`` ends in one of these ("tonight" in "night"); in ASCII text,
# where ignoring case is lower-casing, a text without them has none.
_INLINE_TIME_WORDS = ("morning", "afternoon", "evening", "night", "yesterday", "today")
# Words a time adverb cannot follow and be left out: "until this morning", "on today's".
_BEFORE_TIME_OBJECT = word_set(
    "on until since by from before after for of at in to than as and or but since during"
    " over within throughout"
)
# Openings whose subject names no one: a pronoun, an expletive "there", a pointer at a
# picture ("These incredible photos"), "Every year". The title comes from the first
# sentence that names its subject.
_UNNAMED_SUBJECTS = word_set(
    """it it's it’s there there's there’s they they're they’re we we're we’re i i'm
    i’m you you're you’re he he's he’s she she's she’s these those here here's here’s
    every others"""
)
# Openings of a clause that is not the main one: "While it emerges …", "Not even …".
_SUBORDINATE_OPENINGS = word_set(
    "while when whenever although though because if unless whether not"
)
# Words that open a clause of time or cause, whose verb is not a reported clause's.
_CLAUSE_OPENERS = word_set(
    "when whenever while although though because if unless after before since until as"
)
# An age opening what is left ("28, moved into …"): its name went with an aside.
_AGE_OPENING = re.compile(r"^\d{1,3},")
# A trailing-off "..." inside a sentence, before a new one: "Long, long time ago...
# Those five words".
_TRAILING_OFF = re.compile(r"(?:\.\.\.|…)[\"”’']?\s+(?=[A-Z])")
# A report with its words after a colon, in quotation marks: "Police said: "The man
# is dangerous."", "The mayor warned: “…”". The report opens the sentence.
_INTRODUCED_QUOTE = re.compile(
    r"^(?P<report>[A-Z][^:;\"“”]{2,60}?\s(?:said|says|warned|warns|added|adds|insisted"
    r"|insists|declared|declares)):\s+(?P<open>[\"“])(?P<words>[^\"“”]{3,200})[\"”]?$"
)
# Where a main clause gives way to a subordinate clause or an adjunct phrase (the
# spaces before it go with it: see ``_first_clause``).
_CLAUSE_BREAK = re.compile(r"[;:–—]|\s-\s|,\s+(?:which|who|whose|where|while|but|and|as)\b")


def _main_clause(sentence: str) -> tuple[str, bool]:
    """The sentence reduced to its main clause, before headline style, and whether that
    clause lacks a subject (it opens with a verb: "went on to run …")."""
    text = _without_asides(_without_openings(clean_line(sentence)))
    if "fact" in text or "course" in text:  # "in fact", "of course": rarely there
        text = _INLINE_FILLER.sub("", text)
    text = _without_inline_time(text)
    text = text.rstrip(" .!?…")
    attribution = _TRAILING_ATTRIBUTION.search(text)
    if attribution and count_words(text[: attribution.start()]) >= 3:
        text = text[: attribution.start()]
    introduced = _INTRODUCED_QUOTE.match(text) if ": " in text else None
    if introduced and count_words(text) <= TITLE_MAX_WORDS:
        # "Police said: "The man is dangerous."": what was said is the report's object,
        # marks and all, when the title has room for it whole.
        quote = introduced.group("words").rstrip(" .!?…,")
        mark = "”" if introduced.group("open") == "“" else '"'
        text = f"{introduced.group('report')} {introduced.group('open')}{quote}{mark}"
        return _LEADING_ARTICLE.sub("", text, count=1), False
    clause = _first_clause(text)
    if count_words(clause) >= 3:
        text = clause
    text = text.strip(" ,;:–—-\"“”'‘’")
    subjectless = _opens_with_verb(text)
    # Headlines drop the leading article ("The Tories are to back …").
    text = _LEADING_ARTICLE.sub("", text, count=1)
    return text, subjectless


def _first_clause(text: str) -> str:
    """``text`` up to its first ``_CLAUSE_BREAK``, without the spaces before it. (The
    break is searched for alone and the spaces stripped after: a pattern opening with
    optional spaces would be tried at every position of the sentence.)"""
    found = _CLAUSE_BREAK.search(text)
    return text[: found.start()].rstrip() if found else text


def _without_openings(text: str) -> str:
    """``text`` without what opens it before the news: a dateline, an attribution, an
    adjunct, a connective, an existential "There are fears that"."""
    text = strip_dateline(text)
    text = _LEADING_ATTRIBUTION.sub("", text, count=1)
    stripped = _LEADING_ADJUNCT.sub("", text, count=1)
    if stripped != text:
        # What is left must hold a clause of its own before its first break ("…, Law &
        # Order: SVU actress …" does not) — unless a name closing the adjunct comes first.
        clause = _after_adjunct_appositive(stripped)
        if clause:
            text = clause
        elif count_words(_first_clause(stripped)) >= 4:
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
    return text


def _after_adjunct_appositive(text: str) -> str:
    """The main clause after a name or description that ends an opening adjunct, set
    off by commas: "[Just one day after Flay separated from his wife,] Law & Order: SVU
    star Stephanie March, the famous chef has filed for divorce" → "the famous chef has
    filed …". "" when what follows the comma is no clause with a subject of its own."""
    aside, _, rest = text.partition(", ")
    if not _LEADING_ARTICLE.match(rest) or count_words(aside) > _APPOSITIVE_WORDS:
        return ""  # "Britain, France and Germany have …" is a list, not an aside
    if main_verb(aside.split()) >= 0 or count_words(_first_clause(rest)) < 4:
        return ""
    # The verb comes before the next comma: "…, the captain, said" has the aside after.
    return rest if main_verb(rest.split(", ", 1)[0].split()) >= 0 else ""


def _without_inline_time(text: str) -> str:
    """ "Cameron this morning launched an attack" → "Cameron launched an attack": a time
    adverb before the verb goes (not the object of a preposition: "until today")."""

    def drop(match: re.Match[str]) -> str:
        before = text[: match.start()].split()
        after = text[match.end() :].split(maxsplit=1)[0]
        # Before the verb only: "marched peacefully | yesterday morning beside …" keeps it.
        verb = after in AUXILIARIES or is_participle(after) or after in COMMON_VERBS
        if not verb or (before and plain_word(before[-1]) in _BEFORE_TIME_OBJECT):
            return match.group(0)
        return ""

    if text.isascii() and not any(word in text.lower() for word in _INLINE_TIME_WORDS):
        return text  # most sentences name no time of day: no search needed
    return _INLINE_TIME.sub(drop, text)


def _without_asides(text: str) -> str:
    """``text`` without parentheses, asides between dashes in the subject, relative
    clauses and descriptions set off by commas (a name restated by its description
    keeps the name)."""
    if "(" in text:
        text = _PARENTHETICAL.sub("", text)
    for _ in range(2):  # "Mr Smith - a teacher - and his wife - a nurse - have …"
        dashes = _DASH_ASIDE.search(text) if " - " in text or " – " in text else None
        # Only in the subject: not "Blair says the plan - which failed - was good".
        if not dashes or main_verb(text[: dashes.start()].split()) >= 0:
            break
        text = text[: dashes.start()] + " " + text[dashes.end() :]
    if "," not in text:
        return text  # every aside below is set off by a comma
    text = _LONG_ASIDE.sub(" ", text, count=1)
    text = _DESCRIPTION_ASIDE.sub(r"\g<name> ", text, count=1)
    bare = _BARE_DESCRIPTION_ASIDE.match(text)
    if bare and main_verb(bare.group("name").split()) < 0:
        # Not "Sales grew by 8% in 2004, best since 2000, figures show".
        text = bare.group("name") + " " + text[bare.end() :]
    text = _RELATIVE_ASIDE.sub(" ", text)
    named = _NAMED_APPOSITIVE.match(text)
    if named and _is_plain_description(named.group("desc")):
        return (named.group("pre") or "") + named.group("name") + " " + text[named.end() :]
    return _APPOSITIVE.sub(" ", text, count=1)


def _is_plain_description(phrase: str) -> bool:
    """A plain description a name can stand for ("India's largest power producer"): a
    noun phrase of a few words, without a verb or a preposition of its own ("the
    manager of Johnny Cash" is about someone else too)."""
    words = phrase.split()
    if not 2 <= len(words) <= 8:
        return False
    return not any(
        w in PHRASE_STARTERS or w in SUBJECT_PREPOSITIONS or w in AUXILIARIES or w in COMMON_VERBS
        for w in words
    )


def _opens_with_verb(text: str) -> bool:
    """ "went on to run …", "has also been …": a clause whose subject went before."""
    first = text.split(maxsplit=1)[0] if text else ""
    if not first.isalpha() or not first.islower():
        return False
    return (
        first in AUXILIARIES
        or is_irregular_past(first)
        or is_participle(first)
        or first in COMMON_VERBS
        or (first.endswith("s") and first[:-1] in COMMON_VERBS)
        or first in ("goes", "went")
    )


def derive_title(
    sentence: str, max_words: int = TITLE_MAX_WORDS, following: Iterable[str] = ()
) -> str:
    """A headline from a first sentence: its main clause, at most ``max_words`` words.

    Datelines, attributions, asides and the leading article go; the rest is put in
    headline style (see ``headlinese``: present tense without auxiliaries, no
    articles, people by surname). Past about ten words it ends after the verb's first
    phrase; an over-long clause is cut at a phrase boundary (a preposition, a relative
    or subordinate clause, a participle), and only with no boundary at all at the word
    limit with "…". Never ends on a dangling word, nor on a verb whose particle follows
    ("rein | in"). An opening connective ("But", "Still,") goes; an existential opening
    ("There are fears that X", "It emerged that X") gives way to X; a description
    restated by a name after a comma gives way to the name. When what is left has no
    subject ("went on to run …"), the first of ``following`` (the next sentences of the
    lead, read only that far) that has one is used instead. Returns "" when nothing is
    left.
    """
    text = _clause_with_subject(sentence, following)
    raw = text.split()
    words, verb, cut = _headline_cut(raw, max_words, far=True)
    if cut[1] and main_verb(raw) < 0:
        # A verb found far into the clause (see ``headlinese``) that still leaves "…":
        # the clause read without it may end on a phrase ("Film that follows group of
        # alienated youth | in Paris suburb…").
        near = _headline_cut(raw, max_words, far=False)
        if not near[2][1]:
            words, verb, cut = near
    # The same words cut the same way: the cut is not made twice (it is pure).
    full = words
    words, ellipsis = cut
    if ellipsis and verb < 0:
        # A present tense the rules did not know, after a name: "… Harbour City Council
        # | defends 10 per cent …". Knowing it lets the subject be shortened below.
        verb = _present_after_name(full)
        words, ellipsis = _cut(full, max_words, verb)
    if ellipsis:
        # First, the descriptions of names go: "… investigates troubled insurance
        # broker Marsh & McLennan's shareholder…" → "… investigates Marsh & McLennan's
        # shareholder transactions" (the name says who).
        named, named_verb = _without_descriptions(full, verb, max_words)
        if named is not full:
            full, verb = named, named_verb
            words, ellipsis = _cut(full, max_words, verb)
    if ellipsis:
        # The last resort before "…": an "of" phrase after the object goes.
        at = of_cut(full, max_words, verb)
        if at:
            words, ellipsis = full[:at], False
    if ellipsis:
        # Then what a report says, alone, when it fits whole: "Health officials in West
        # Africa say number of people infected with Ebola…" → "Number of people
        # infected with Ebola virus passes 10,000".
        reported = _reported_title(raw, max_words)
        if reported:
            return reported
        # Last, a subject of a few words ends where its modifier starts, when only then
        # the rest fits whole: "Residents of small village [in Cornwall] told they must
        # wait another six months".
        shorter, at = _shorter_subject(full, verb, max_words, _SHORTEST_LONG_SUBJECT)
        if shorter is not full:
            recut, recut_ellipsis = _cut(shorter, max_words, at)
            if not recut_ellipsis:
                words, ellipsis, full = recut, False, shorter
    words = drop_dangling(words)
    if not ellipsis:
        words = drop_dangling(_without_trailing_time(words))
    words = keep_particle(words, full, max_words)
    if not words:
        return ""
    title = _balance_quotes(" ".join(words).strip(" ,;:–—-"))
    title = title[0].upper() + title[1:]
    return title + ELLIPSIS if ellipsis else title


# Words after which an "-s" word is a noun, not a present tense: "of | plans",
# "and | rises", "to | talks".
_NOT_BEFORE_PRESENT = (
    SUBJECT_PREPOSITIONS
    | PHRASE_STARTERS
    | AUXILIARIES
    | word_set("and or but the a an his her its their our my new")
)
# Words that open a verb's object in headline style (the articles are gone already).
_OBJECT_STARTS = word_set("his her its their our my him them it us")


def _present_after_name(words: list[str]) -> int:
    """The index of a present tense right after a name or a noun, taking an object:
    "Harbour City Council | defends 10 per cent rise", "… supermarket chains | defends
    10 per cent …", "Reid | backs Harbour bid" (not "Harbour Valley farmers | protest",
    whose "-s" word is a plural noun). -1 when none."""
    for k in range(1, len(words) - 1):
        before, word, following = words[k - 1], words[k], words[k + 1]
        if (
            plain_word(before) not in _NOT_BEFORE_PRESENT
            and not before.endswith(("'s", "’s", ","))
            and word.isalpha()
            and word.islower()
            and word.endswith("s")
            and not word.endswith(("ss", "us", "is"))
            and (following[:1].isupper() or following[:1].isdigit() or following in _OBJECT_STARTS)
        ):
            return k
    return -1


# Lower-case words inside a name, between its capitalised words: "Top of the Pops",
# "Theo van Gogh", "Marsh & McLennan".
_NAME_JOINERS = NAME_PARTICLES | word_set("of the &")
# Lower-case words that may follow a name and end its noun phrase: a preposition, a
# particle ("throws The Game | out of …"), an auxiliary or an infinitive's "to".
_AFTER_NAME = (
    PHRASE_STARTERS
    | SUBJECT_PREPOSITIONS
    | AUXILIARIES
    | word_set("to out up down off back away and or but")
)
# Words that cannot describe a name: a description is nouns and adjectives only.
_NOT_DESCRIPTIVE = _AFTER_NAME | COMMON_VERBS | word_set("the a an")


def _without_descriptions(words: list[str], verb: int, max_words: int) -> tuple[list[str], int]:
    """ "US rap star 50 Cent throws protege The Game out of G-Unit gang" → "50 Cent
    throws The Game out of G-Unit gang": descriptions right before names go, as few
    as spare "…", the earliest first. Returns ``words`` itself (and ``verb``) when no
    such cut spares it, else the words and the verb's new index."""
    spans = _descriptions(words, verb)
    for count in range(1, len(spans) + 1):
        dropped = {k for start, end in spans[:count] for k in range(start, end)}
        shorter = [w for k, w in enumerate(words) if k not in dropped]
        at = verb - sum(1 for k in dropped if k < verb) if verb >= 0 else -1
        if not _cut(shorter, max_words, at)[1]:
            return shorter, at
    return words, verb


def _descriptions(words: list[str], verb: int) -> list[tuple[int, int]]:
    """The spans (start, end) of descriptions right before a name that ends its noun
    phrase: "troubled insurance broker | Marsh & McLennan's", "protege | The Game".
    A description starts a phrase (at the title's start, after the verb, a preposition
    or a possessive); only at the title's start may it hold capitals ("US rap star",
    "Ex-No 10 media chief"), as its first words are capitalised anyway."""
    spans: list[tuple[int, int]] = []
    for start in range(len(words) - 1):
        if start and not _opens_phrase(words[start - 1], start - 1 == verb):
            continue
        end = _description_end(words, start, verb)
        if end in (start, verb, len(words)) or not _names_here(words, end, verb):
            continue
        if not spans or spans[-1][1] <= start:
            spans.append((start, end))
    return spans


def _opens_phrase(word: str, is_verb: bool) -> bool:
    """Whether a noun phrase can start after ``word``: the verb, a preposition or a
    possessive ("Theo van Gogh's | controversial film Submission")."""
    return is_verb or plain_word(word) in SUBJECT_PREPOSITIONS or word.endswith(("'s", "’s"))


def _description_end(words: list[str], start: int, verb: int) -> int:
    """Where a description from ``start`` ends: after its last noun or adjective in
    lower case (``start`` itself when there is none). At the title's start, capitals
    and numbers before its first lower-case word belong to it ("US | rap star",
    "Ex-No 10 | media chief"); a capital after one is the name ("rap star | 50 Cent",
    "Murdered director | Theo van Gogh's")."""
    end, last = start, start
    while end < len(words) and end != verb and not words[end].endswith(","):
        word = words[end]
        if word.islower() and word.replace("-", "").isalpha():
            if word in _NOT_DESCRIPTIVE:
                break
            last = end + 1
        elif start > 0 or last > start or word.endswith(("'s", "’s")):
            break
        end += 1
    return last


def _names_here(words: list[str], at: int, verb: int) -> bool:
    """Whether a name starts at ``at`` ("Marsh & McLennan's", "50 Cent", "The Game")
    and ends its noun phrase: the title's end, a possessive, the verb or a word that
    follows a noun phrase comes next (not "England | manager Roy Hodgson")."""
    k = at + 1 if words[at][:1].isdigit() else at  # "50 Cent"
    if k >= len(words) or not words[k][:1].isupper():
        return False
    k += 1
    while k < len(words) and not words[k - 1].endswith(("'s", "’s", ",")):
        if words[k][:1].isupper():
            k += 1
        elif words[k] in _NAME_JOINERS and k + 1 < len(words) and words[k + 1][:1].isupper():
            k += 2
        else:
            break
    if k == len(words) or k == verb or words[k - 1].endswith(("'s", "’s", ",")):
        return True
    return plain_word(words[k]) in _AFTER_NAME


# Verbs that report a clause, in headline tense ("say", "warns", "told"), for
# ``_reported_title``.
_REPORTS = REPORTING_VERBS | word_set(
    """warn claim insist believe think argue admit announce confirm reveal reveals
    revealed show shows showed suggest suggests suggested fear fears feared find finds
    found predict predicts predicted discover discovers discovered learn learns learned"""
)
_REPORTED_SUBJECT_WORDS = 12
"""How far into a title the report's verb may stand (a reporter's long description)."""


def _reported_title(words: list[str], max_words: int) -> str:
    """The title of the clause a report reports, when the report with its reporter does
    not fit: "[Organisers of London Marathon say] record number of people apply to take
    part in next year's race". "" when there is no such clause, when it opens with a
    pronoun (its subject is the reporter's: "they must wait …"), or when it needs "…"
    too."""
    at = next(
        (
            k
            for k in range(1, min(len(words) - 3, _REPORTED_SUBJECT_WORDS))
            if words[k] in _REPORTS and not words[k - 1].endswith(",")
        ),
        0,
    )
    if not at:
        return ""
    rest = words[at + 1 :]
    # A verb by its auxiliary or its "that" ("has warned that"), its place as the main
    # verb, or what follows it ("say a record number …"): not "claim | accusing", "show |
    # goes on air", nouns.
    report = (
        rest[0] == "that"
        or words[at - 1] in AUXILIARIES
        or at == main_verb(words)
        or rest[0][:1].isupper()
        or rest[0][:1].isdigit()
        or plain_word(rest[0]) in _CLAUSE_STARTS
    )
    if rest[0] == "that":
        rest = rest[1:]
    if not report or len(rest) < 4 or not rest[0][:1].isalnum() or main_verb(rest) < 0:
        return ""
    clause = " ".join(rest)
    if _names_no_subject(clause) or _opens_with_verb(clause):
        return ""
    title = derive_title(clause, max_words)
    if title.endswith(ELLIPSIS) or count_words(title) < 4:
        return ""
    # A pronoun in what is reported stands for the reporter ("corruption has cost it
    # 1bn"): without the reporter it would say nothing.
    # Lower case only: "US" is no pronoun.
    back = any(w.strip(WORD_EDGE) in _BACK_REFERENCES for w in title.split()[1:])
    return "" if back else title


# Words opening a reported clause after a verb that may also be a noun ("say a record
# number …", not "claim accusing …").
_CLAUSE_STARTS = word_set("the a an some many more most few all no this these those every")
_BACK_REFERENCES = word_set("it its he him his she her they them their we us our me my") | {"I"}


def _headline_cut(
    words: list[str], max_words: int, far: bool
) -> tuple[list[str], int, tuple[list[str], bool]]:
    """The clause in headline style, its verb's index, and its cut (see ``_cut``), with
    a shorter subject when only that spares "…"."""
    words, verb = headlinese(words, far)
    words, verb = _without_examples(words, verb)
    cut = _cut(words, max_words, verb)
    if cut[1]:
        # Only a cut mid-clause calls for it: a whole subject says more.
        shorter, verb = _shorter_subject(words, verb, max_words)
        if shorter is not words:
            words, cut = shorter, _cut(shorter, max_words, verb)
    return words, verb, cut


def _clause_with_subject(sentence: str, following: Iterable[str]) -> str:
    """The main clause of ``sentence``, or when it has no subject that of the first of
    ``following`` that has one."""
    pieces = _TRAILING_OFF.split(sentence) if "..." in sentence or "…" in sentence else []
    if len(pieces) > 1 and _is_fragment(pieces[0]):
        # "Long, long time ago... Those five words …": the fragment is no clause.
        sentence, following = pieces[1], chain(pieces[2:], following)
    text, subjectless = _main_clause(sentence)
    if subjectless or _names_no_subject(text):
        # "Then went on to run …", "There are few things more beautiful than …", "It
        # was pretty impressive": the next sentence of the lead that names its subject.
        for other in islice(following, LEAD_REGION_SENTENCES):
            clause, lacks = _main_clause(other)
            if not lacks and _opens_with_subject(clause) and count_words(clause) >= 3:
                return clause
    return text


def _is_fragment(text: str) -> bool:
    """Words without a verb that trail off before a sentence: "Long, long time ago..."
    (not a name in capitals: "I'm A Celebrity... Get Me Out Of Here")."""
    words = text.split()
    return main_verb(words) < 0 and not any(word[:1].isupper() for word in words[1:])


def _names_no_subject(clause: str) -> bool:
    """Whether a main clause opens without naming its subject: a pronoun, an expletive
    ("There are", "It was"), a pointer ("These photos", "This is"), or an age left by a
    name that went ("28, moved into …"). Not a title in capitals ("I'm A Celebrity")."""
    words = clause.split(maxsplit=2)
    if not words:
        return False
    first, second = words[0].lower(), words[1] if len(words) > 1 else ""
    if first in ("this", "that"):
        return second in AUXILIARIES  # "This is …", not "This third film brought …"
    if first in _SUBORDINATE_OPENINGS:
        return True  # "While it emerges …", "Not even …": no main clause yet
    if first == "as":
        # "As Tory spokesman Oliver Letwin said - …", not "As many as 500 jobs …"
        return plain_word(second) not in ("many", "much", "few", "little", "well", "of")
    if first in _UNNAMED_SUBJECTS:
        return not second[:1].isupper()
    return bool(_AGE_OPENING.match(clause))


def _opens_with_subject(clause: str) -> bool:
    """Whether a clause opens with a subject that names someone or something and has a
    verb: not a pronoun, nor an adjunct or a participle left at its start ("In most
    cases, we …", "Dotted among the scrub, …", "Gone are …")."""
    words = clause.split()
    if not words or _names_no_subject(clause):
        return False
    if len(words) > 1 and all(len(w) > 2 and w.isupper() for w in words[:2]):
        return False  # "EXPERT VERDICT: …": a label in capitals
    first = plain_word(words[0])
    return not (
        first in SUBJECT_PREPOSITIONS
        or first in PHRASE_STARTERS
        or first in AUXILIARIES
        or is_participle(first)
        or first.endswith("ing")
        or words[0].endswith(",")
    )


def _cut(words: list[str], max_words: int, verb: int) -> tuple[list[str], bool]:
    """The headline's words cut to length, and whether the cut needs "…" (no phrase
    boundary came within ``max_words``). ``verb`` is the main verb's index or -1."""
    if len(words) > HEADLINE_WORDS:
        shorter = _without_trailing_time(words)
        if len(shorter) > verb:  # the time follows the verb, never takes it away
            words = shorter
    reported = _reported_verb(words, verb)
    if reported != verb:
        # A report is cut after what it reports, never before: "Cameroon says
        # corruption | in …" would say nothing.
        return _cut(words, max_words, reported)
    if len(words) > HEADLINE_WORDS:
        # Past a headline's usual length, end after the verb's first phrase:
        # "US retail sales fell 0.3% | in January, the biggest …".
        cut = phrase_cut(words, max_words, shortest=4, latest=False, verb=verb)
        if cut:
            words = words[:cut]
    if len(words) > max_words:
        # Still too long: a day or a period inside the clause goes too ("to decide on
        # Friday whether …").
        words, verb = _without_inner_time(words, verb)
    if len(words) <= max_words:
        return words, False
    cut = phrase_cut(words, max_words, verb=verb) or phrase_cut(
        words, max_words, shortest=3, verb=verb, weak=True
    )
    if not cut and verb < 0:
        # No verb the rules know ("Germans think of …"): a whole phrase still reads
        # better than "…" at the word limit.
        cut = phrase_cut(words, max_words, shortest=5, need_verb=False) or phrase_cut(
            words, max_words, shortest=5, need_verb=False, weak=True
        )
    if cut:
        return words[:cut], False
    return words[:max_words], True


def _without_examples(words: list[str], verb: int) -> tuple[list[str], int]:
    """ "Stars including Spike Lee and Alan Alda pay tribute" → "Stars pay tribute": the
    examples in a subject go (the verb agrees with the noun they illustrate)."""
    at = next((k for k in range(1, max(0, verb)) if words[k] == "including"), 0)
    if not at:
        return words, verb
    return [*words[: at - 1], words[at - 1].rstrip(","), *words[verb:]], at


def _shorter_subject(
    words: list[str],
    verb: int,
    max_words: int = TITLE_MAX_WORDS,
    longer_than: int = _SUBJECT_WORDS,
) -> tuple[list[str], int]:
    """ "Lawsuit accusing country's biggest oil companies of hiding … | thrown out by
    court" → "Lawsuit thrown out by court": a subject too long for a headline ends
    where a modifier starts, as late as ``_SUBJECT_WORDS`` allow, so that the title
    keeps the verb and its object — or earlier, when only there the rest fits in
    ``max_words`` without "…" ("Senior doctor | facing sexual assault allegations |
    accused of groping …"). Returns the words and the verb's new index."""
    # A relative clause's own verb does not count: the subject ends before it anyway
    # ("Owner of restaurant in Harbourside | where 40 diners fell ill …").
    if verb <= longer_than:
        return words, verb
    relative = next((k for k in range(1, verb) if words[k] in _RELATIVE_WORDS), verb)
    if _has_finite_verb(words[:relative]):
        return words, verb  # a clause before the verb: not a noun phrase to shorten
    keeps = [k for k in _subject_ends(words) if k < verb]
    if not keeps:
        return words, verb

    def shortened(keep: int) -> list[str]:
        return [*words[: keep - 1], words[keep - 1].rstrip(","), *words[verb:]]

    # The latest end whose title needs no "…", else the latest end.
    keep = next((k for k in reversed(keeps) if not _cut(shortened(k), max_words, k)[1]), keeps[-1])
    return shortened(keep), keep


def _subject_ends(words: list[str]) -> list[int]:
    """Where a long subject can end, earliest first: before a modifier, within
    ``_SUBJECT_WORDS`` words (see ``_shorter_subject``)."""
    ends: list[int] = []
    opened = False  # a modifier has started: a later "of" belongs to it
    for k in range(1, _SUBJECT_WORDS + 1):
        before, word = words[k - 1], words[k]
        if before.endswith(","):
            # "Combination of bad weather, | rising costs …" ends inside a modifier;
            # "Governments, | aid agencies …" is a list, "Solidere, | Lebanese firm …"
            # an aside: the subject ends at the comma or not at all.
            if opened and k >= 2:
                ends.append(k)
            break
        if opened and k >= 2 and _joins_nouns(words, k):
            # "Book about evolution of mutants | and science of abnormality": the
            # modifier's second noun goes, as a second item of a list would.
            ends.append(k)
            break
        starts = starts_modifier(words, k)
        if starts and _inside_name(words, k):
            continue  # "Top | of the Pops"
        if (
            starts
            and k >= 2
            and not (opened and plain_word(word) == "of")
            and not _is_modifier_word(before)
            # "Investors unhappy | with the bid": the adjective needs its phrase.
            and plain_word(before) not in _PHRASE_ADJECTIVES
            # "Woman falsely | accused of …": the adverb goes with the participle.
            and not (before.endswith("ly") and word.islower() and word.endswith(("ed", "ing")))
        ):
            ends.append(k)
        if starts:
            opened = True
            if plain_word(word) in ("who", "which", "that", "whose", "where"):
                break  # what a relative clause says stays whole or goes whole
    return ends


_RELATIVE_WORDS = RELATIVES | OWN_SUBJECT_RELATIVES
# Adjectives that follow a noun with a phrase of their own, as a modifier: "investors
# unhappy with", "people eligible for", "firms keen to".
_PHRASE_ADJECTIVES = word_set(
    """unhappy happy angry furious upset keen eager unable able eligible responsible
    liable aware critical opposed close due ready willing unwilling concerned worried
    anxious desperate determined reluctant likely unlikely guilty"""
)


def _has_finite_verb(words: list[str]) -> bool:
    """Whether ``words`` have a verb of their own ("Sri Lanka faces a bill … after the
    tsunami which | killed"): then the verb found later is not the subject's."""
    return any(
        word.islower()
        and before != "to"  # "plan to | cut the number": an infinitive, not finite
        and (
            is_past_only(word)
            # "plan | by the council", "plans | for homes": a noun before its phrase.
            or (word in COMMON_VERBS and following not in SUBJECT_PREPOSITIONS)
        )
        for before, word, following in zip(words, words[1:], [*words[2:], ""], strict=False)
    )


def _joins_nouns(words: list[str], k: int) -> bool:
    """Whether ``words[k]`` is an "and" or "or" joining two nouns in lower case
    ("mutants and science"), not two names ("Nokia and Microsoft") nor two verbs."""
    if words[k] not in ("and", "or") or k + 1 >= len(words):
        return False
    before, after = words[k - 1], words[k + 1]
    return before.isalpha() and before.islower() and after.isalpha() and after.islower()


def _inside_name(words: list[str], k: int) -> bool:
    """Whether ``words[k]`` joins the words of a name: "Top of (the) Pops"."""
    after = k + 2 if words[k + 1 : k + 2] == ["the"] else k + 1
    return (
        k >= 2 and words[k - 1][:1].isupper() and after < len(words) and words[after][:1].isupper()
    )


def _is_modifier_word(word: str) -> bool:
    """A participle or a preposition, which cannot end a shortened subject ("aid made")."""
    return word.islower() and (is_participle(word) or word.endswith("ing") or is_dangling(word))


def _reported_verb(words: list[str], verb: int) -> int:
    """The verb of the clause a reporting verb at ``verb`` reports, when there is one
    ("Luxemburgo says victory against Deportivo | was vital"): a cut before it would
    leave the report without what it says. Else ``verb`` itself."""
    if verb < 0:
        return verb
    if words[verb + 1 : verb + 2] == ["that"]:
        # "Scientists discover that common drug used to treat diabetes | can slow …":
        # any verb with a "that" clause; its verb is an auxiliary, as a participle
        # after a noun ("drug | used to") only describes it.
        return _that_clause_verb(words, verb + 2)
    if words[verb] not in REPORTING_VERBS:
        return verb
    for j in range(verb + 2, min(len(words), verb + 9)):
        word = words[j]
        if word in _CLAUSE_OPENERS or words[j - 1].endswith(","):
            break  # "admits taking daughter to rally | when she was 13": not what he admits
        if word in AUXILIARIES or (word.islower() and is_participle(word)):
            return j
    return verb


_THAT_CLAUSE_WORDS = 10
"""How far into a "that" clause its auxiliary is looked for."""


def _that_clause_verb(words: list[str], start: int) -> int:
    """The auxiliary of the "that" clause opening at ``start`` (after its subject of a
    few words), or ``start - 2`` (the verb taking the clause) when there is none
    within reach."""
    for j in range(start + 1, min(len(words), start + _THAT_CLAUSE_WORDS)):
        if words[j] in _CLAUSE_OPENERS or words[j - 1].endswith(","):
            break
        if words[j] in AUXILIARIES:
            return j
    return start - 2


def _without_trailing_time(words: list[str]) -> list[str]:
    """ "… on weekdays from 1 December" → "… on weekdays": the date is the first thing a
    headline drops, when four words or more are left."""
    text = " ".join(words)
    # A trailing time is four words at most ("on 1 December morning", "in the March
    # 2004"), so it starts after the fifth word from the end: searching from there
    # spares trying the pattern at every space of the title.
    parts = text.rsplit(maxsplit=_TRAILING_TIME_WORDS)
    start = len(parts[0]) if len(parts) > _TRAILING_TIME_WORDS else 0
    found = _TRAILING_TIME.search(text, start)
    shorter = (text[: found.start()] if found else text).split()
    return shorter if len(shorter) >= 4 else words


def _without_inner_time(words: list[str], verb: int) -> tuple[list[str], int]:
    """ "regulators to decide on Friday whether …" → "regulators to decide whether …":
    a day or a period inside a clause, not the object of a preposition ("until this
    week"). Returns the words and the verb's new index."""
    for k in range(1, len(words) - 2):
        size = _inner_time_size(words, k)
        if size and plain_word(words[k - 1]) not in _BEFORE_TIME_OBJECT and k != verb:
            if words[k + size - 1].endswith(","):
                words = [*words[: k - 1], words[k - 1].rstrip(",") + ",", *words[k + size :]]
            else:
                words = [*words[:k], *words[k + size :]]
            return words, verb - size if verb > k else verb
    return words, verb


def _inner_time_size(words: list[str], k: int) -> int:
    """How many words from ``k`` say a day or a period ("on Friday", "earlier this
    month"), with a word after them; 0 when they do not."""
    first = words[k].lower()
    if first == "on" and _WEEKDAY.match(words[k + 1]):
        return 2
    start = k + 1 if first in ("earlier", "later") else k
    if (
        start + 2 < len(words)
        and words[start].lower() in ("this", "last", "next")
        and plain_word(words[start + 1]) in _PERIODS
        and words[start + 1].rstrip(",").isalpha()
    ):
        return start + 2 - k
    return 0


_WEEKDAY = re.compile(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?$")
_PERIODS = word_set("year week month weekend morning afternoon evening night")


def _balance_quotes(title: str) -> str:
    """Balance a quotation the cut left open."""
    if title.count("“") > title.count("”"):
        return title + "”"
    if title.count('"') % 2:
        return " ".join(title.replace('"', "").split())  # a mark alone leaves two spaces
    return title


def _fallback_title(source: str) -> str:
    """The source's file name without its extension: the title when there is no other."""
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    return stem or source or "Untitled"


def choose_title(
    stated: str,
    body_title: str | None,
    region: Iterable[str],
    source: str,
    language: LanguageProfile | None = None,
) -> str:
    """The item's title, in order of trust: the ``stated`` title, the body's title line,
    one derived from the first story sentence of the lead ``region`` (by
    ``derive_title_in`` for a ``language`` with no English rules), and last the name
    of the ``source`` file. A label ("Playing colours:") or a question put to the reader
    ("Do you have it in your heart?") is no title line; an empty or rhetorical opening
    ("There is no doubt.", a question) is not the story sentence when one follows."""
    if stated:
        return stated
    if body_title and not is_label_line(body_title) and not _asks_the_reader(body_title):
        return body_title
    # The region is read only now (a stated title or a title line needs none of it),
    # and only as far as the title needs: the story sentences are found one at a time,
    # ``story`` holding the first two left (enough to know whether one follows), and
    # the rest are read only if the first has no subject of its own.
    read: list[str] = []
    pending = _story_sentences(region, read)
    story = list(islice(pending, 2))
    if body_title and is_label_line(body_title) and len(story) > 1 and not _verb_in(story[0]):
        # the label's value ("Red and white stripes, black shorts.")
        story = [*story[1:], *islice(pending, 1)]
    # The title comes from the first story sentence, as the lead's region has it.
    while len(story) > 1 and _is_empty_opening(story[0]):
        story = [*story[1:], *islice(pending, 1)]
    if not story:
        story = read[:1]  # no story sentence: the region was read to its end
    if story and language is not None and not language.generic:
        derived = derive_title_in(story[0], language)
    elif story:
        derived = derive_title(without_label(story[0]), following=chain(story[1:], pending))
    else:
        derived = ""
    return derived or _fallback_title(source)


def _story_sentences(region: Iterable[str], read: list[str]) -> Iterator[str]:
    """The sentences of ``region`` that are not filler, each read when it is asked for;
    every sentence read, filler or not, is added to ``read``."""
    for sentence in region:
        read.append(sentence)
        if not is_filler(sentence):
            yield sentence


# Where a clause gives way to the next, in any language using these marks.
_CLAUSE_MARK = re.compile(r"\s*(?:[;:؛–—]|\s-\s|,\s|،\s?)")
_QUOTE_PAIRS = (("„", "“"), ("«", "»"), ("»", "«"), ("“", "”"))


def derive_title_in(
    sentence: str, language: LanguageProfile, max_words: int = TITLE_MAX_WORDS
) -> str:
    """A title from a first sentence in a language without English headline rules: the
    sentence without its dateline and parentheses; past ``max_words``, its first
    clause when that fits and has four words or more, else its first ``max_words``
    with "…". Never ends on one of the language's dangling words ("der", "de", "في").
    A whole sentence is kept when it fits: a German clause cut at a comma can lose the
    verb that ends it ("hat am Freitag, nach der Debatte, das Gesetz verabschiedet").
    Returns "" when nothing is left."""
    text = _PARENTHETICAL.sub("", strip_dateline(clean_line(sentence)))
    text = text.rstrip(" .!?…؟۔")
    if count_words(text) > max_words:
        clause = _CLAUSE_MARK.split(text, maxsplit=1)[0]
        if 4 <= count_words(clause) <= max_words:
            text = clause
    words = text.split()
    ellipsis = len(words) > max_words
    words = drop_dangling_in(words[:max_words], language.dangling)
    if not words:
        return ""
    title = " ".join(words).strip(" ,;:–—-،؛")
    for opening, closing in _QUOTE_PAIRS:
        if title.count(opening) > title.count(closing):
            title += closing
    title = title[0].upper() + title[1:]
    return title + ELLIPSIS if ellipsis else title


def is_label_line(text: str) -> bool:
    """A field's label, alone ("Playing colours:") or with its value ("Playing colours:
    red and white"), as fact boxes have them: not a headline."""
    return text.rstrip().endswith(":") or bool(_FIELD_LABEL.match(text))


def _asks_the_reader(text: str) -> bool:
    """A question put to the reader: "Do you have it in your heart?"."""
    return text.rstrip(" ”\"’'").endswith("?") and bool(_SECOND_PERSON.search(text))


def _is_empty_opening(sentence: str) -> bool:
    """An opening that is no story sentence: a question, or words that say nothing
    alone ("There is no doubt.")."""
    text = clean_line(sentence).rstrip(" ”\"’'")
    if text.endswith("?"):
        # "Do you …?", "Why does it matter?": not "Blair says X - but is it so?".
        first = plain_word(text.split(maxsplit=1)[0]) if text else ""
        return first in _QUESTION_WORDS or bool(_SECOND_PERSON.search(text))
    return bool(_EMPTY_OPENING.match(text))


def _verb_in(sentence: str) -> bool:
    """Whether a sentence has a verb the title rules know (a label's value has none)."""
    words = sentence.split()
    return main_verb(words) >= 0
