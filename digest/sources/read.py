"""Reading sources: files, folders and URLs into one ``SourceReport``.

``read_sources(specs)`` plans one task per file or URL (a folder's files in path
order, each file or URL once), runs URL tasks in threads since fetching is mostly
waiting (all through one ``fetch.Fetcher``: shared connections, per-host limits, the
HTTP cache) and, when there are many, parses their bodies in worker processes (many
files are read in worker processes too), and never raises because of a source:
whatever goes wrong with one becomes a one-line ``Problem`` and the others are still
read. The bytes go to the reader the registry (``digest.sources.registry``) picks.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from digest.models import Article, Problem, SourceReport
from digest.sources.base import RawSource, Reader, is_blank, looks_binary, one_line
from digest.sources.files import Skipped, load_file, walk_folder
from digest.sources.opml import ListedFeed, is_reading_list, reading_list
from digest.sources.registry import extensions, reader_for_path, reader_for_response, reader_named

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from digest.sources.fetch import Fetcher, Resolver, Response
    from digest.sources.parsedcache import ParsedCache

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# Threads for URLs: the fetcher limits requests per host and in all; more threads
# than that only let a URL on a free host start while another host's URLs wait.
_MAX_FETCH_THREADS = 32
# Files per worker process below which starting processes costs more than it saves.
_FILES_PER_PROCESS = 1000

T = TypeVar("T")
# URLs per parsing process below which the processes' start costs more than they save.
_URLS_PER_PROCESS = 8


@dataclass(frozen=True)
class _Task:
    """Reading one file or URL, later: ``run`` may raise, ``_perform`` makes that safe."""

    label: str
    run: Callable[[], SourceReport]
    key: str | None = None
    """Identifies the file or URL, so that one named twice is read once."""
    is_url: bool = False
    is_file: bool = False
    """Reads a local file: the task can run in a worker process (it pickles)."""


def is_url(spec: str) -> bool:
    """Whether a source names a URL (any scheme) rather than a file or folder."""
    return bool(_URL.match(spec))


def _as_is(report: SourceReport) -> SourceReport:
    return report


def read_sources(
    specs: list[str],
    *,
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    resolve: Resolver | None = None,
    cache_dir: Path | None = None,
) -> SourceReport:
    """Every article in ``specs`` (files, folders, http(s) URLs), and what went wrong.

    Articles and problems come in the order of ``specs``, and within a folder in path
    order. A file or URL named twice (directly or through a folder) is read once.

    ``resolve`` looks up host names, once per connection, for the check that a URL's
    redirects do not lead from a public host to a private address (the rule of
    ``fetch.redirect_allowed``, applied to the addresses connected to); by default,
    the OS resolver. ``cache_dir`` keeps each URL's validators and last good body
    between runs (``fetch.Fetcher``); ``None`` keeps nothing.
    """
    merged = SourceReport()
    for report in iter_sources(
        specs, max_bytes=max_bytes, timeout=timeout, resolve=resolve, cache_dir=cache_dir
    ):
        merged.articles.extend(report.articles)
        merged.problems.extend(report.problems)
    return merged


def iter_sources(
    specs: list[str],
    then: Callable[[SourceReport], T] = _as_is,  # type: ignore[assignment]
    *,
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    resolve: Resolver | None = None,
    cache_dir: Path | None = None,
) -> Iterator[T]:
    """``then(report)`` for each file or URL of ``specs``, one at a time, in order.

    The rules are ``read_sources``'s; this is for callers that need not hold every
    article at once (a first run over 100,000 files). With many files, they are read
    in worker processes, and ``then`` (a module-level function, so that it can be
    sent there) runs there too, so that only what it returns comes back.
    """
    network = _Network(max_bytes, timeout, resolve, cache_dir)
    tasks: list[_Task] = []
    seen: set[str] = set()
    for spec in specs:
        for task in _plan(spec, max_bytes, network):
            if task.key is not None:
                if task.key in seen:
                    continue
                seen.add(task.key)
            tasks.append(task)

    with ExitStack() as stack:
        stack.callback(network.close)
        results: dict[int, Iterator[T]] = {}
        urls = [i for i, task in enumerate(tasks) if task.is_url]
        network.start_parsers(min(os.cpu_count() or 1, len(urls) // _URLS_PER_PROCESS))
        if len(urls) > 1:
            # Fetching is mostly waiting: threads, so one slow server does not hold up
            # the rest. map() keeps the results in task order.
            from concurrent.futures import ThreadPoolExecutor

            workers = min(len(urls), _MAX_FETCH_THREADS)
            threads = stack.enter_context(ThreadPoolExecutor(max_workers=workers))
            fetched = threads.map(partial(_perform_then, then=then), [tasks[i] for i in urls])
            results.update(dict.fromkeys(urls, fetched))
        files = [i for i, task in enumerate(tasks) if task.is_file]
        processes = min(os.cpu_count() or 1, len(files) // _FILES_PER_PROCESS)
        if processes > 1:
            from concurrent.futures import ProcessPoolExecutor

            pool = stack.enter_context(ProcessPoolExecutor(max_workers=processes))
            # Big chunks: a file takes well under a millisecond, so the cost is in
            # sending work to the processes, which batching amortises.
            chunk = max(1, len(files) // (processes * 16))
            todo = [tasks[i] for i in files]
            read = pool.map(partial(_perform_then, then=then), todo, chunksize=chunk)
            results.update(dict.fromkeys(files, read))
        for index, task in enumerate(tasks):
            shared = results.get(index)
            yield next(shared) if shared is not None else _perform_then(task, then)


class _Network:
    """The one ``Fetcher`` all of a run's URLs share, made when the first is read (so
    that reading files never imports httpx), closed at the end of the run."""

    def __init__(
        self, max_bytes: int, timeout: float, resolve: Resolver | None, cache_dir: Path | None
    ) -> None:
        self._max_bytes, self._timeout = max_bytes, timeout
        self._resolve, self._cache_dir = resolve, cache_dir
        self._fetcher: Fetcher | None = None
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def fetcher(self) -> Fetcher:
        with self._lock:
            if self._fetcher is None:
                from digest.sources.fetch import Fetcher, resolve_host

                self._fetcher = Fetcher(
                    max_bytes=self._max_bytes,
                    timeout=self._timeout,
                    resolve=self._resolve or resolve_host,
                    cache_dir=self._cache_dir,
                )
            return self._fetcher

    def start_parsers(self, processes: int) -> None:
        """Parse bodies in ``processes`` worker processes from now on (if at least 2):
        parsing is pure Python, and threads parsing at once only take turns holding
        the GIL (with 32, a cold read took 1.7 times as long as parsing one by one).

        Called before the fetching threads start: the workers are forked at once, so
        that no fetching thread's lock is copied into them held.
        """
        if processes < 2:
            return
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(processes)
        # A fork context starts every worker on the first task.
        self._pool.submit(int).result()

    def parse(self, reader: Reader, raw: RawSource) -> SourceReport:
        """``reader.read(raw)``: in a worker process if ``start_parsers`` started any."""
        if self._pool is None:
            return reader.read(raw)
        return self._pool.submit(_parse, reader.name, raw).result()

    def parsed(self) -> ParsedCache | None:
        """Where bodies' readings are kept (inside the HTTP cache), if anywhere."""
        if self._cache_dir is None:
            return None
        from digest.sources.parsedcache import ParsedCache

        return ParsedCache(self._cache_dir / "parsed")

    @property
    def resolve(self) -> Resolver:
        from digest.sources.fetch import resolve_host

        return self._resolve or resolve_host

    def close(self) -> None:
        with self._lock:
            if self._fetcher is not None:
                self._fetcher.close()
                self._fetcher = None
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None


