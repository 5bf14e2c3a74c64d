"""What every reader shares: the reader interface, raw input, and text tidying.

A reader is a pure function of bytes: it gets a ``RawSource`` (the bytes of one file
or one HTTP response, already size- and binary-checked by the caller) and returns a
``SourceReport``. All file and network I/O happens in ``files`` and ``fetch``, so a
reader can be tested with a byte string.

The tidying helpers here are the one place where "text in all formats" is defined:
Unicode NFC, no control characters, whitespace collapsed, typographic quotes kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from typing import ClassVar, Protocol

from digest.models import Block, BlockKind, Problem, SourceReport

# C0 and C1 control characters and stray byte-order marks. Tabs and line breaks are
# not in the set: callers either split on them first or collapse them as whitespace.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A problem message is one line, short enough to read in a terminal or a log.
_MAX_MESSAGE = 300


@dataclass(frozen=True)
class RawSource:
    """The bytes of one source, with what is known about them."""

    source: str
    """The label for articles and problems: a path as given, or a URL."""
    data: bytes
    url: str | None = None
    """The URL the bytes were fetched from (after redirects), if any."""
    charset: str | None = None
    """The charset an HTTP ``Content-Type`` header declared, if any."""


class Reader(Protocol):
    """Turns the bytes of one format into articles, like a Pelican reader.

    Registering a reader (``digest.sources.register``) with its extensions and media
    types is all it takes to support a new format.
    """

    name: ClassVar[str]
    file_extensions: ClassVar[tuple[str, ...]]
    """Lower-case extensions without the dot, used when reading folders and files."""
    media_types: ClassVar[tuple[str, ...]]
    """``Content-Type`` values (without parameters) used when reading URLs."""

    def read(self, raw: RawSource) -> SourceReport: ...


def tidy(text: str) -> str:
    """One line of clean text: NFC, control characters dropped, whitespace collapsed."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # Controls go first so that one between two spaces cannot leave a double space.
    return " ".join(_CONTROL.sub("", text).split())


def tidy_lines(text: str) -> list[str]:
    """Every line of ``text`` (any line ending), each as ``tidy`` makes it.

    Plain-text files are read line by line by the thousand, so this checks the whole
    text for normalisation once and leaves alone each line that is clean already
    (printable, so without controls, and without stray spaces): most lines are.
    """
    joined = "\n".join(text.splitlines())
    if not unicodedata.is_normalized("NFC", joined):
        joined = unicodedata.normalize("NFC", joined)
    return [
        line
        if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " "
        else " ".join(_CONTROL.sub("", line).split())
        for line in joined.split("\n")
    ]


def tidy_title(text: str | None) -> str | None:
    """A tidied title, or ``None`` when there is nothing left of it."""
    if text is None:
        return None
    return tidy(str(text)) or None


def make_blocks(parts: Iterable[tuple[str, BlockKind]]) -> tuple[Block, ...]:
    """Blocks from ``(text, kind)`` pairs, tidied, with empty ones dropped."""
    blocks = []
    for text, kind in parts:
        clean = tidy(text)
        if clean:
            blocks.append(Block(clean, kind))
    return tuple(blocks)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: it contains NUL bytes (UTF-16 text excepted)."""
    return b"\x00" in data and not data.startswith(_UTF16_BOMS)


def is_blank(data: bytes) -> bool:
    """True for empty or whitespace-only data (a lone byte-order mark counts as blank)."""
    return not data.removeprefix(_UTF8_BOM).strip()


def decode_text(raw: RawSource) -> tuple[str, Problem | None]:
    """The text of ``raw``, and a warning when it was not valid in its encoding.

    Order: a byte-order mark, then the charset an HTTP header declared, then UTF-8,
    then cp1252 (what "not UTF-8" usually is in practice: text saved by Windows
    tools). cp1252 leaves five byte values undefined; those fall back to Latin-1
    and are dropped later as control characters.
    """
    data = raw.data
    if data.startswith(_UTF8_BOM):
        data, declared = data[len(_UTF8_BOM) :], "utf-8"
    elif data.startswith(_UTF16_BOMS):
        declared = "utf-16"
    else:
        declared = (raw.charset or "utf-8").lower()
    try:
        return data.decode(declared), None
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    what = "UTF-8" if declared in ("utf-8", "utf8") else declared
    return text, Problem(raw.source, f"not valid {what}, read as cp1252", "warning")


def parse_datetime(value: object) -> datetime:
    """A timezone-aware datetime from a front-matter or metadata value.

    Accepts ``datetime`` and ``date`` objects (YAML produces both), ISO 8601 strings
    and RFC 2822 strings (as in feeds and email). A value with no time zone is taken
    as UTC, and a date alone as midnight UTC. Raises ``ValueError`` otherwise.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                raise ValueError(f"not a date: {text!r}") from None
    else:
        raise ValueError(f"not a date: {value!r}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def one_line(message: str) -> str:
    """``message`` fit for a one-line problem: whitespace collapsed, length capped."""
    line = " ".join(message.split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


def format_size(size: int) -> str:
    """A byte count for people: ``"812 bytes"``, ``"14.2 kB"``, ``"6.2 MB"``."""
    if size < 1000:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.1f} GB"


def over_limit_message(size: int, limit: int) -> str:
    """Why a source of ``size`` bytes was skipped, e.g. "6.2 MB is over the 5.0 MB limit"."""
    shown, allowed = format_size(size), format_size(limit)
    if shown == allowed:
        # Rounding made them look equal ("5.0 MB is over the 5.0 MB limit"): be exact.
        shown, allowed = f"{size:,} bytes", f"{limit:,}-byte"
    return f"skipped: {shown} is over the {allowed} limit"
