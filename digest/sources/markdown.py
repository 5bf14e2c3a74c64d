"""The Markdown reader: front matter for metadata, markdown-it tokens for the body.

Headings become ``"heading"`` blocks and paragraphs, list items, quotes and table
rows become ``"paragraph"`` blocks, all as plain text: link text is kept, emphasis
and code markers go, images and code blocks are dropped (they do not read aloud in
a digest). python-frontmatter and markdown-it-py are imported inside ``read`` to
keep ``import digest.sources`` cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from digest.models import Article, BlockKind, Problem, SourceReport
from digest.sources.base import (
    RawSource,
    decode_text,
    make_blocks,
    one_line,
    parse_datetime,
    tidy_title,
)
from digest.sources.htmltext import parse_html

if TYPE_CHECKING:
    from markdown_it.token import Token

_TITLE_KEYS = ("title",)
_URL_KEYS = ("url", "link")
_DATE_KEYS = ("date", "published")
# Inline tokens whose content is reading text. Everything else is markup (emphasis,
# links, strikethrough), dropped raw HTML, or an image, whose alt text is not prose.
_TEXT_TOKENS = frozenset({"text", "text_special", "code_inline"})
_BREAK_TOKENS = frozenset({"softbreak", "hardbreak"})


class FrontMatterError(ValueError):
    """Front matter that is not a YAML mapping; ``str()`` is a one-line reason."""


class MarkdownReader:
    """CommonMark (plus tables) with optional YAML front matter."""

    name: ClassVar[str] = "markdown"
    file_extensions: ClassVar[tuple[str, ...]] = ("md", "markdown", "mdown", "mkd")
    media_types: ClassVar[tuple[str, ...]] = ("text/markdown", "text/x-markdown")

    def read(self, raw: RawSource) -> SourceReport:
        text, warning = decode_text(raw)
        problems = [warning] if warning else []
        try:
            metadata, body = split_front_matter(text)
        except FrontMatterError as exc:
            problems.append(Problem(raw.source, f"bad front matter: {exc}"))
            return SourceReport([], problems)

        published, date_problem = _published(metadata, raw.source)
        if date_problem:
            problems.append(date_problem)
        title = tidy_title(_first(metadata, _TITLE_KEYS))
        parts = list(markdown_parts(body))
        if title is None and parts and parts[0][1] == "h1":
            title = tidy_title(parts.pop(0)[0])
        blocks = make_blocks((text, _kind(tag)) for text, tag in parts)
        if not blocks:
            problems.append(Problem(raw.source, "skipped: no text found"))
            return SourceReport([], problems)
        url = _first(metadata, _URL_KEYS)
        article = Article(
            source=raw.source,
            blocks=blocks,
            title=title,
            url=str(url).strip() if url else raw.url,
            published=published,
        )
        return SourceReport([article], problems)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter as a dict (empty if there is none) and the body."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    handler = YAMLHandler()
    if not handler.detect(text):
        return {}, text
    try:
        front, body = handler.split(text)
        metadata = handler.load(front)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        # +2: marks count from 0, and the opening "---" is the file's first line.
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise FrontMatterError(one_line(f"{exc.problem or exc.context}{where}")) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise FrontMatterError(one_line(str(exc))) from None
    if metadata is None:
        return {}, body
    if not isinstance(metadata, dict):
        raise FrontMatterError(f"expected key: value pairs, found a {type(metadata).__name__}")
    return {str(key).lower(): value for key, value in metadata.items()}, body


def markdown_parts(body: str) -> Iterator[tuple[str, str]]:
    """``(text, tag)`` for each block of ``body``: ``h1``…``h6``, or ``p`` for prose."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(body)
    cells: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "inline":
            opener = tokens[index - 1]
            text = inline_text(token.children or [])
            if opener.type in ("th_open", "td_open"):
                cells.append(text)
            elif opener.type == "heading_open":
                yield text, opener.tag
            else:
                yield text, "p"
        elif token.type == "tr_close":
            yield " | ".join(cell for cell in cells if cell.strip()), "p"
            cells = []
        elif token.type == "html_block":
            for text, kind, _ in parse_html(token.content).parts:
                yield text, ("h2" if kind == "heading" else "p")


def inline_text(children: Sequence[Token]) -> str:
    """The plain text of an inline token's children."""
    return "".join(
        token.content if token.type in _TEXT_TOKENS else " "
        for token in children
        if token.type in _TEXT_TOKENS or token.type in _BREAK_TOKENS
    )


def _kind(tag: str) -> BlockKind:
    return "heading" if tag.startswith("h") else "paragraph"


def _first(metadata: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if metadata.get(key) not in (None, ""):
            return metadata[key]
    return None


def _published(metadata: dict[str, Any], source: str) -> tuple[datetime | None, Problem | None]:
    value = _first(metadata, _DATE_KEYS)
    if value is None:
        return None, None
    try:
        return parse_datetime(value), None
    except (ValueError, OverflowError):
        shown = one_line(str(value))[:60]
        return None, Problem(source, f"bad date '{shown}' in front matter, ignored", "warning")
