"""The pipeline: sources → summarise → issue → render → outbox, wired once.

The entry points (``cli``, ``daemon``, ``preview``) all make issues through these
functions, so "the next issue" means the same thing whichever way digest is run.
Each stage is called through its public function only.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from digest import outbox
from digest.config import Settings
from digest.issue import assemble, issue_date, new_items
from digest.models import DigestItem, Issue, Problem, RenderedIssue
from digest.render import render_issue
from digest.sources import read_sources
from digest.summarise import summarise

log = logging.getLogger(__name__)


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


def collect(settings: Settings) -> tuple[list[DigestItem], list[Problem]]:
    """Every source read and summarised; broken sources become problems, not errors."""
    started = time.perf_counter()
    report = read_sources(list(settings.sources), max_bytes=settings.max_source_bytes)
    problems = list(report.problems)
    if not report.articles and any(p.level == "error" for p in problems):
        raise NoArticles(problems)
    items: list[DigestItem] = []
    for article in report.articles:
        try:
            item = summarise(
                article,
                lead_words=settings.lead_words,
                lead_overrun=settings.lead_overrun,
                words_per_minute=settings.words_per_minute,
                strategy=settings.lead_strategy,
            )
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

    ``allow_empty`` makes an issue without items anyway (the ``send_empty`` setting).
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
        day=day or issue_date(now, settings.zone),
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
