"""The plain-text reader: one ``"line"`` block per non-blank line.

A plain-text file says nothing about structure, so this reader does not guess: the
summariser decides which line is a headline, a heading or boilerplate.
"""

from __future__ import annotations

from typing import ClassVar

from digest.models import Article, Block, Problem, SourceReport
from digest.sources.base import RawSource, decode_text, tidy_lines


class TextReader:
    """UTF-8 text (cp1252 tolerated), any line endings, with or without a final newline."""

    name: ClassVar[str] = "text"
    file_extensions: ClassVar[tuple[str, ...]] = ("txt", "text")
    media_types: ClassVar[tuple[str, ...]] = ("text/plain",)

    def read(self, raw: RawSource) -> SourceReport:
        text, warning = decode_text(raw)
        problems = [warning] if warning else []
        # Any line ending: \n, \r\n and \r (and the rarer Unicode separators).
        blocks = tuple(Block(line, "line") for line in tidy_lines(text) if line)
        if not blocks:
            problems.append(Problem(raw.source, "skipped: no text found"))
            return SourceReport([], problems)
        return SourceReport([Article(source=raw.source, blocks=blocks, url=raw.url)], problems)
