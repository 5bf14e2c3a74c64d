"""The reader registry: which reader handles a file extension, a media type or a body.

Like Pelican's ``Readers``: a reader declares its extensions and media types and
``register`` files it under them, so supporting a format is writing a reader and
registering it (``digest.sources`` registers the built-in ones). A URL's reader is
chosen from its body first (a feed or an HTML document), then its ``Content-Type``.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from digest.sources.base import Reader, looks_binary

# Skipped before looking for a document's first element when sniffing a response.
_PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)", re.DOTALL)
_FIRST_ELEMENT = re.compile(rb"\s*<([a-z][\w:.-]*)")
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf"})

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


def reader_named(name: str) -> Reader:
    """The registered reader called ``name`` (``"text"``, ``"feed"``…)."""
    return _by_name[name]


def extensions() -> list[str]:
    """Every registered file extension, sorted (for messages about what is read)."""
    return sorted(_by_extension)


def reader_for_response(media_type: str, body: bytes, url: str) -> Reader | None:
    """The reader for a response: what the body is, else what the server says it is.

    The body goes first because servers often label feeds ``text/html`` or
    ``text/plain``, and pages ``application/xml``.
    """
    sniffed = sniff_markup(body)
    if sniffed is not None:
        return reader_named(sniffed)
    if media_type in _by_media_type:
        return _by_media_type[media_type]
    if looks_binary(body):
        return None
    by_extension = reader_for_path(urlsplit(url).path)
    if by_extension is not None:
        return by_extension
    if media_type in ("", "application/octet-stream") or media_type.startswith("text/"):
        return reader_named("text")
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
