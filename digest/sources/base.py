"""What every reader shares: the reader interface, raw input, and text tidying.

A reader is a pure function of bytes: it gets a ``RawSource`` (the bytes of one file
or one HTTP response, already size- and binary-checked by the caller) and returns a
``SourceReport``. All file and network I/O happens in ``files`` and ``fetch``, so a
reader can be tested with a byte string.

The tidying helpers here are the one place where "text in all formats" is defined:
Unicode NFC, no control characters, whitespace collapsed, typographic quotes kept.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import ClassVar, Protocol

from digest.models import Block, BlockKind, Problem, SourceReport

# C0 and C1 control characters and stray byte-order marks. Tabs and line breaks are
# not in the set: callers either split on them first or collapse them as whitespace.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A byte-order mark says what the bytes are, whatever else is declared (UTF-32 first:
# its little-endian mark starts with UTF-16's).
_BOMS = (
    (_UTF8_BOM, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Legacy labels read as the supersets browsers use for them (the WHATWG Encoding
# standard): the same text for valid bytes, and the extra characters real pages use.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
}
_WESTERN = frozenset({"cp1252", "iso8859-1"})
_LABELS = {
    "utf-8": "UTF-8",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JP",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "gb18030": "GB18030",
    "gb2312": "GB2312",
    "big5": "Big5",
    "big5hkscs": "Big5",
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "cp874": "TIS-620",
    "tis-620": "TIS-620",
    "iso8859-1": "Latin-1",
}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
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

    Plain text and Markdown declare nothing of their own: see ``decode`` for the
    order (a byte-order mark, the HTTP charset, else UTF-8, else detection).
    """
    decoded = decode(raw)
    return decoded.text, decoded.problem


@dataclass(frozen=True)
class Decoded:
    """Bytes turned into text, with the codec used and a note when it was a guess."""

    text: str
    encoding: str
    """The Python codec the text was decoded with (``"utf-8"``, ``"euc_jp"``…)."""
    problem: Problem | None = None


def decode(raw: RawSource, declared: str | None = None, *, presumed_utf8: bool = True) -> Decoded:
    """The text of ``raw``, decoded as what it says it is, or as what it looks like.

    Order: a byte-order mark wins; then the charset the HTTP header declared, then
    ``declared`` (what the document says of itself: an XML declaration, an HTML
    ``<meta charset>``), each used if the bytes are valid in it (a legacy label is
    read as the superset browsers use: GB2312 as GB18030, EUC-KR as cp949,
    ISO-8859-1 as cp1252…). Without a declaration, valid UTF-8 is UTF-8. Anything
    else is detected with charset-normalizer. A declaration that does not fit is
    noted (what was declared, what was used); so is one of ISO-8859-1 or cp1252 on
    bytes that are valid UTF-8 with more than ASCII, which are read as UTF-8 (servers
    label everything ISO-8859-1, and real Latin-1 text is never valid multi-byte
    UTF-8). Undeclared bytes that are not UTF-8 are noted when ``presumed_utf8``
    (a text or Markdown file, which is UTF-8 by definition here), not otherwise (a
    feed or a page without a declaration is legal, and not the reader's to fix).
    """
    data = raw.data
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            return Decoded(text, codec)
    labels = [label for label in (raw.charset, declared) if label and label.strip()]
    for number, label in enumerate(labels):
        codec = _codec(label)
        text = _strict(data, codec) if codec else None
        if codec in _WESTERN and not data.isascii() and (utf8 := _strict(data, "utf-8")):
            # Multi-byte UTF-8 sequences are all but impossible in real Latin-1 text,
            # while servers that label everything ISO-8859-1 are common.
            return Decoded(utf8, "utf-8", _wrong(raw.source, labels[0], "UTF-8"))
        if codec and text is not None:
            problem = _wrong(raw.source, labels[0], label) if number else None
            return Decoded(text, codec, problem)
    if not labels:
        text = _strict(data, "utf-8")
        if text is not None:
            return Decoded(text, "utf-8")
    text, codec = detect(data)
    if labels:
        problem: Problem | None = _wrong(raw.source, labels[0], encoding_label(codec))
    elif presumed_utf8:
        message = f"not valid UTF-8, read as {encoding_label(codec)}"
        problem = Problem(raw.source, message, "warning")
    else:
        problem = None
    return Decoded(text, codec, problem)


