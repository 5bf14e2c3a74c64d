"""The ``lead`` strategy: the most informative whole sentences of the lead region.

This module owns weighing a candidate sentence (how much of it is about what the
article is about, its place, whether it is a quotation or a question), which sentences
need which others (one that leans on the sentence before, one that names a person by
surname), and choosing the set that carries most weight for its length
(``most_informative_lead``).
"""

from __future__ import annotations

import re

from digest.summarise.phrases import cut_to_budget
from digest.summarise.words import (
    STOP_WORDS,
    WORD_EDGE,
    content_words,
    count_clean_words,
    plain_word,
    word_runs,
    word_set,
)

# What a quotation mark opens, up to the mark that closes it (without the marks).
_QUOTED = re.compile(r'“([^”]*)|"([^"]*)"?')
# Single quotation marks, as British papers use them: one opens after a space or a
# bracket and closes before one; an apostrophe sits inside a word ("didn't", "Bosson's")
# and does neither.
# (``_single_opens`` finds that with str.find: most sentences have an apostrophe or two,
# and a regex search over each of them costs several times more.)
_OPENS_AFTER = "([—–"
_SINGLE_QUOTED = re.compile(
    r"(?:^|(?<=[\s(\[—–]))[‘']((?:[^‘’']|['’]\w)*?)['’](?=[\s,.;:!?)\]—–-]|$)"
)
# A single quotation left open runs on into the next sentence when it opens the sentence
# or follows "said:" or "added, ": elsewhere an unpaired mark is an apostrophe ("the '90s").
_SINGLE_OPEN_TO_END = re.compile(r"(?:^|(?<=[:,]\s))[‘']((?:[^‘’']|['’]\w)*)$")
# A closing quotation mark: one before a space, punctuation or the end.
_CLOSES = re.compile(r"[’'”\"](?=[\s,.;:!?)\]—–-]|$)")

# The lead weighs the first four candidates about alike (see ``_informative``) ...
_POSITION_WEIGHTS = (1.0, 1.0, 0.95, 0.95, 0.75, 0.7)
# ... and adds a sentence only when it is worth this much per word.
_MIN_INFORMATIVE = 0.1
# A word past the budget costs this many of the region's average words (LEAD_OVERRUN).
_OVERRUN_COST = 2.5
_DIGIT = re.compile(r"\d")
# How much of the text after the candidates shows what the article is about.
_SUBJECT_CHARS = 1200

# A sentence opening with one of these leans on the one before it.
_LEANS_ON_BEFORE = word_set("he she it they we i this that these but and so his her their")
# Titles before a surname: "Mr Sarao", "Dr Patel".
_HONORIFICS = word_set("mr mrs ms miss dr sir lord lady prof")
_POSSESSIVE = re.compile(r"['’]s?(?=\W*$)")
# What a sentence leaning on the one before is worth, for what it leaves unsaid.
_LEANING_WEIGHT = 0.6
# A sentence sharing this much of its content words with an earlier one repeats it.
_REPEAT_SHARE = 0.6


def quote_share(sentence: str) -> float:
    """The share of a sentence's characters that sit inside quotation marks, double or
    single. An unclosed quotation runs to the end (it goes on in the next sentence)."""
    inside = 0
    if '"' in sentence or "“" in sentence:  # a substring test is cheaper than a search
        inside = sum(len(curly) + len(straight) for curly, straight in _QUOTED.findall(sentence))
    if ("'" in sentence or "‘" in sentence) and _single_opens(sentence):
        single = sum(map(len, _SINGLE_QUOTED.findall(sentence)))
        unclosed = _SINGLE_OPEN_TO_END.search(_SINGLE_QUOTED.sub("", sentence))
        inside = max(inside, single + (len(unclosed.group(1)) if unclosed else 0))
    return inside / max(1, len(sentence))


def quote_runs_on(sentence: str) -> bool:
    """A quotation that opens in ``sentence`` is still open at its end: the sentence
    after it goes on quoting ("‘I had a taste of it at Hearts. I’m fortunate …")."""
    if "“" in sentence and sentence.count("“") > sentence.count("”"):
        return True
    if "‘" in sentence:
        # A curly opening mark is never an apostrophe (that is "’"): it opens wherever
        # it stands after a space, even after a caption run into the sentence.
        at = sentence.rfind("‘")
        if (at == 0 or not sentence[at - 1].isalnum()) and not closes_quote(sentence[at:]):
            return True
    if "'" in sentence and _single_opens(sentence):
        return _SINGLE_OPEN_TO_END.search(_SINGLE_QUOTED.sub("", sentence)) is not None
    return False


