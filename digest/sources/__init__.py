"""The sources stage: every supported input read into ``Article`` objects.

``read_sources(specs)`` takes file paths, folder paths and http(s) URLs and returns
a ``SourceReport``. It never raises because of a source: whatever goes wrong with
one becomes a one-line ``Problem`` and the others are still read.

Formats are handled by readers (``digest.sources.base.Reader``), registered here
with their file extensions and media types, as Pelican does: supporting a new format
means writing a reader and calling ``register``. Folders are dispatched by
extension (unknown extensions are ignored); a file named explicitly is read as plain
text if its extension is unknown; a URL's reader is chosen from its body (a feed or
an HTML document) and then its ``Content-Type``.

This module imports no heavy library: trafilatura, feedparser, lxml, frontmatter,
markdown-it and urllib.request are imported by the readers that need them, when
they do, so that the CLI starts quickly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from digest.models import Problem, SourceReport
from digest.sources.base import RawSource, Reader, is_blank, looks_binary, one_line
from digest.sources.feed import FeedReader
from digest.sources.files import Skipped, load_file, walk_folder
from digest.sources.html import HtmlReader
from digest.sources.markdown import MarkdownReader
from digest.sources.text import TextReader

if TYPE_CHECKING:
    from digest.sources.fetch import Resolver

__all__ = ["Reader", "read_sources", "reader_for_path", "readers", "register", "unregister"]

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# Skipped before looking for a document's first element when sniffing a response.
_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)", re.DOTALL)
_FIRST_ELEMENT = re.compile(rb"\s*<([a-z][\w:.-]*)")
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf"})
# Enough URLs at once to hide slow servers, few enough to be polite.
_MAX_PARALLEL_FETCHES = 8

_readers: list[Reader] = []
_by_extension: dict[str, Reader] = {}
_by_media_type: dict[str, Reader] = {}
_by_name: dict[str, Reader] = {}


def register(reader: Reader) -> None:
    """Make ``reader`` handle its extensions and media types (replacing earlier ones)."""
    _readers.append(reader)
    _by_name[reader.name] = reader
    for extension in reader.file_extensions:
        _by_extension[extension.lower().lstrip(".")] = reader
    for media_type in reader.media_types:
        _by_media_type[media_type.lower()] = reader


def unregister(reader: Reader) -> None:
    """Undo ``register(reader)``, giving its extensions and media types back to the
    readers registered before it."""
    remaining = [other for other in _readers if other is not reader]
    for table in (_readers, _by_name, _by_extension, _by_media_type):
        table.clear()
    for other in remaining:
        register(other)


def readers() -> tuple[Reader, ...]:
    """The registered readers, in registration order."""
    return tuple(_readers)


def reader_for_path(path: str) -> Reader | None:
    """The reader for a file name's extension, or ``None`` if none handles it."""
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    return _by_extension.get(extension) if extension else None


for _reader in (TextReader(), MarkdownReader(), HtmlReader(), FeedReader()):
    register(_reader)


@dataclass(frozen=True)
class _Task:
    """Reading one file or URL, later: ``run`` may raise, ``_perform`` makes that safe."""

    label: str
    run: Callable[[], SourceReport]
    key: str | None = None
    """Identifies the file or URL, so that one named twice is read once."""
    is_url: bool = False


def read_sources(
    specs: list[str],
    *,
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    resolve: Resolver | None = None,
) -> SourceReport:
    """Every article in ``specs`` (files, folders, http(s) URLs), and what went wrong.

    Articles and problems come in the order of ``specs``, and within a folder in path
    order. A file or URL named twice (directly or through a folder) is read once.

    ``resolve`` looks up host names for the check that a URL's redirects do not lead
    from a public host to a private address (``fetch.redirect_allowed``); by default,
    the OS resolver.
    """
    tasks: list[_Task] = []
    seen: set[str] = set()
    for spec in specs:
        for task in _plan(spec, max_bytes, timeout, resolve):
            if task.key is not None:
                if task.key in seen:
                    continue
                seen.add(task.key)
            tasks.append(task)

    url_count = sum(task.is_url for task in tasks)
    if url_count > 1:
        # Fetching is mostly waiting: run the tasks in threads so that one slow server
        # does not hold up the rest. map() keeps the results in task order.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(url_count, _MAX_PARALLEL_FETCHES)) as pool:
            reports = list(pool.map(_perform, tasks))
    else:
        reports = [_perform(task) for task in tasks]

    merged = SourceReport()
    for report in reports:
        merged.articles.extend(report.articles)
        merged.problems.extend(report.problems)
    return merged


