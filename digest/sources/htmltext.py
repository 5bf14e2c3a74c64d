"""A small HTML-to-blocks converter on the standard library's ``html.parser``.

Feed entries carry short HTML fragments, and the HTML reader needs a fallback when
trafilatura finds no main text. Neither needs boilerplate detection, only "which
text sits in which heading or paragraph", which the standard library does quickly
and without importing lxml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from digest.models import Block, BlockKind
from digest.sources.base import make_blocks, tidy_title

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Tags that end the text before them and start a new block.
_BLOCKS = _HEADINGS | frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "header", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Void tags that still separate text (no end tag ever comes for them).
_BREAKS = frozenset({"br", "hr"})
# Tags whose content is never reading text. (Code is dropped too, as in Markdown.)
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object",
     "canvas", "button", "select", "textarea", "code"}
)  # fmt: skip


@dataclass
class HtmlText:
    """The readable text of an HTML document or fragment."""

    title: str | None = None
    """The ``<title>``, if there is one."""
    parts: list[tuple[str, BlockKind, str]] = field(default_factory=list)
    """``(text, kind, tag)`` in document order; ``tag`` is the innermost block tag."""
    unlinked: list[str] = field(default_factory=list)
    """The reading text that is not inside a link (``<a href>``), in pieces: a feed
    entry whose text is all links ("Comments", "[link] [comments]") has none."""

    def blocks(self, *, only: frozenset[str] | None = None) -> tuple[Block, ...]:
        """The parts as tidied blocks, optionally only those from the ``only`` tags."""
        return make_blocks(
            (text, kind) for text, kind, tag in self.parts if only is None or tag in only
        )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = HtmlText()
        self._buffer: list[str] = []
        self._title: list[str] = []
        self._open: list[str] = []
        self._skipping = 0
        self._in_title = False
        self._links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links += 1
        elif tag in _SKIPPED:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BREAKS:
            self._flush()
        elif tag in _BLOCKS:
            self._flush()
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, or an XHTML-style empty element: nothing opens, so nothing closes.
        if tag in _BREAKS or tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._links = max(0, self._links - 1)
        elif tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCKS:
            self._flush()
            # Real-world HTML leaves tags unclosed; close back to the matching one.
            if tag in self._open:
                while self._open.pop() != tag:
                    pass

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_title:
            self._title.append(data)
        else:
            self._buffer.append(data)
            if not self._links:
                self.result.unlinked.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        self.result.title = tidy_title("".join(self._title))

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer.clear()
        if text.strip():
            tag = self._open[-1] if self._open else ""
            # A heading wrapped in inline or block markup is still a heading.
            kind: BlockKind = "heading" if any(t in _HEADINGS for t in self._open) else "paragraph"
            self.result.parts.append((text, kind, tag))


def parse_html(markup: str) -> HtmlText:
    """The title and the text blocks of an HTML document or fragment."""
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector.result


def html_to_blocks(markup: str) -> tuple[Block, ...]:
    """Heading and paragraph blocks from an HTML fragment such as a feed entry's."""
    return parse_html(markup).blocks()
