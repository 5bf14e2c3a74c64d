"""The summarise stage: one ``Article`` in, one ``DigestItem`` out.

This package owns every judgement about an article's content: which lines are
boilerplate (never shown), which plain-text line is the headline or a section
heading, what the title is (stated, found or derived from the first sentence), which
sentences make the lead, the item's stable id and its reading time. This module holds
``summarise`` itself; each step has a module of its own:

* ``words``, ``sentences``, ``verbs``: words and lines, sentence splitting, verb forms;
* ``boilerplate``, ``filler``: lines and sentences that are never the story;
* ``blocks``: an article's blocks sorted into title line, paragraphs and headings;
* ``title``, ``headlinese``, ``phrases``: the title, headline style, where to cut;
* ``lead``, ``informative``: the lead region, its candidates and the strategies;
* ``identity``: the item's id;
* ``languages``: each language's tables (abbreviations, boilerplate, dangling
  words, reading speed) and ``profile`` to look one up.

It is pure and rule-based: no I/O, no models, no heavy imports, and it never raises on
content.
"""

from __future__ import annotations

from digest.models import Article, DigestItem
from digest.summarise.blocks import clean_texts, sort_blocks
from digest.summarise.boilerplate import is_boilerplate, is_consent
from digest.summarise.identity import article_id, article_identity, content_fingerprint
from digest.summarise.languages import LanguageProfile, profile
from digest.summarise.lead import LEAD_OVERRUN, STRATEGIES, choose_lead, lead_ceiling, lead_region
from digest.summarise.phrases import is_dangling
from digest.summarise.sentences import split_sentences
from digest.summarise.title import HEADLINE_WORDS, TITLE_MAX_WORDS, choose_title, derive_title
from digest.summarise.verbs import base_form, is_irregular_past, is_past_only, present_tense
from digest.summarise.words import (
    STOP_WORDS,
    clean_line,
    content_words,
    count_clean_words,
    count_words,
    word_set,
)

__all__ = [
    "HEADLINE_WORDS",
    "LEAD_OVERRUN",
    "STOP_WORDS",
    "STRATEGIES",
    "TITLE_MAX_WORDS",
    "LanguageProfile",
    "article_id",
    "article_identity",
    "base_form",
    "content_fingerprint",
    "content_words",
    "count_words",
    "derive_title",
    "has_text",
    "is_boilerplate",
    "is_dangling",
    "is_irregular_past",
    "is_past_only",
    "lead_ceiling",
    "present_tense",
    "profile",
    "split_sentences",
    "summarise",
    "word_set",
]


def summarise(
    article: Article,
    *,
    lead_words: int = 60,
    words_per_minute: int | None = None,
    strategy: str = "lead",
    lead_overrun: float = LEAD_OVERRUN,
    language: str = "en",
) -> DigestItem:
    """Turn one article into its digest item. Never raises on any content.

    ``lead_words`` is the lead's word budget, which the ``lead`` strategy may pass by
    ``lead_overrun`` of it (see ``LEAD_OVERRUN``); ``strategy`` is one of ``STRATEGIES``
    (an unknown strategy is a programming error and raises ``ValueError``). An article
    with no usable text gives an item with an empty lead (the caller should warn) and
    the source's file name as its title. ``language`` (a BCP 47 tag) chooses the
    sentence, boilerplate and title rules (``profile``) and, when ``words_per_minute``
    is None, the reading speed.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: expected one of {STRATEGIES}")
    budget = max(1, int(lead_words))
    stated = clean_line(article.title or "")
    if stated and is_consent(stated):
        stated = ""  # a cookie banner's heading, taken for the page's title by its reader
    rules = profile(language)
    speed = words_per_minute or rules.words_per_minute
    # Cleaned once, for the body and for the id.
    lines = clean_texts(article.blocks)
    body = sort_blocks(article.blocks, stated, rules, lines)
    # Split into sentences only as far as the title and the lead read it.
    region = lead_region(body, rules)
    title = choose_title(stated, body.title, region, article.source, rules)
    lead = choose_lead(strategy, body, region, budget, lead_overrun, rules)
    # Paragraphs and headings are never empty, so one count over them joined by spaces
    # is the sum of their counts, without a call per line.
    word_count = count_clean_words(" ".join(body.paragraphs + body.headings))
    return DigestItem(
        id=article_id(article, lines),
        title=title,
        lead=lead,
        headings=list(body.headings),
        word_count=word_count,
        reading_minutes=max(1, round(word_count / max(1, speed))),
        source=article.source,
        url=article.url,
        published=article.published,
        kind=article.kind,
        comments_url=article.comments_url,
    )


def has_text(article: Article) -> bool:
    """Whether ``article`` has something to summarise beyond a title, cheaply.

    For counting the articles that wait without summarising them: it stops at the
    second line that is not boilerplate. An article of boilerplate alone has none; a
    one-line article is summarised to find out.
    """
    lines = 0
    for block in article.blocks:
        text = clean_line(block.text)
        if text and not is_boilerplate(text):
            lines += 1
            if lines == 2 or article.title:
                return True
    return lines == 1 and bool(summarise(article).lead)