def _parse(reader_name: str, raw: RawSource) -> SourceReport:
    return reader_named(reader_name).read(raw)


def _perform_then(task: _Task, then: Callable[[SourceReport], T]) -> T:
    return then(_perform(task))


def _perform(task: _Task) -> SourceReport:
    try:
        return task.run()
    except Exception as exc:  # nothing from a source may raise out of read_sources
        return _unexpected(task.label, exc)


def _plan(spec: str, max_bytes: int, network: _Network) -> list[_Task]:
    """A task for each file or URL that ``spec`` names, or one reporting why not."""
    try:
        return list(_plan_unsafe(spec, max_bytes, network))
    except Exception as exc:
        return [_fixed(spec, _unexpected(spec, exc))]


def _plan_unsafe(spec: str, max_bytes: int, network: _Network) -> Iterator[_Task]:
    if not spec or not spec.strip():
        yield _fixed(repr(spec), _error(repr(spec), "not a file, folder or URL"))
        return
    if is_reading_list(spec):
        yield from _plan_reading_list(spec, max_bytes, network)
        return
    if is_url(spec):
        scheme = urlsplit(spec).scheme.lower()
        if scheme in ("http", "https"):
            run = partial(_read_url, spec, network)
            yield _Task(spec, run, spec, is_url=True)
        else:
            message = f"unsupported URL scheme '{scheme}' (only http and https)"
            yield _fixed(spec, _error(spec, message))
        return

    path = os.path.expanduser(spec)
    if not os.path.isdir(path):
        # Named explicitly, so read it even with an unknown extension.
        reader = reader_for_path(path) or reader_named("text")
        yield _Task(
            spec, partial(_read_file, spec, reader, max_bytes), _path_key(path), is_file=True
        )
        return

    found = False  # a file to read, or a problem already said why there is none
    for item in walk_folder(path, lambda name: reader_for_path(name) is not None):
        found = True
        if isinstance(item, Problem):
            yield _fixed(item.source, SourceReport([], [item]))
            continue
        reader = reader_for_path(item)
        assert reader is not None  # walk_folder only yields files some reader handles
        yield _Task(
            item, partial(_read_file, item, reader, max_bytes), _path_key(item), is_file=True
        )
    if not found:
        looked_for = ", ".join(f".{ext}" for ext in extensions())
        message = f"no files to read in this folder (looked for {looked_for})"
        yield _fixed(spec, SourceReport([], [Problem(spec, message, "warning")]))


