"""Facts: what an issue's HTML, plain text and .eml hold, as the rules need them.

This module owns reading, not judging: one parse of the HTML into ``HtmlFacts``
(links, images, visible text runs with the colour, background and size they are
shown in, headings and their content, hidden text such as the preheader), the
inline CSS that decides those styles, the URLs in the plain text and the parsed
``.eml``. Nothing here judges what it finds or makes a ``Finding``: that is
``digest.check.rules``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

from digest.colours import parse_colour

URL_IN_TEXT = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
"""A web address in plain text (trailing punctuation included: see ``text_links``)."""
_URL_TRAILING = ".,;:!?)]}>'\""
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
_SKIPPED = frozenset(("head", "style", "script", "title", "template"))
_HEADING = re.compile(r"^h([1-6])$")


@dataclass
class _Style:
    colour: str
    background: str
    large: bool
    hidden: bool


@dataclass
class HtmlFacts:
    """What the checks need from an HTML body, gathered in one parse."""

    links: list[tuple[str, str]] = field(default_factory=list)
    """(href, link text) for every ``<a href>``."""
    images: list[dict[str, str | None]] = field(default_factory=list)
    text_runs: list[tuple[str, str, str, bool]] = field(default_factory=list)
    """(text, colour, background, large) for every visible run of text."""
    blocks: list[tuple[int, str]] = field(default_factory=list)
    """Visible content in order: (heading level, text) for headings, (0, text) else."""
    hidden_text: list[str] = field(default_factory=list)
    """Text in hidden elements, in order (the preheader is the first)."""

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(text for _, text in self.blocks).split())


class _FactParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self.stack: list[tuple[str, _Style]] = []
        self.skip_depth = 0
        self.link: list[str] | None = None
        self.href = ""
        self.heading: tuple[int, list[str]] | None = None

    @property
    def style(self) -> _Style:
        return self.stack[-1][1] if self.stack else _Style("#000000", "#ffffff", False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): v for k, v in attrs}
        if tag == "img":
            self.facts.images.append(attr)
        if tag in _VOID:
            return
        if tag in _SKIPPED:
            self.skip_depth += 1
        self.stack.append((tag, _child_style(self.style, attr)))
        if tag == "a" and attr.get("href") is not None:
            self.link, self.href = [], attr["href"] or ""
        match = _HEADING.match(tag)
        if match:
            self.heading = (int(match.group(1)), [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.facts.images.append({k.lower(): v for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(name == tag for name, _ in self.stack):
            return
        while self.stack:
            name, _ = self.stack.pop()
            if name in _SKIPPED:
                self.skip_depth -= 1
            if name == "a" and self.link is not None:
                self.facts.links.append((self.href, " ".join("".join(self.link).split())))
                self.link = None
            if _HEADING.match(name) and self.heading is not None:
                text = " ".join("".join(self.heading[1]).split())
                if text:
                    self.facts.blocks.append((self.heading[0], text))
                self.heading = None
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        style = self.style
        if style.hidden:
            if data.strip():
                self.facts.hidden_text.append(" ".join(data.split()))
            return
        if self.link is not None:
            self.link.append(data)
        if self.heading is not None:
            self.heading[1].append(data)
        if not data.strip():
            return
        text = " ".join(data.split())
        self.facts.text_runs.append((text, style.colour, style.background, style.large))
        if self.heading is None:
            self.facts.blocks.append((0, text))


def _child_style(parent: _Style, attr: dict[str, str | None]) -> _Style:
    declarations = _declarations(attr.get("style") or "")
    colour = parse_colour(declarations.get("color", "")) or parent.colour
    background = (
        parse_colour(declarations.get("background-color", ""))
        or parse_colour(declarations.get("background", ""))
        or parse_colour(attr.get("bgcolor") or "")
        or parent.background
    )
    large = parent.large
    size = re.match(r"([\d.]+)px", declarations.get("font-size", ""))
    if size:
        px = float(size.group(1))
        weight = declarations.get("font-weight", "")
        bold = weight == "bold" or (weight.isdigit() and int(weight) >= 700)
        # WCAG "large text": 18pt (24px), or 14pt (18.66px) when bold.
        large = px >= 24 or (bold and px >= 18.66)
    hidden = (
        parent.hidden
        or declarations.get("display", "") == "none"
        or declarations.get("mso-hide", "") == "all"
        or "hidden" in attr
    )
    return _Style(colour, background, large, hidden)


def _declarations(style: str) -> dict[str, str]:
    out = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if value:
            out[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return out


def html_facts(html: str) -> HtmlFacts:
    parser = _FactParser()
    parser.feed(html)
    parser.close()
    return parser.facts


def preheader_of(html: str) -> str:
    """The hidden preview line inbox clients show after the subject, if any."""
    hidden = html_facts(html).hidden_text
    return hidden[0] if hidden else ""


def text_links(text: str) -> list[str]:
    return [m.group(0).rstrip(_URL_TRAILING) for m in URL_IN_TEXT.finditer(text)]


def eml_message(eml: bytes) -> EmailMessage | None:
    if not eml.strip():
        return None
    message = message_from_bytes(eml, policy=policy.default)
    return message if isinstance(message, EmailMessage) else None
