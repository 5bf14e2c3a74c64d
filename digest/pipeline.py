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
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from digest import outbox
from digest.config import Settings, SourceSpec
from digest.issue import assemble, choose_items, issue_date, within_limits
from digest.models import (
    Article,
    DigestItem,
    Issue,
    Problem,
    RenderedIssue,
    SourceReport,
    StaleSource,
)
from digest.render import item_notes, render_issue
from digest.sources import is_reading_list, is_url, iter_sources, read_linked, read_sources
from digest.summarise import article_id, article_identity, has_text, profile, summarise

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
    articles: int | None = None
    """How many articles the sources gave: 0 means there was nothing to read at all
    (an empty folder), not that everything was published already."""


def summariser(settings: Settings) -> Callable[[Article], DigestItem]:
    """The summariser as ``settings`` configure it: the one place the settings meet
    ``summarise()``, for issues and ``digest summarise`` alike. A ``partial`` of a
    module-level function, so that it can be sent to worker processes."""
    return partial(
        summarise_article,
        lead_words=settings.lead_words,
        lead_overrun=settings.lead_overrun,
        words_per_minute=settings.words_per_minute,
        strategy=settings.lead_strategy,
        # Looked up here, once: an unknown language is logged by this process only,
        # and worker processes get the tag of the rules that apply.
        language=profile(settings.language).tag,
    )


def summarise_article(article: Article, **options: Any) -> DigestItem:
    """``summarise`` with what the summariser has no say in carried over from the
    article: the publication it names itself (``Article.site``, the byline)."""
    item = summarise(article, **options)
    return item.model_copy(update={"site": article.site}) if article.site else item


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


@dataclass(frozen=True)
class Candidate:
    """One article read and identified, not yet summarised."""

    id: str
    source: str
    position: int
    """Its place among the articles its source gave (a feed gives several)."""
    title: str | None
    article: Article | None
    """Kept for a URL's articles only. A file's is read again if it goes into the
    issue: a first run may see 100,000 articles, and holding them all costs
    gigabytes when a dozen are used."""
    fingerprint: str | None = None
    """What it says, hashed (``content_fingerprint``): the same entry under a new id."""
    published: datetime | None = None
    """When the source says it was published (a source's ``max_items`` and
    ``max_age_days`` go by it)."""
    origin: int | None = None
    """Which configured source it came from: its index in ``Settings.source_specs()``
    (``None`` if it cannot be told)."""


@dataclass(frozen=True)
class Identified:
    """What ``identify`` makes of one file's or URL's report."""

    candidates: list[Candidate]
    problems: list[Problem]
    articles: int
    read: frozenset[int]
    """The configured sources (their ``origin``) that gave an article, with text or not."""


@dataclass
class Collected:
    """Every source's articles as candidates, and what went wrong reading them."""

    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    read: set[int] = field(default_factory=set)
    """The configured sources (by index) that gave at least one article."""
    failed: set[int] = field(default_factory=set)
    """The configured sources that reported an error (they may have given articles too)."""
    problem_origins: dict[str, int] = field(default_factory=dict)
    """The configured source each problem's ``source`` belongs to, where it can be told."""

    @property
    def failing(self) -> list[int]:
        """The configured sources that failed outright: an error, and not one article."""
        return sorted(self.failed - self.read)


def identify(
    report: SourceReport, origin_of: Callable[[str], int | None] | None = None
) -> Identified:
    """One source's articles as candidates; an article without text is a problem.
    ``origin_of`` tells each candidate's configured source (see ``Origins``).

    Module-level, so that the sources stage can run it in its worker processes.
    """
    candidates, problems = [], list(report.problems)
    origins: dict[str, int | None] = {}  # a report's articles mostly share one source
    for position, article in enumerate(report.articles):
        # A link-only entry (an aggregator's) has no text by nature: its title and
        # link are the item.
        if article.kind != "link" and not has_text(article):
            problems.append(_no_text(article))
            continue
        keep = article if is_url(article.source) else None
        if article.source not in origins:
            origins[article.source] = origin_of(article.source) if origin_of else None
        item_id, fingerprint = article_identity(article)
        candidates.append(
            Candidate(
                item_id,
                article.source,
                position,
                article.title,
                keep,
                fingerprint=fingerprint,
                published=article.published,
                origin=origins[article.source],
            )
        )
    for article in report.articles:
        if article.source not in origins:
            origins[article.source] = origin_of(article.source) if origin_of else None
    read = frozenset(origin for origin in origins.values() if origin is not None)
    return Identified(candidates, problems, len(report.articles), read)