# --- OPML reading lists: expanded while planning, into a URL task per listed feed ------


def _plan_reading_list(spec: str, max_bytes: int, network: _Network) -> Iterator[_Task]:
    """A task per feed of the reading list (``.opml`` file or URL) ``spec``, each read
    as the URL it is and its articles named as the list names the feed, and one for
    what was wrong with the list. A list from a public host may not name feeds on
    private addresses (as a redirect may not lead there: ``fetch.redirect_allowed``).
    """
    loaded = _load_reading_list(spec, max_bytes, network)
    if isinstance(loaded, SourceReport):
        yield _fixed(spec, loaded)
        return
    listed = reading_list(loaded)
    problems = list(listed.problems)
    for feed in listed.feeds:
        if loaded.url is not None and not _may_list(loaded.url, feed.url, network.resolve):
            problems.append(Problem(spec, f"refused feed on a private address {feed.url}"))
            continue
        run = partial(_read_listed_feed, feed, network)
        yield _Task(feed.url, run, feed.url, is_url=True)
    if problems:
        yield _fixed(spec, SourceReport([], problems))


def _load_reading_list(spec: str, max_bytes: int, network: _Network) -> RawSource | SourceReport:
    """The bytes of a reading list, or the report of why there are none."""
    if not is_url(spec):
        try:
            data = load_file(os.path.expanduser(spec), max_bytes)
        except Skipped as exc:
            return _error(spec, str(exc))
        return RawSource(source=spec, data=data)
    from digest.sources.fetch import FetchError

    if urlsplit(spec).scheme.lower() not in ("http", "https"):
        scheme = urlsplit(spec).scheme.lower()
        return _error(spec, f"unsupported URL scheme '{scheme}' (only http and https)")
    try:
        response = network.fetcher().fetch(spec)
    except FetchError as exc:
        return _error(spec, str(exc))
    return RawSource(source=spec, data=response.body, url=response.url, charset=response.charset)


def _may_list(list_url: str, feed_url: str, resolve: Resolver) -> bool:
    from digest.sources.fetch import redirect_allowed

    return redirect_allowed(list_url, feed_url, resolve=resolve)


def _read_listed_feed(feed: ListedFeed, network: _Network) -> SourceReport:
    report = _read_url(feed.url, network)
    named = [
        replace(article, source_name=feed.title, category=feed.category)
        for article in report.articles
    ]
    return SourceReport(named, report.problems)


# --- reading one file or URL ----------------------------------------------------------


def _read_file(label: str, reader: Reader, max_bytes: int) -> SourceReport:
    try:
        data = load_file(os.path.expanduser(label), max_bytes)
    except Skipped as exc:
        return _error(label, str(exc))
    if is_blank(data):
        return _error(label, "skipped: empty file")
    if looks_binary(data):
        return _error(label, "skipped: binary file (contains NUL bytes)")
    return reader.read(RawSource(source=label, data=data))


