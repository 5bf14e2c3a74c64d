"""The lead: the region it is chosen from, its candidates and the three strategies.

This module owns the lead region (the first sentences, up to a section heading, with
captions run into a sentence split off), the candidate sentences in it (filler
skipped, a long opening quotation left out), the version a release's list of changes
leads with, the ``opening`` and ``first`` strategies, and the word ceiling of the
``lead`` strategy (``lead_ceiling``, ``LEAD_OVERRUN``), whose choosing lives in
``digest.summarise.informative``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from digest.summarise.blocks import Body
from digest.summarise.boilerplate import opens_with_prompt, strip_dateline
from digest.summarise.filler import has_credit, is_filler, without_label
from digest.summarise.informative import (
    closes_quote,
    most_informative_lead,
    quote_runs_on,
    quote_share,
)
from digest.summarise.languages import LanguageProfile
from digest.summarise.phrases import cut_to_budget
from digest.summarise.sentences import iter_sentences, split_sentences, unglue
from digest.summarise.words import count_clean_words

STRATEGIES: tuple[str, ...] = ("lead", "opening", "first")
"""``lead`` (default): the most informative whole sentences of the lead region, in
reading order, skipping captions, bylines, datelines and teasers. ``opening``: the
opening news sentence always leads, later sentences fill the budget in order.
``first``: whole sentences in order until the next one would not fit."""

LEAD_OVERRUN = 0.25
"""How far past its word budget, as a share of it, a ``lead`` lead may run to end on a
whole sentence worth its words. A word past the budget must be worth
``_OVERRUN_COST`` (in ``digest.summarise.informative``) average words of the lead
region, so leads still average under the budget; ``opening`` and ``first`` never pass
it."""

LEAD_REGION_SENTENCES = 8
"""How many sentences at the top of the body the lead and a derived title come from."""
LEAD_CHOICES = 6
"""How many story sentences at the top the ``lead`` strategy chooses among."""
# A paragraph this short that ends in a photo credit is a caption.
_CAPTION_MAX_WORDS = 40
# Enough text for the lead region's sentences, however long the paragraph.
_OPENING_CHARS = 2500
# An opening quotation longer than this is not the news: the first fact leads instead.
_OPENING_QUOTE_WORDS = 15


def choose_lead(
    strategy: str,
    body: Body,
    region: Iterable[str],
    budget: int,
    lead_overrun: float,
    language: LanguageProfile | None = None,
) -> str:
    """The lead by ``strategy`` (one of ``STRATEGIES``) from the lead ``region`` of
    ``body``, in ``budget`` words (and for ``lead``, the overrun allowed)."""
    if strategy == "first":
        return _with_version(_lead_first(body.paragraphs, budget, language), body, budget)
    if strategy == "opening":
        return _with_version(_lead_opening(lead_candidates(region), budget), body, budget)
    ceiling = lead_ceiling(budget, lead_overrun)
    candidates = lead_candidates(region, LEAD_CHOICES)
    english = language is None or language.generic
    lead = most_informative_lead(candidates, body.paragraphs, budget, ceiling, english)
    return _with_version(lead, body, ceiling)


def _with_version(lead: str, body: Body, ceiling: int) -> str:
    """A lead made of a release's list of changes says which release: "2.4.0: Dark
    mode for the preview. …", unless it names the version already or the word would
    take it past ``ceiling``."""
    version = body.version
    if not (version and lead):
        return lead
    if version in lead or count_clean_words(lead) + 1 > ceiling:
        return lead
    return f"{version}: {lead}"


def _opening_sentences(paragraph: str, language: LanguageProfile | None = None) -> Iterator[str]:
    """A paragraph's sentences, one at a time, as far as the lead region reads. A page
    whose lines were run together is one long paragraph: only its first
    ``_OPENING_CHARS`` are split, as far as a lead or a title can reach."""
    if len(paragraph) <= _OPENING_CHARS:
        yield from iter_sentences(paragraph, language)
        return
    pieces = iter_sentences(paragraph[:_OPENING_CHARS], language)
    sentence = next(pieces, None)
    if sentence is None:
        return
    taken = 0
    for following in pieces:
        # A sentence is whole only when another follows it: the last one was cut short.
        yield sentence
        taken += 1
        sentence = following
    if not taken:
        yield sentence  # all there is, cut short or not


def _lead_first(
    paragraphs: tuple[str, ...], budget: int, language: LanguageProfile | None = None
) -> str:
    """Whole sentences in reading order until the next one would not fit."""
    chosen: list[str] = []
    used = 0
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph, language=language):
            n = count_clean_words(sentence)
            if not chosen and n > budget:
                return cut_to_budget(sentence, budget)
            if used + n > budget:
                return " ".join(chosen)
            chosen.append(sentence)
            used += n
    return " ".join(chosen)


class LeadRegion:
    """The lead region (see ``lead_region``), split into sentences only as far as it is
    read.

    Splitting the opening paragraphs is most of the region's cost, and most readers
    stop early: the ``lead`` strategy usually finds its candidates in the first six
    sentences of eight, and a title line needs none. The sentences read are kept, so
    the title and then the lead reading it split nothing twice; a new region is made
    for each article, so nothing carries over between calls."""

    def __init__(self, body: Body, language: LanguageProfile | None = None) -> None:
        self._unread = _region_sentences(body, language)
        self._read: list[str] = []

    def __iter__(self) -> Iterator[str]:
        index = 0
        while index < len(self._read) or self._read_one():
            yield self._read[index]
            index += 1

    def _read_one(self) -> bool:
        sentence = next(self._unread, None)
        if sentence is None:
            return False
        self._read.append(sentence)
        return True


def lead_region(body: Body, language: LanguageProfile | None = None) -> LeadRegion:
    """The first ``LEAD_REGION_SENTENCES`` sentences of the body; a section heading ends
    the region once there are a few to choose from. Lazy: see ``LeadRegion``."""
    return LeadRegion(body, language)


def _region_sentences(body: Body, language: LanguageProfile | None = None) -> Iterator[str]:
    """The lead region's sentences in reading order, each split when it is asked for."""
    count = 0
    english = language is None or language.generic
    # A quotation opened in a sentence left out (a prompt and its caption) is left out
    # to where it closes: its words are nobody's without the "said Ruiz" they lost.
    orphaned = False
    for index, paragraph in enumerate(body.paragraphs):
        if index in body.section_starts and count >= 3:
            return
        if has_credit(paragraph) and count_clean_words(paragraph) <= _CAPTION_MAX_WORDS:
            continue  # a photo caption, whose credit may follow its own full stop
        for sentence in _opening_sentences(paragraph, language):
            if orphaned:
                orphaned = not closes_quote(sentence)
                continue
            if opens_with_prompt(sentence):
                # "Scroll down for video" and the caption run into it
                orphaned = quote_runs_on(sentence)
                continue
            # A caption run into the sentence after it is a caption: it is not a
            # candidate (nor part of one). The glue rules know English words only.
            yield unglue(sentence)[-1] if english else sentence
            count += 1
            if count == LEAD_REGION_SENTENCES:
                return