def _perform(task: _Task) -> SourceReport:
    try:
        return task.run()
    except Exception as exc:  # nothing from a source may raise out of read_sources
        return _unexpected(task.label, exc)


def _plan(
    spec: str, max_bytes: int, timeout: float, resolve: Resolver | None = None
) -> list[_Task]:
    """A task for each file or URL that ``spec`` names, or one reporting why not."""
    try:
        return list(_plan_unsafe(spec, max_bytes, timeout, resolve))
    except Exception as exc:
        return [_fixed(spec, _unexpected(spec, exc))]


def _plan_unsafe(
    spec: str, max_bytes: int, timeout: float, resolve: Resolver | None
) -> Iterator[_Task]:
    if not spec or not spec.strip():
        yield _fixed(repr(spec), _error(repr(spec), "not a file, folder or URL"))
        return
    if _URL.match(spec):
        scheme = urlsplit(spec).scheme.lower()
        if scheme in ("http", "https"):
            run = partial(_read_url, spec, max_bytes, timeout, resolve)
            yield _Task(spec, run, spec, is_url=True)
        else:
            message = f"unsupported URL scheme '{scheme}' (only http and https)"
            yield _fixed(spec, _error(spec, message))
        return

    path = os.path.expanduser(spec)
    if not os.path.isdir(path):
        # Named explicitly, so read it even with an unknown extension.
        reader = reader_for_path(path) or _by_name["text"]
        yield _Task(spec, partial(_read_file, spec, reader, max_bytes), _path_key(path))
        return

    found = False  # a file to read, or a problem already said why there is none
    for item in walk_folder(path, lambda name: reader_for_path(name) is not None):
        found = True
        if isinstance(item, Problem):
            yield _fixed(item.source, SourceReport([], [item]))
            continue
        reader = reader_for_path(item)
        assert reader is not None  # walk_folder only yields files some reader handles
        yield _Task(item, partial(_read_file, item, reader, max_bytes), _path_key(item))
    if not found:
        extensions = ", ".join(f".{ext}" for ext in sorted(_by_extension))
        message = f"no files to read in this folder (looked for {extensions})"
        yield _fixed(spec, SourceReport([], [Problem(spec, message, "warning")]))


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


def _read_url(
    url: str, max_bytes: int, timeout: float, resolve: Resolver | None = None
) -> SourceReport:
    from digest.sources.fetch import FetchError, fetch, resolve_host

    try:
        response = fetch(
            url, max_bytes=max_bytes, timeout=timeout, resolve=resolve or resolve_host
        )
    except FetchError as exc:
        return _error(url, str(exc))
    if is_blank(response.body):
        return _error(url, "skipped: empty response")
    reader = _reader_for_response(response.media_type, response.body, response.url)
    if reader is None:
        kind = response.media_type or "unknown"
        return _error(url, f"skipped: cannot read content of type {kind}")
    raw = RawSource(source=url, data=response.body, url=response.url, charset=response.charset)
    return reader.read(raw)


def _reader_for_response(media_type: str, body: bytes, url: str) -> Reader | None:
    """The reader for a response: what the body is, else what the server says it is.

    The body goes first because servers often label feeds ``text/html`` or
    ``text/plain``, and pages ``application/xml``.
    """
    sniffed = sniff_markup(body)
    if sniffed is not None:
        return _by_name[sniffed]
    if media_type in _by_media_type:
        return _by_media_type[media_type]
    if looks_binary(body):
        return None
    by_extension = reader_for_path(urlsplit(url).path)
    if by_extension is not None:
        return by_extension
    if media_type in ("", "application/octet-stream") or media_type.startswith("text/"):
        return _by_name["text"]
    return None


def sniff_markup(body: bytes) -> str | None:
    """``"feed"`` or ``"html"`` from a document's first element, or ``None``."""
    head = body[:4096].removeprefix(b"\xef\xbb\xbf").lower()
    position = 0
    while match := _PROLOGUE.match(head, position):
        if match.group().strip().startswith(b"<!doctype html"):
            return "html"
        position = match.end()
    element = _FIRST_ELEMENT.match(head, position)
    if element is None:
        return None
    name = element.group(1)
    if name in _FEED_ROOTS:
        return "feed"
    if name in (b"html", b"head", b"body"):
        return "html"
    return None


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