def _read_url(url: str, network: _Network) -> SourceReport:
    from digest.sources.fetch import FetchError

    try:
        response = network.fetcher().fetch(url)
    except FetchError as exc:
        return _error(url, str(exc))
    if is_blank(response.body):
        return _error(url, "skipped: empty response")
    reader = reader_for_response(response.media_type, response.body, response.url)
    if reader is None:
        kind = response.media_type or "unknown"
        return _error(url, f"skipped: cannot read content of type {kind}")
    raw = RawSource(source=url, data=response.body, url=response.url, charset=response.charset)
    report = _read_once(reader, raw, response, network)
    if response.notice:
        report.problems.insert(0, Problem(url, one_line(response.notice), "warning"))
    return report


def _read_once(
    reader: Reader, raw: RawSource, response: Response, network: _Network
) -> SourceReport:
    """``reader.read(raw)``, or the report the same body was read into before (a feed
    unchanged since the last run: parsing is most of what a ``304`` leaves to do)."""
    parsed = network.parsed()
    if parsed is None:
        return network.parse(reader, raw)
    if not response.storable:
        parsed.remove(raw.source)
        return network.parse(reader, raw)
    from digest.sources.parsedcache import body_key

    key = body_key(reader.name, raw.url, response.media_type, raw.charset, body=raw.data)
    report = parsed.load(raw.source, key)
    if report is None:
        report = network.parse(reader, raw)
        parsed.store(raw.source, key, report)
    return report


def _path_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _fixed(label: str, report: SourceReport) -> _Task:
    """A task whose outcome is already known (a problem found while planning)."""
    return _Task(label, lambda: report)


def _error(source: str, message: str) -> SourceReport:
    return SourceReport([], [Problem(source, one_line(message))])


def _unexpected(source: str, exc: Exception) -> SourceReport:
    detail = one_line(str(exc))
    name = type(exc).__name__
    return _error(
        source, f"unexpected error: {name}: {detail}" if detail else f"unexpected {name}"
    )


# --- link-only articles' linked pages (``fetch_linked``) ------------------------------


def read_linked(
    articles: list[Article],
    *,
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    resolve: Resolver | None = None,
    cache_dir: Path | None = None,
) -> tuple[list[Article], list[Problem]]:
    """Each link-only article with its linked page read in, in order, and what failed.

    The pages are fetched concurrently through one ``Fetcher`` (the rules, limits and
    cache of any URL source) and read with the HTML reader. A page that cannot be read
    leaves its article as the link it was, with one warning; a feed from a public host
    may not send digest to a private address (``fetch.redirect_allowed``).
    """
    network = _Network(max_bytes, timeout, resolve, cache_dir)
    try:
        if len(articles) > 1:
            from concurrent.futures import ThreadPoolExecutor

            workers = min(len(articles), _MAX_FETCH_THREADS)
            with ThreadPoolExecutor(max_workers=workers) as threads:
                results = list(threads.map(partial(_with_page, network=network), articles))
        else:
            results = [_with_page(article, network) for article in articles]
    finally:
        network.close()
    problems = [problem for _, problem in results if problem is not None]
    return [article for article, _ in results], problems


def _with_page(article: Article, network: _Network) -> tuple[Article, Problem | None]:
    url = article.url
    if article.kind != "link" or not url:
        return article, None

    def kept(why: str) -> tuple[Article, Problem]:
        message = f"linked page {url} not read ({one_line(why)}); kept as a link"
        return article, Problem(article.source, message, "warning")

    try:
        if not is_url(url) or urlsplit(url).scheme.lower() not in ("http", "https"):
            return kept("not an http(s) URL")
        if is_url(article.source) and not _may_list(article.source, url, network.resolve):
            return kept("refused: a private address")
        report = _read_url(url, network)
    except Exception as exc:  # a linked page must never cost the link itself
        return kept(f"unexpected {type(exc).__name__}: {exc}")
    page = next((found for found in report.articles if found.blocks), None)
    if page is None:
        errors = [problem.message for problem in report.problems]
        return kept(errors[0] if errors else "no article text found")
    return replace(article, blocks=page.blocks, kind="article", site=page.site), None