def _inside_quotes(candidates: list[str]) -> list[bool]:
    """For each candidate, whether it sits inside a quotation an earlier one opened and
    left open: it has no marks of its own, but it is the speaker's words all the same."""
    inside = [False] * len(candidates)
    for i in range(1, len(candidates)):
        before = candidates[i - 1]
        inside[i] = quote_runs_on(before) or (inside[i - 1] and not closes_quote(before))
    return inside


def closes_quote(sentence: str) -> bool:
    """``sentence`` has a closing quotation mark: one before a space, punctuation or
    the end (a quotation carried over from an earlier sentence ends here)."""
    return _CLOSES.search(sentence) is not None


def _single_opens(sentence: str) -> bool:
    """A single quotation mark opens in ``sentence``: one at its start or after a space,
    an opening bracket or a dash."""
    for mark in "'‘":
        at = sentence.find(mark)
        while at >= 0:
            if at == 0 or sentence[at - 1] in _OPENS_AFTER or sentence[at - 1].isspace():
                return True
            at = sentence.find(mark, at + 1)
    return False


def most_informative_lead(
    candidates: list[str], paragraphs: tuple[str, ...], budget: int, ceiling: int
) -> str:
    """The most informative whole sentences of the lead region, in reading order.

    Candidates are the region's first story sentences (captions, bylines, datelines and
    teasers skipped, see ``lead_candidates``). Each is weighed by ``_informative``: how
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
    sizes = [count_clean_words(s) for s in candidates]
    if sizes[0] > ceiling:
        return cut_to_budget(candidates[0], budget)
    words = [content_words(s) for s in candidates]
    leans = [_leans_on_previous(s) for s in candidates]
    value = _values(candidates, paragraphs, sizes, words, leans)
    overrun_cost = _OVERRUN_COST * sum(value) / sum(sizes)
    # Only the opening sentence may be below the bar, nothing over the ceiling fits, a
    # sentence that mostly repeats an earlier one (a caption restating the opening,
    # say) adds nothing, and one inside a quotation an earlier sentence opened would
    # read, without its marks, as the paper's own words ("… put me in charge").
    inside = _inside_quotes(candidates)
    eligible = [
        i
        for i in range(len(candidates))
        if sizes[i] <= ceiling
        and (i == 0 or value[i] >= _MIN_INFORMATIVE * sizes[i])
        and not inside[i]
        and not _repeats_earlier(words[i], words[:i])
    ]
    needs = _needs(candidates, leans)
    best = _best_choice(eligible, sizes, value, needs, budget, ceiling, overrun_cost)
    if not best:  # nothing eligible on its own: the opening sentence, cut to fit
        return cut_to_budget(candidates[0], budget)
    return " ".join(s for i, s in enumerate(candidates) if best >> i & 1)


def _values(
    candidates: list[str],
    paragraphs: tuple[str, ...],
    sizes: list[int],
    words: list[set[str]],
    leans: list[bool],
) -> list[float]:
    """What each candidate is worth to the lead: ``_informative`` a word, times its
    words, and less for one that leans on the sentence before it."""
    # What the article is about: the words the other candidates and the next few hundred
    # words of the article use too.
    text = " ".join(paragraphs)
    at = text.find(candidates[-1])
    after = at + len(candidates[-1])
    # Only the candidates' own words are looked up in ``recurring``: of the text after
    # them, those are all that matter, found without a set of all of its words.
    later = text[after : after + _SUBJECT_CHARS] if at >= 0 else ""
    recurring = _in_two(words) | set().union(*words).intersection(word_runs(later))
    return [
        _informative(s, i, words[i], recurring, sizes[i])
        * (_LEANING_WEIGHT if leans[i] else 1.0)
        * sizes[i]
        for i, s in enumerate(candidates)
    ]


def _in_two(words: list[set[str]]) -> set[str]:
    """The words that stand in at least two of the sets ``words``."""
    once: set[str] = set()
    twice: set[str] = set()
    for ws in words:
        twice |= once & ws
        once |= ws
    return twice


def _needs(candidates: list[str], leans: list[bool]) -> list[int]:
    """For each candidate, the bits of the candidates it never comes without: the one
    before, if it leans on it ("He said …"), and the one that introduced the person it
    names by surname alone."""
    needs = _introductions(candidates)
    for i in range(1, len(candidates)):
        if leans[i]:
            needs[i] |= 1 << (i - 1)
    return needs


def _best_choice(
    eligible: list[int],
    sizes: list[int],
    value: list[float],
    needs: list[int],
    budget: int,
    ceiling: int,
    overrun_cost: float,
) -> int:
    """The bits of the ``eligible`` candidates that together carry the most ``value``,
    each with the candidates it ``needs``, within ``ceiling`` words, each word past
    ``budget`` costing ``overrun_cost``; 0 when none fits.

    Every subset of the (at most six) eligible sentences that fits the ceiling, each
    grown from a smaller one by a later sentence: exhaustive, and cheap, as a subset
    over the ceiling is never grown."""
    best, best_score = 0, float("-inf")
    # The inner loop runs for every subset (up to 64): each candidate's figures looked up
    # once, plain comparisons, no calls.
    options = [(k + 1, 1 << i, sizes[i], needs[i], value[i]) for k, i in enumerate(eligible)]
    stack = [(0, 0, 0, 0.0)]  # (next eligible position, chosen bits, words, weight)
    while stack:
        start, chosen, used, total = stack.pop()
        score = total - overrun_cost * (used - budget) if used > budget else total
        if chosen and score > best_score:
            best, best_score = chosen, score
        for after, bit, size, need, worth in options[start:]:
            if used + size <= ceiling and chosen & need == need:
                stack.append((after, chosen | bit, used + size, total + worth))
    return best


def _introductions(candidates: list[str]) -> list[int]:
    """For each candidate that opens on a surname ("Dematteis was arrested …", "Mr
    Dematteis's lawyer …"), the bit of the earlier candidate that gave the full name
    ("Nicholas Dematteis, 39, …"): a reader meets a person by name before by surname."""
    needs = [0] * len(candidates)
    for i in range(1, len(candidates)):
        words = candidates[i].split(maxsplit=2)
        head = words[1] if len(words) > 2 and plain_word(words[0]) in _HONORIFICS else words[0]
        head = _POSSESSIVE.sub("", head).strip(WORD_EDGE)
        if head[:1].isupper() and head.lower() not in STOP_WORDS:
            needs[i] = next((1 << j for j in range(i) if _names_in_full(head, candidates[j])), 0)
    return needs


def _names_in_full(surname: str, sentence: str) -> bool:
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


def _leans_on_previous(sentence: str) -> bool:
    """Opens with a pronoun or a connective: it needs the sentence before it."""
    return plain_word(sentence.split(maxsplit=1)[0]) in _LEANS_ON_BEFORE


def _repeats_earlier(words: set[str], earlier: list[set[str]]) -> bool:
    """Most of ``words`` stand in one of the ``earlier`` sentences already."""
    return bool(words) and any(
        len(words & other) >= _REPEAT_SHARE * len(words) for other in earlier
    )


def _informative(
    sentence: str, position: int, words: set[str], recurring: set[str], size: int
) -> float:
    """An estimate of how much of ``sentence`` a reader of the digest needs.

    Mostly: the share of its content words (``words``) that the article uses again, in
    another of the lead's candidates (in two of them) or in the text after them
    (``recurring`` holds both): a sentence about the story's subject, not an aside.
    ``size``: its ``count_clean_words``, which the caller has.
    Then: early sentences count more; a quotation or a question is colour rather than
    fact; a fragment of under ten words says little; a number is usually a fact.
    Weights read off a development set of news articles with human-written
    highlights, never the held-out half.
    """
    share = len(words & recurring) / len(words) if words else 0.0
    weight = _POSITION_WEIGHTS[min(position, len(_POSITION_WEIGHTS) - 1)] * (0.2 + share)
    if quote_share(sentence) > 0.3:
        weight *= 0.5
    if sentence.rstrip("\"”’'").endswith("?"):
        weight *= 0.25
    if size < 10:
        weight *= 0.6
    if _DIGIT.search(sentence):
        weight *= 1.15
    return weight