class Origins:
    """Which configured source a file or URL was read for: the first spec (in the
    configured order) that names it, or the folder that holds it. That is the spec
    ``read_sources`` read it for, since a file or URL named twice is read once."""

    def __init__(self, specs: list[SourceSpec]) -> None:
        self.urls: dict[str, int] = {}
        self.paths: list[tuple[int, str]] = []
        for index, source in enumerate(specs):
            if is_url(source.spec):
                self.urls.setdefault(source.spec, index)
            else:
                self.paths.append((index, _path_key(source.spec)))

    def __call__(self, source: str) -> int | None:
        if is_url(source):
            return self.urls.get(source)
        try:
            path = _path_key(source)
        except (OSError, ValueError):
            return None
        for index, base in self.paths:
            if path == base or path.startswith(base.rstrip(os.sep) + os.sep):
                return index
        return None


def _path_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(os.path.expanduser(path)))


@dataclass(frozen=True)
class _Always:
    """The origin of everything a reading list's group gives: the list (picklable)."""

    index: int

    def __call__(self, source: str) -> int:
        return self.index


def _reading_groups(
    specs: list[SourceSpec], origins: Origins
) -> list[tuple[list[int], Callable[[str], int | None]]]:
    """The sources in the configured order as groups read by one ``iter_sources`` call
    each, with how to tell which source an article or problem of the group came from.

    A reading list (OPML) is a group of its own: its articles are named after the
    feeds it lists, never after the list, so all of the group's are the list's. The
    sources between lists are read together (in parallel, each file or URL once), and
    ``origins`` tells them apart.
    """
    groups: list[tuple[list[int], Callable[[str], int | None]]] = []
    for index, source in enumerate(specs):
        if is_reading_list(source.spec):
            groups.append(([index], _Always(index)))
        elif groups and groups[-1][1] is origins:
            groups[-1][0].append(index)
        else:
            groups.append(([index], origins))
    return groups


def http_cache(outbox: Path) -> Path:
    """Where URL sources' validators and last good bodies are kept: beside the issues,
    so that an unchanged feed costs one ``304`` across restarts."""
    return outbox / ".cache" / "http"


def collect(settings: Settings) -> Collected:
    """Every source read and identified; broken sources become problems, not errors.

    Each candidate knows its configured source (``origin``), whose table options the
    later steps apply: ``section`` (``Items``), ``max_items`` and ``max_age_days``
    (``next_issue``), ``fetch_linked`` (``Items``: only a chosen link is worth fetching).
    """
    started = time.perf_counter()
    specs = settings.source_specs()
    origins = Origins(specs)
    collected = Collected()
    for group, origin_of in _reading_groups(specs, origins):
        for found in iter_sources(
            [specs[index].spec for index in group],
            partial(identify, origin_of=origin_of),
            max_bytes=settings.max_source_bytes,
            cache_dir=http_cache(settings.outbox),
        ):
            collected.candidates.extend(found.candidates)
            collected.problems.extend(found.problems)
            collected.articles += found.articles
            collected.read.update(found.read)
            for problem in found.problems:
                origin = origin_of(problem.source)
                if origin is not None:
                    collected.problem_origins.setdefault(problem.source, origin)
                    if problem.level == "error":
                        collected.failed.add(origin)
    if not collected.articles and any(p.level == "error" for p in collected.problems):
        raise NoArticles(collected.problems)
    log.info("read %d article(s) in %.2f s", collected.articles, time.perf_counter() - started)
    return collected


