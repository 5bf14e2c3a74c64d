"""The lead: the region it is chosen from, its candidates and the three strategies.

This module owns the lead region (the first sentences, up to a section heading, with
captions run into a sentence split off), the candidate sentences in it (filler
skipped, a long opening quotation moved after the first fact), the version a
release's list of changes leads with, the ``opening`` and ``first`` strategies, and
the word ceiling of the ``lead`` strategy (``lead_ceiling``, ``LEAD_OVERRUN``), whose
choosing lives in ``digest.summarise.informative``.
"""

from __future__ import annotations

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
from digest.summarise.sentences import split_sentences, unglue
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
# A paragraph this short that ends in a photo credit is a caption.
_CAPTION_MAX_WORDS = 40
# The ``lead`` strategy chooses among this many story sentences at the top.
_LEAD_CHOICES = 6
# Enough text for the lead region's sentences, however long the paragraph.
_OPENING_CHARS = 2500
# An opening quotation longer than this is not the news: the first fact leads instead.
_OPENING_QUOTE_WORDS = 15


def choose_lead(
    strategy: str,
    body: Body,
    region: list[str],
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
    candidates = lead_candidates(region, _LEAD_CHOICES)
    lead = most_informative_lead(candidates, body.paragraphs, budget, ceiling)
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


def _opening_sentences(
    paragraph: str, language: LanguageProfile | None = None, wanted: int = LEAD_REGION_SENTENCES
) -> list[str]:
    """The first ``wanted`` sentences of a paragraph, as many as the lead region still
    takes. A page whose lines were run together is one long paragraph: it is split only
    as far as a lead or a title can reach."""
    if len(paragraph) <= _OPENING_CHARS:
        return split_sentences(paragraph, limit=wanted, language=language)
    sentences = split_sentences(paragraph[:_OPENING_CHARS], limit=wanted + 1, language=language)
    if len(sentences) > wanted:
        return sentences[:wanted]
    return sentences[:-1] or sentences  # the last one was cut short


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


def lead_region(body: Body, language: LanguageProfile | None = None) -> list[str]:
    """The first sentences of the body; a section heading ends the region once there
    are a few to choose from."""
    region: list[str] = []
    english = language is None or language.generic
    # A quotation opened in a sentence left out (a prompt and its caption) is left out
    # to where it closes: its words are nobody's without the "said Ruiz" they lost.
    orphaned = False
    for index, paragraph in enumerate(body.paragraphs):
        if index in body.section_starts and len(region) >= 3:
            break
        if has_credit(paragraph) and count_clean_words(paragraph) <= _CAPTION_MAX_WORDS:
            continue  # a photo caption, whose credit may follow its own full stop
        # Only the sentences the region still has room for: deciding where the later
        # ones end costs most of the time here on a long paragraph.
        for sentence in _opening_sentences(
            paragraph, language, LEAD_REGION_SENTENCES - len(region)
        ):
            if orphaned:
                orphaned = not closes_quote(sentence)
                continue
            if opens_with_prompt(sentence):
                # "Scroll down for video" and the caption run into it
                orphaned = quote_runs_on(sentence)
                continue
            # A caption run into the sentence after it is a caption: it is not a
            # candidate (nor part of one). The glue rules know English words only.
            region.append(unglue(sentence)[-1] if english else sentence)
        if len(region) >= LEAD_REGION_SENTENCES:
            break
    return region[:LEAD_REGION_SENTENCES]


def lead_ceiling(lead_words: int, lead_overrun: float) -> int:
    """The most words a ``lead`` lead may have: its budget and the overrun allowed."""
    return max(lead_words, int(lead_words * (1 + max(0.0, lead_overrun))))


def lead_candidates(region: list[str], limit: int | None = None) -> list[str]:
    """The region's story sentences, a long opening quotation moved after the first
    fact, the opening sentence without its dateline; with ``limit``, the first ``limit``
    of them."""
    if not region:
        return []
    candidates = [s for s in region if not is_filler(s)] or region
    # A long quotation at the top is colour, not the news: the first fact leads.
    opening = next(
        (
            i
            for i, s in enumerate(candidates)
            if quote_share(s) <= 0.5 or count_clean_words(s) <= _OPENING_QUOTE_WORDS
        ),
        0,
    )
    candidates.insert(0, candidates.pop(opening))
    candidates[0] = strip_dateline(candidates[0])
    return [without_label(s) for s in candidates[:limit]]


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
