"""The ``lead`` strategy: the most informative whole sentences of the lead region.

This module owns weighing a candidate sentence (how much of it is about what the
article is about, its place, whether it is a quotation or a question), which sentences
need which others (one that leans on the sentence before, one that names a person by
surname), and choosing the set that carries most weight for its length
(``most_informative_lead``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain
from operator import mul

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
# Both patterns open with the mark itself and look behind it for where it stands (the
# start, a space, a bracket, a dash): the regex engine then skips to the next mark
# instead of trying every position, and runs without marks are taken whole
# (possessively: giving back part of one can never end a quotation elsewhere).
# Three to five times faster on news sentences, with the same matches.
_SINGLE_QUOTED = re.compile(
    r"[‘'](?<![^\s(\[—–][‘'])((?:[^‘’']++|['’]\w)*?)['’](?=[\s,.;:!?)\]—–-]|$)"
)
# A single quotation left open runs on into the next sentence when it opens the sentence
# or follows "said:" or "added, ": elsewhere an unpaired mark is an apostrophe ("the '90s").
_SINGLE_OPEN_TO_END = re.compile(r"[‘'](?:(?<=^[‘'])|(?<=[:,]\s[‘']))((?:[^‘’']++|['’]\w)*+)$")
# A closing quotation mark: one before a space, punctuation or the end.
_CLOSES = re.compile(r"[’'”\"](?=[\s,.;:!?)\]—–-]|$)")

LEAD_FEATURES: tuple[str, ...] = (
    "base",
    "first two",
    "third or fourth",
    "fifth",
    "recurring",
    "central",
    "names",
    "quotation",
    "question",
    "fragment",
    "leaning",
)
"""What ``lead_features`` measures of each candidate, in order: 1; its place in the
region (one of the first two sentences, the third or fourth, the fifth; later ones
have none of the three); the share of its content words the article uses again; how
central it is (the cosine of its words with the article's); the share of its words
that are names; whether it is mostly a quotation, a question, a fragment of under ten
words, or leans on the sentence before it."""

# What each of ``LEAD_FEATURES`` is worth, a word: a linear model fitted by ridge least
# squares to the share of each candidate's word pairs that a human-written summary
# uses, on the tune halves of the CNN/DailyMail highlights and of BBC News (weighted
# 1 : 0.05, as BBC's summaries are long and copied, not written), never the held-out
# halves. benchmarks/fit_lead.py fits them and prints this line.
_WEIGHTS = (0.018, 0.086, 0.064, 0.026, 0.079, 0.461, 0.149, -0.056, -0.155, -0.05, -0.032)
# The opening sentence is worth this much more a word than the second: the fit alone
# puts them alike, as a British paper's often only sets the scene; but elsewhere it
# is the news, and a reader misses it most.
_OPENING_BONUS = 0.013
# Every sentence is worth a little: the budget is there to be used.
_LEAST_VALUE = 0.005
# A word past the budget costs this many of the region's average words (LEAD_OVERRUN).
_OVERRUN_COST = 2.5
# How much of the text after the candidates shows what the article is about.
_SUBJECT_CHARS = 1200
# A capitalised word after the first: a name, mostly. (The capital is matched first and
# the space looked behind for, so that the engine skips to the next capital letter:
# the same count as "\s[A-Z]", several times faster.)
_CAPITALISED = re.compile(r"[A-Z](?<=\s[A-Z])")
# ``_count_names`` counts the same in ASCII text with bytes.translate and one count,
# five times cheaper: each ASCII space character ("\s" to the regex) becomes " ", each
# capital "A", the rest "x", and a name is a " A".
_SPACE_OR_CAPITAL = bytes(
    ord(" ") if b < 0x80 and chr(b).isspace() else ord("A") if "A" <= chr(b) <= "Z" else ord("x")
    for b in range(256)
)

# A sentence opening with one of these leans on the one before it.
_LEANS_ON_BEFORE = word_set("he she it they we i this that these but and so his her their")
# Titles before a surname: "Mr Sarao", "Dr Patel".
_HONORIFICS = word_set("mr mrs ms miss dr sir lord lady prof")
_POSSESSIVE = re.compile(r"['’]s?(?=\W*$)")
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
    candidates: list[str],
    paragraphs: tuple[str, ...],
    budget: int,
    ceiling: int,
    english: bool = True,
) -> str:
    """The most informative whole sentences of the lead region, in reading order.

    Candidates are the region's story sentences (captions, bylines, datelines and
    teasers skipped, see ``lead_candidates``). Each is weighed by ``_informative``: how
    much of it is about what the whole article is about, how central and how full of
    names it is, its place in the region, and whether it is a quotation, a question or
    a fragment; one that leans on the sentence before it ("He said …", "But …") weighs
    less and never comes without that sentence. The lead is the set of candidates, kept
    in order, that carries the most weight; one that mostly repeats an earlier
    candidate, or sits inside a quotation an earlier one opened, is never in it.

    The weights were fitted to English news (see ``_POSITION_VALUE``): unless
    ``english``, names are not told by their capitals and the opening sentence always
    leads, as neither the weights nor the rules for a sentence that leans on the one
    before know the language.

    The lead fills ``budget`` words and may run on to ``ceiling`` (see
    ``LEAD_OVERRUN``) when the sentence that crosses the budget is worth it: each word
    past the budget costs ``_OVERRUN_COST`` average words of the candidates. News
    sentences run to 25–35 words, so a hard limit would often have to choose between
    the second sentence and the first; this way leads average under the budget all the
    same. An opening sentence longer than the ceiling is cut to the budget with "…".

    Measured against human-written highlights (benchmarks/bench_summarise.py), this
    scores above Lead-3 on CNN/DailyMail in fewer words and above filling the budget
    in order on BBC News: the opening sentence of a news story often restates its
    headline or only sets the scene, and the facts a reader needs are a sentence or
    two later.
    """
    if not candidates:
        return ""
    sizes = [count_clean_words(s) for s in candidates]
    if sizes[0] > ceiling:
        return cut_to_budget(candidates[0], budget)
    words = [content_words(s) for s in candidates]
    leans = [leans_on_previous(s) for s in candidates]
    value = _values(candidates, paragraphs, sizes, words, leans, english)
    overrun_cost = _OVERRUN_COST * sum(value) / sum(sizes)
    # Only the opening sentence may be below the bar, nothing over the ceiling fits, a
    # sentence that mostly repeats an earlier one (a caption restating the opening,
    # say) adds nothing, and one inside a quotation an earlier sentence opened would
    # read, without its marks, as the paper's own words ("… put me in charge").
    inside = _inside_quotes(candidates)
    eligible = [
        i
        for i in range(len(candidates))
        if sizes[i] <= ceiling and not inside[i] and not _repeats_earlier(words[i], words[:i])
    ]
    needs = _needs(candidates, leans, opening=not english)
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
    english: bool,
) -> list[float]:
    """What each candidate is worth to the lead: its ``lead_features`` weighed by
    ``_WEIGHTS``, a word (a little at least: the budget is there to be used), times its
    words."""
    features = lead_features(candidates, paragraphs, sizes, words, leans, english)
    values = []
    for i, row in enumerate(features):
        worth = sum(map(mul, _WEIGHTS, row))
        if i == 0:
            worth += _OPENING_BONUS
        values.append(max(_LEAST_VALUE, worth) * sizes[i])
    return values


def lead_features(
    candidates: list[str],
    paragraphs: tuple[str, ...],
    sizes: list[int],
    words: list[set[str]],
    leans: list[bool],
    english: bool = True,
) -> list[tuple[float, ...]]:
    """``LEAD_FEATURES`` of each of the lead's ``candidates`` from the body's
    ``paragraphs``, given each one's ``count_clean_words`` (``sizes``),
    ``content_words`` (``words``) and whether it ``leans`` on the one before. Unless
    ``english``, capitals say nothing of names (German capitalises every noun): none
    are counted."""
    # What the article is about: the words the candidates use, and which of them the next
    # few hundred words of the article use too. Each sentence counts a word once, and
    # the text after them is one more: a word's count is how many of them use it.
    text = " ".join(paragraphs)
    at = text.find(candidates[-1])
    after = at + len(candidates[-1])
    later = text[after : after + _SUBJECT_CHARS] if at >= 0 else ""
    counts = Counter(chain.from_iterable(words))
    # Only the candidates' own words are looked up in the text after them: a set of all
    # of its words would cost more than the rest of this together.
    counts.update(set(counts).intersection(word_runs(later)))
    tally = list(counts.values())
    norm = math.sqrt(sum(map(mul, tally, tally)))
    recurring = {w for w, n in counts.items() if n > 1}
    rows = []
    for i, sentence in enumerate(candidates):
        ws, size = words[i], sizes[i]
        # Another candidate or the text after them uses it: its count is more than its own.
        share = len(ws & recurring) / len(ws) if ws else 0.0
        # The cosine with the others' counts, its own taken out.
        shared = sum(map(counts.__getitem__, ws)) - len(ws)
        central = shared / (math.sqrt(len(ws)) * norm) if ws and norm else 0.0
        names = _count_names(sentence) / max(1, size) if english else 0.0
        rows.append(
            (
                1.0,
                float(i < 2),
                float(2 <= i < 4),
                float(i == 4),
                share,
                central,
                names,
                float(quote_share(sentence) > 0.3),
                float(sentence.rstrip("\"”’'").endswith("?")),
                float(size < 10),
                float(leans[i]),
            )
        )
    return rows


def _count_names(sentence: str) -> int:
    """How many capitalised words follow the first: the matches of ``_CAPITALISED``."""
    if sentence.isascii():
        return sentence.encode("ascii").translate(_SPACE_OR_CAPITAL).count(b" A")
    return len(_CAPITALISED.findall(sentence))


def _needs(candidates: list[str], leans: list[bool], opening: bool = False) -> list[int]:
    """For each candidate, the bits of the candidates it never comes without: the one
    before, if it leans on it ("He said …"), the one that introduced the person it
    names by surname alone, and with ``opening``, the opening one."""
    needs = _introductions(candidates)
    for i in range(1, len(candidates)):
        if leans[i]:
            needs[i] |= 1 << (i - 1)
        if opening:
            needs[i] |= 1
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
        if "'" in head or "’" in head:  # a substring test is cheaper than the search
            head = _POSSESSIVE.sub("", head)
        head = head.strip(WORD_EDGE)
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


def leans_on_previous(sentence: str) -> bool:
    """Opens with a pronoun or a connective: it needs the sentence before it."""
    return plain_word(sentence.split(maxsplit=1)[0]) in _LEANS_ON_BEFORE


def _repeats_earlier(words: set[str], earlier: list[set[str]]) -> bool:
    """Most of ``words`` stand in one of the ``earlier`` sentences already."""
    # A sentence with too few words to hold the share is passed over without a set.
    least = _REPEAT_SHARE * len(words)
    return bool(words) and any(
        len(other) >= least and len(words & other) >= least for other in earlier
    )