class Items:
    """Candidates summarised on demand, each once, with the problems that found."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.specs = settings.source_specs()
        self.summarise_one = summariser(settings)
        self.problems: list[Problem] = []
        self._made: dict[str, DigestItem | None] = {}
        self._reread: dict[str, SourceReport] = {}
        self._linked: dict[str, Article] = {}

    def prefetch(self, candidates: list[Candidate]) -> None:
        """Read the linked pages of those of ``candidates`` that want one, all at once
        (``sources.read_linked`` fetches concurrently), before ``__call__`` asks one by one.
        """
        wanted = [c for c in candidates if c.id not in self._linked and self._wants_page(c)]
        if not wanted:
            return
        read, problems = read_linked(
            [candidate.article for candidate in wanted if candidate.article is not None],
            max_bytes=self.settings.max_source_bytes,
            cache_dir=http_cache(self.settings.outbox),
        )
        self.problems.extend(problems)
        for candidate, article in zip(wanted, read, strict=True):
            self._linked[candidate.id] = article

    def _wants_page(self, candidate: Candidate) -> bool:
        article = candidate.article
        return (
            article is not None
            and article.kind == "link"
            and candidate.origin is not None
            and self.specs[candidate.origin].fetch_linked
        )

    def __call__(self, candidate: Candidate) -> DigestItem | None:
        if candidate.id not in self._made:
            self._made[candidate.id] = self._make(candidate)
        return self._made[candidate.id]

    def _make(self, candidate: Candidate) -> DigestItem | None:
        self.prefetch([candidate])  # a link chosen beyond those prefetched
        article = (
            self._linked.get(candidate.id) or candidate.article or self._read_again(candidate)
        )
        if article is None:
            message = "changed while the issue was made; it waits for the next one"
            self.problems.append(Problem(candidate.source, message, "warning"))
            return None
        try:
            item = self.summarise_one(article)
        except Exception as exc:  # one bad article must never cost the whole issue
            log.debug("summarising %s failed", article.source, exc_info=True)
            self.problems.append(Problem(article.source, f"cannot summarise: {exc}"))
            return None
        if not item.lead and item.kind != "link":
            self.problems.append(_no_text(article))
            return None
        extras: dict[str, str] = {}
        if candidate.fingerprint is not None:
            extras["fingerprint"] = candidate.fingerprint
        section = section_of(self.specs, candidate.origin, article)
        if section:
            extras["section"] = section
        return item.model_copy(update=extras) if extras else item

    def _read_again(self, candidate: Candidate) -> Article | None:
        source = candidate.source
        if source not in self._reread:
            max_bytes = self.settings.max_source_bytes
            self._reread[source] = read_sources([source], max_bytes=max_bytes)
        articles = self._reread[source].articles
        if candidate.position < len(articles):
            article = articles[candidate.position]
            if article_id(article) == candidate.id:
                return article
        return None


def section_of(specs: list[SourceSpec], origin: int | None, article: Article | None) -> str | None:
    """The heading an article goes under: its source's configured ``section``, else the
    folder a reading list (OPML) files its feed in ("Tech / Programming"), else none."""
    if origin is not None and specs[origin].section:
        return specs[origin].section
    return article.category if article is not None else None


def section_order(specs: list[SourceSpec], candidates: list[Candidate]) -> list[str]:
    """The sections in the configured order: each source's ``section`` where it is
    configured, and where a reading list stands, its folders in the list's order."""
    folders: dict[int, list[str]] = {}
    for candidate in candidates:
        if candidate.origin is not None and not specs[candidate.origin].section:
            folder = section_of(specs, candidate.origin, candidate.article)
            if folder:
                folders.setdefault(candidate.origin, []).append(folder)
    order = (
        [spec.section] if spec.section else folders.get(index, [])
        for index, spec in enumerate(specs)
    )
    return list(dict.fromkeys(name for names in order for name in names))


def no_articles_found(settings: Settings) -> str:
    """What to say when the sources gave not one article: "no articles found in
    seeds" (paths as the user would type them, relative to here when they can be)."""
    shown = []
    for source in settings.source_specs():
        spec = source.spec
        if not is_url(spec):
            try:
                relative = os.path.relpath(spec)
            except ValueError:  # another drive, on Windows
                relative = spec
            spec = spec if relative.startswith("..") else relative
        shown.append(spec)
    return f"no articles found in {', '.join(dict.fromkeys(shown))}"


def _no_text(article: Article) -> Problem:
    entry = f" {article.title!r}" if article.title else ""
    return Problem(article.source, f"skipped{entry}: no article text found", dropped=True)