def detect(data: bytes) -> tuple[str, str]:
    """``(text, codec)`` for bytes of unknown encoding, as charset-normalizer sees them.

    When cp1252 gives the very same text as its guess, the guess is called cp1252:
    for Western text the detector cannot tell the Windows code pages apart, and
    cp1252 is what such text is in practice. With no guess at all, cp1252 (Latin-1
    for its five undefined bytes).
    """
    from charset_normalizer import from_bytes

    western = _western(data)
    for match in from_bytes(data):
        text = _strict(data, match.encoding)
        if text is None:
            continue
        if text == western:
            return western, "cp1252"
        return text, codecs.lookup(match.encoding).name
    return western, "cp1252"


def encoding_label(codec: str) -> str:
    """A codec's name as people know it: ``"EUC-JP"``, ``"cp1252"``, ``"KOI8-R"``."""
    name = codecs.lookup(codec).name
    return _LABELS.get(name) or (name if name.startswith("cp") else name.upper().replace("_", "-"))


def declared_xml_encoding(data: bytes) -> str | None:
    """The ``encoding`` of an XML declaration at the start of ``data``, if any."""
    match = _XML_ENCODING.match(data[:1024])
    return match.group(1).decode("ascii") if match else None


def strip_xml_declaration(text: str) -> str:
    """``text`` without its XML declaration: decoded text must not claim an encoding
    (lxml refuses it, and feedparser would believe it)."""
    return _XML_DECLARATION.sub("", text, count=1)


def _codec(label: str) -> str | None:
    """The Python codec for a declared charset label (its browser superset), or ``None``."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _western(data: bytes) -> str:
    """``data`` as browsers read windows-1252: its five undefined bytes as the C1
    controls Latin-1 has there (dropped later, as every control character is)."""
    return data.decode("cp1252", errors=_AS_LATIN1)


def _as_latin1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


_AS_LATIN1 = "digest-as-latin-1"
codecs.register_error(_AS_LATIN1, _as_latin1)


def _wrong(source: str, declared: str, used: str) -> Problem:
    """The note for a declared charset that does not fit the bytes."""
    shown = one_line(declared.strip().strip("\"'"))[:40]
    if _codec(declared) is None:
        message = f"declared an unknown charset {shown!r}, read as {used}"
    else:
        message = f"declared {shown}, but not valid {shown}: read as {used}"
    return Problem(source, message, "warning")


def parse_datetime(value: object) -> datetime:
    """A timezone-aware datetime from a front-matter or metadata value.

    Accepts ``datetime`` and ``date`` objects (YAML produces both), ISO 8601 strings
    and RFC 2822 strings (as in feeds and email). A value with no time zone is taken
    as UTC, and a date alone as midnight UTC. Raises ``ValueError`` otherwise, and for a
    date at the calendar's edge (``in_range``).
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
    return in_range(parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC))


# A time zone's offset is under a day, so a moment a day or more inside datetime's
# range can be shown in any zone; one at its very edge cannot: .NET's empty DateTime
# ("0001-01-01T00:00:00") in New York, or "9999-12-31T23:59:59-12:00" anywhere.
_EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
_LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def in_range(moment: datetime) -> datetime:
    """``moment`` (timezone-aware) if it can be shown in every time zone, else raises
    ``ValueError``: a date at the very edge of the calendar (year 1 or 9999) is a
    placeholder, and converting it to the newsletter's zone would overflow."""
    try:
        inside = _EARLIEST <= moment <= _LATEST  # compared in UTC, which may overflow
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"not a date: {moment.isoformat()} is out of range")
    return moment


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