def lead_ceiling(lead_words: int, lead_overrun: float) -> int:
    """The most words a ``lead`` lead may have: its budget and the overrun allowed."""
    return max(lead_words, int(lead_words * (1 + max(0.0, lead_overrun))))


def lead_candidates(region: Iterable[str], limit: int | None = None) -> list[str]:
    """The region's story sentences from the first fact on (a long quotation before
    it left out), the opening one without its dateline; with ``limit``, the first
    ``limit`` of them (and the region read no further than they need)."""
    candidates = _story_sentences(region, limit) or list(region)
    if not candidates:
        return []
    # A long quotation at the top is colour, not the news: the first fact leads, and
    # the quotation is no part of the lead.
    opening = next((i for i, s in enumerate(candidates) if _can_open(s)), 0)
    del candidates[:opening]
    candidates[0] = strip_dateline(candidates[0])
    return [without_label(s) for s in candidates[:limit]]


def _story_sentences(region: Iterable[str], limit: int | None) -> list[str]:
    """The region's sentences that are not filler, read as far as the first ``limit``
    candidates need: ``limit`` of them, and the first that can open the lead (which
    leads), wherever that is; without ``limit``, all of them."""
    story: list[str] = []
    opener = False
    for sentence in region:
        if is_filler(sentence):
            continue
        story.append(sentence)
        opener = opener or _can_open(sentence)
        if opener and limit is not None and len(story) >= limit:
            break
    return story


def _can_open(sentence: str) -> bool:
    """A sentence that can open the lead: not mostly a long quotation."""
    return quote_share(sentence) <= 0.5 or count_clean_words(sentence) <= _OPENING_QUOTE_WORDS


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
    if count_clean_words(first) > budget:
        return cut_to_budget(first, budget)
    picked = [0]
    used = count_clean_words(first)
    quotes: list[int] = []
    for index in range(1, len(candidates)):
        n = count_clean_words(candidates[index])
        if used + n > budget:
            continue
        if quote_share(candidates[index]) > 0.5:
            quotes.append(index)
            continue
        picked.append(index)
        used += n
    # Quotations only fill what the facts left over, and only a thin lead.
    for index in sorted(quotes):
        n = count_clean_words(candidates[index])
        if used + n <= budget and used < budget * 0.6:
            picked.append(index)
            used += n
    picked.sort()
    return " ".join([first] + [candidates[i] for i in picked[1:]])