def source_results(settings: Settings, collected: Collected) -> dict[str, bool]:
    """Each configured source (by its path or URL) and whether this run read it: a
    source failed when it reported an error and gave not one article."""
    failing = set(collected.failing)
    results: dict[str, bool] = {}
    for index, source in enumerate(settings.source_specs()):
        results[source.spec] = results.get(source.spec, True) and index not in failing
    return results


def stale_sources(settings: Settings, health: dict[str, outbox.SourceHealth]) -> list[StaleSource]:
    """The sources failing for ``source_failure_runs`` runs or more, in the configured
    order: the issue's footer names them."""
    stale: dict[str, StaleSource] = {}
    for source in settings.source_specs():
        record = health.get(source.spec)
        if record is not None and record.failures >= settings.source_failure_runs:
            stale.setdefault(source.spec, StaleSource(name=source.label, since=record.since))
    return list(stale.values())


def with_streaks(
    problems: list[Problem],
    collected: Collected,
    settings: Settings,
    health: dict[str, outbox.SourceHealth],
) -> list[Problem]:
    """``problems`` once each, the first error of a source failing for more than one
    run in a row saying so ("… (failed 3 runs in a row, since 2026-11-24)"): each
    failing source is reported once a run, with how long it has been failing."""
    specs = settings.source_specs()
    marked: set[str] = set()
    reported: list[Problem] = []
    for problem in dict.fromkeys(problems):
        origin = collected.problem_origins.get(problem.source)
        record = health.get(specs[origin].spec) if origin is not None else None
        if (
            record is not None
            and record.failures > 1
            and problem.level == "error"
            and specs[origin].spec not in marked
        ):
            marked.add(specs[origin].spec)
            since = record.since.astimezone(settings.zone).date().isoformat()
            streak = f"failed {record.failures} runs in a row, since {since}"
            problem = replace(problem, message=f"{problem.message} ({streak})")
        reported.append(problem)
    return reported


@dataclass(frozen=True)
class IssueRequest:
    """What a caller asks of the next issue: when it is made and for which day, and
    whether published items may come again or an issue without items is made."""

    now: datetime
    day: date | None = None
    """``--date``: the issue's day, whatever ``slot`` and ``now`` say."""
    slot: datetime | None = None
    """The schedule slot it is made for (the daemon): dates it, and makes it once."""
    include_published: bool = False
    allow_empty: bool = False
    """Make an issue without items anyway (``send_empty``)."""

    @property
    def again(self) -> IssueRequest:
        """The same request, published items included (a reprint)."""
        return replace(self, include_published=True)


def next_issue(
    settings: Settings,
    collected: Collected,
    published: list[outbox.PublishedIssue],
    items: Items,
    request: IssueRequest,
    *,
    stale: list[StaleSource] | None = None,
) -> Issue | None:
    """The issue that would come next after ``published``; ``None`` if nothing is new.
    ``stale``: the sources its footer names as not updated (``stale_sources``).

    A source's ``max_items`` and ``max_age_days`` hold back what they exclude
    (``within_limits``) before anything is chosen. Only the articles that go into it
    are summarised (through ``items``). It is dated ``request.day`` if given, else by
    its schedule slot (a slot handled late still makes that day's issue), else by
    ``request.now``, in the newsletter's time zone.
    """
    already = outbox.published_ids(published)
    limits = {
        index: (source.max_items, source.max_age_days)
        for index, source in enumerate(settings.source_specs())
        if source.limited
    }
    candidates = within_limits(collected.candidates, limits, request.now)
    # The links likely to be chosen have their pages fetched together, not one by one.
    new = [c for c in candidates if request.include_published or c.id not in already]
    items.prefetch(new[: settings.max_items] if settings.max_items else new)
    chosen, backlog = choose_items(
        candidates,
        items,
        published=already,
        limit=settings.max_items,
        include_published=request.include_published,
        published_fingerprints=outbox.published_fingerprints(published),
    )
    if not chosen and not request.allow_empty:
        return None
    issue = assemble(
        chosen,
        newsletter=settings.name,
        number=outbox.next_number(published),
        day=request.day or issue_date(request.slot or request.now, settings.zone),
        created_at=request.now,
        slot=request.slot,
        subject_format=settings.subject,
        backlog=backlog,
        sections=section_order(items.specs, collected.candidates),
        stale_sources=stale,
    )
    dropped = [str(p) for p in dict.fromkeys(collected.problems + items.problems) if p.dropped]
    return issue.model_copy(update={"dropped": dropped}) if dropped else issue


