"""The pipeline: sources → summarise → issue → render → outbox, wired once.

The entry points (``cli``, ``daemon``, ``preview``) all make issues through these
functions, so "the next issue" means the same thing whichever way digest is run.
Each stage is called through its public function only.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from digest import outbox
from digest.config import Settings
from digest.issue import assemble, issue_date, new_items
from digest.models import Article, DigestItem, Issue, Problem, RenderedIssue
from digest.render import render_issue
from digest.sources import read_sources
from digest.summarise import summarise

log = logging.getLogger(__name__)

_POOL_MIN_ARTICLES = 500
"""Articles per worker process below which ``summarise_all`` stays in-process."""


class NoArticles(Exception):
    """Not one article could be read, and some sources failed: the issue cannot be
    made (and must not be mistaken for "nothing new"). ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        failed = sum(p.level == "error" for p in problems)
        super().__init__(f"no article could be read ({failed} source problem(s))")
        self.problems = problems


@dataclass
class Outcome:
    """What one run of the pipeline made, and what went wrong along the way."""

    issue: Issue | None = None
    rendered: RenderedIssue | None = None
    folder: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    reprint: bool = False
    """A draft of already-published items, made because nothing was new."""
    already: outbox.PublishedIssue | None = None
    """The issue already made for the requested slot, when there was one (nothing new
    was written)."""


def summariser(settings: Settings) -> Callable[[Article], DigestItem]:
    """The summariser as ``settings`` configure it: the one place the settings meet
    ``summarise()``, for issues and ``digest summarise`` alike. A ``partial`` of a
    module-level function, so that it can be sent to worker processes."""
    return partial(
        summarise,
        lead_words=settings.lead_words,
        lead_overrun=settings.lead_overrun,
        words_per_minute=settings.words_per_minute,
        strategy=settings.lead_strategy,
    )


def summarise_all(articles: list[Article], settings: Settings) -> Iterator[DigestItem]:
    """Every article's item, in the articles' order, on all cores when there are many.

    Summarising is pure CPU work on independent articles, so worker processes scale
    it; below ``_POOL_MIN_ARTICLES`` starting them costs more than it saves.
    """
    summarise_one = summariser(settings)
    workers = min(os.cpu_count() or 1, len(articles) // _POOL_MIN_ARTICLES)
    if workers < 2:
        yield from map(summarise_one, articles)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Large chunks: an article is summarised in well under a millisecond, so the
        # cost is in pickling, which batching amortises. map() keeps the order.
        chunk = max(1, len(articles) // (workers * 8))
        yield from pool.map(summarise_one, articles, chunksize=chunk)


def collect(settings: Settings) -> tuple[list[DigestItem], list[Problem]]:
    """Every source read and summarised; broken sources become problems, not errors."""
    started = time.perf_counter()
    report = read_sources(list(settings.sources), max_bytes=settings.max_source_bytes)
    problems = list(report.problems)
    if not report.articles and any(p.level == "error" for p in problems):
        raise NoArticles(problems)
    items: list[DigestItem] = []
    summarise_one = summariser(settings)
    for article in report.articles:
        try:
            item = summarise_one(article)
        except Exception as exc:  # one bad article must never cost the whole issue
            log.debug("summarising %s failed", article.source, exc_info=True)
            problems.append(Problem(article.source, f"cannot summarise: {exc}"))
            continue
        if not item.lead:
            entry = f" {article.title!r}" if article.title else ""
            problems.append(Problem(article.source, f"skipped{entry}: no article text found"))
            continue
        items.append(item)
    log.info(
        "read %d article(s) in %.2f s",
        len(report.articles),
        time.perf_counter() - started,
    )
    return items, problems


def next_issue(
    settings: Settings,
    items: list[DigestItem],
    published: list[outbox.PublishedIssue],
    *,
    now: datetime,
    day: date | None = None,
    include_published: bool = False,
    slot: datetime | None = None,
    allow_empty: bool = False,
) -> Issue | None:
    """The issue that would come next after ``published``; ``None`` if nothing is new.

    It is dated ``day`` if given (``--date``), else by its schedule ``slot`` (a slot
    handled late still makes that day's issue), else by ``now``, in the newsletter's
    time zone. ``allow_empty`` makes an issue without items anyway (``send_empty``).
    """
    already = outbox.published_ids(published)
    fresh = new_items(items, published=already, include_published=include_published)
    chosen = fresh[: settings.max_items]
    # The backlog is what is still unpublished after this issue (--all reprints
    # published items, which must not count as waiting).
    backlog = sum(item.id not in already for item in fresh[settings.max_items :])
    if not chosen and not allow_empty:
        return None
    return assemble(
        chosen,
        newsletter=settings.name,
        number=outbox.next_number(published),
        day=day or issue_date(slot or now, settings.zone),
        created_at=now,
        slot=slot,
        subject_format=settings.subject,
        backlog=backlog,
    )


def draft(
    settings: Settings,
    *,
    now: datetime,
    day: date | None = None,
    include_published: bool = False,
    reprint_when_empty: bool = False,
) -> Outcome:
    """Render the next issue without writing anything (``--stdout``, the preview).

    ``reprint_when_empty``: with nothing new, draft the published items again (the
    preview still needs something to show while templates are edited); the sources
    are read once either way, and ``Outcome.reprint`` says which it was.
    """
    items, problems = collect(settings)
    published = outbox.history(settings.outbox)
    issue = next_issue(
        settings, items, published, now=now, day=day, include_published=include_published
    )
    reprint = issue is None and reprint_when_empty
    if reprint:
        issue = next_issue(settings, items, published, now=now, day=day, include_published=True)
    rendered = render_issue(issue, settings) if issue else None
    return Outcome(issue=issue, rendered=rendered, problems=problems, reprint=reprint)


def publish(
    settings: Settings,
    *,
    now: datetime,
    day: date | None = None,
    include_published: bool = False,
    slot: datetime | None = None,
    allow_empty: bool = False,
) -> Outcome:
    """Make the next issue and put it in the outbox, under the outbox lock.

    Sources are read before taking the lock (the slow part); numbering, rendering and
    the atomic write happen under it, so concurrent writers cannot collide. With a
    ``slot``, an issue already recorded for that slot wins: nothing is written and
    ``Outcome.already`` names it, so each slot makes at most one issue.
    """
    items, problems = collect(settings)
    if not items and not allow_empty:
        return Outcome(problems=problems)  # nothing to number: no need for the lock
    with outbox.lock(settings.outbox):
        published = outbox.history(settings.outbox)
        if slot is not None:
            for done in published:
                if done.slot is not None and done.slot == slot:  # aware: compared as instants
                    return Outcome(problems=problems, already=done)
        issue = next_issue(
            settings,
            items,
            published,
            now=now,
            day=day,
            include_published=include_published,
            slot=slot,
            allow_empty=allow_empty,
        )
        if issue is None:
            return Outcome(problems=problems)
        rendered = render_issue(issue, settings)
        folder = outbox.write_issue(settings.outbox, issue, rendered)
    return Outcome(issue=issue, rendered=rendered, folder=folder, problems=problems)