def item_problems(issue: Issue) -> list[Problem]:
    """What an issue's readers will not get of its items (a link not shown, a lead of a
    few words), as notes for the log; ``digest check`` finds the same (``item_notes``)."""
    return [
        Problem(item.source, f"item {number} {item.title!r}: {note}", "warning")
        for number, item in enumerate(issue.items, start=1)
        for note in item_notes(item.url, item.lead, item.kind)
    ]


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
    request = IssueRequest(now=now, day=day, include_published=include_published)
    collected = collect(settings)
    items = Items(settings)
    published = outbox.history(settings.outbox)
    # Not a run (nothing is recorded), but drafted as this run would leave the sources.
    health = outbox.advance_health(
        outbox.read_health(settings.outbox), source_results(settings, collected), now
    )
    stale = stale_sources(settings, health)
    issue = next_issue(settings, collected, published, items, request, stale=stale)
    reprint = issue is None and reprint_when_empty
    if reprint:
        issue = next_issue(settings, collected, published, items, request.again, stale=stale)
    rendered = render_issue(issue, settings) if issue else None
    problems = collected.problems + items.problems + (item_problems(issue) if issue else [])
    return Outcome(
        issue=issue,
        rendered=rendered,
        problems=problems,
        reprint=reprint,
        articles=collected.articles,
    )


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
    ``Outcome.already`` names it, so each slot makes at most one issue. After a new
    issue the web archive is updated (``update_archive``).
    """
    request = IssueRequest(
        now=now, day=day, slot=slot, include_published=include_published, allow_empty=allow_empty
    )
    collected = collect(settings)
    health = outbox.record_runs(settings.outbox, source_results(settings, collected), now)
    problems = with_streaks(collected.problems, collected, settings, health)
    if not collected.candidates and not allow_empty:  # nothing to number: no lock needed
        return Outcome(problems=problems, articles=collected.articles)
    items = Items(settings)
    stale = stale_sources(settings, health)
    with outbox.lock(settings.outbox):
        outcome = _publish_locked(settings, collected, items, request, stale)
    outcome.problems = problems + items.problems
    if outcome.issue is not None and outcome.folder is not None:
        outcome.problems += item_problems(outcome.issue)
    outcome.articles = collected.articles
    if outcome.folder is not None:
        outcome.problems += update_archive(settings)
    return outcome


def update_archive(settings: Settings) -> list[Problem]:
    """The web archive brought up to date after a new issue (``digest.archive``).

    Outside the outbox lock: the next issue's numbering never waits for pages (the
    archive has its own lock). The issue is already in place, so a failure here is a
    problem to report, never an error that could make a caller retry or give it up.
    """
    from digest.archive import write_archive

    try:
        return write_archive(settings, every_page=False).problems
    except Exception as exc:  # the archive is derived data; the issue must stand
        log.debug("updating the archive failed", exc_info=True)
        folder = settings.outbox / outbox.ARCHIVE_NAME
        message = f"archive not updated ({exc}); the issue is in place, run `digest archive`"
        return [Problem(str(folder), message)]


def _publish_locked(
    settings: Settings,
    collected: Collected,
    items: Items,
    request: IssueRequest,
    stale: list[StaleSource],
) -> Outcome:
    """``publish`` from the point where the outbox lock is held."""
    published = outbox.history(settings.outbox)
    if request.slot is not None:
        for done in published:
            if done.slot is not None and done.slot == request.slot:  # compared as instants
                return Outcome(already=done)
    issue = next_issue(settings, collected, published, items, request, stale=stale)
    if issue is None:
        return Outcome()
    rendered = render_issue(issue, settings)
    folder = outbox.write_issue(settings.outbox, issue, rendered)
    return Outcome(issue=issue, rendered=rendered, folder=folder)
