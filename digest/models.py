"""The plain data that travels between the stages.

sources → ``Article`` → summarise → ``DigestItem`` → issue → ``Issue`` → render →
``RenderedIssue`` → outbox. Every stage takes and returns these objects and nothing
else, so any stage can be read, tested and replaced on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

BlockKind = Literal["line", "paragraph", "heading"]
ArticleKind = Literal["article", "link"]


@dataclass(frozen=True)
class Block:
    """One block of an article's body, in reading order.

    ``kind`` says what the reader *knows*: Markdown and HTML mark headings and
    paragraphs, so their readers say ``"heading"`` or ``"paragraph"``. A plain-text
    line could be a headline, a heading, a paragraph or boilerplate; its reader says
    ``"line"`` and leaves the decision to the summariser.
    """

    text: str
    kind: BlockKind = "line"


@dataclass(frozen=True)
class Article:
    """One source document, as read, before any judgement about its content."""

    source: str
    """Where it came from: a file path or a URL (for a feed entry, the feed's)."""
    blocks: tuple[Block, ...]
    title: str | None = None
    """A title the format states (front matter, ``<title>``, a feed entry's title);
    ``None`` when the summariser has to find or derive one."""
    url: str | None = None
    published: datetime | None = None
    key: str | None = None
    """An identity the source itself states, such as a feed entry's ``<guid>`` or
    ``<id>``: the most reliable basis for the item's id when there is one."""
    kind: ArticleKind = "article"
    """``"link"`` for a feed entry that is a title and a link and no text of its own
    (Hacker News, Reddit, Lobsters, aggregators): it goes out as its title and link,
    with no lead, and is never "an article without text". Its ``blocks`` are empty
    until something fetches ``url`` for them."""
    source_name: str | None = None
    """The name a reading list (OPML) gives the feed this came from, if any."""
    category: str | None = None
    """The reading list's folder for that feed ("Tech / Programming"), if any."""
    comments_url: str | None = None
    """Where the entry is discussed (RSS ``<comments>``, Atom ``rel="replies"``): an
    aggregator's comments page, shown beside the link."""
    site: str | None = None
    """The publication's own name for itself, where the source states it (a page's
    ``og:site_name``, else its canonical URL's host): the byline shows it rather than
    the host the page happened to be fetched from."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with one source, said in one line.

    ``level`` is ``"warning"`` when the article was still read (for example after an
    encoding fallback) and ``"error"`` when the source was skipped.
    """

    source: str
    message: str
    level: Literal["warning", "error"] = "error"
    dropped: bool = False
    """An article or feed entry left out of the issue for what it holds (no text, no
    title): the issue records it (``Issue.dropped``), so that ``digest check`` says so
    too, not only the log."""

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class SourceReport:
    """What reading a set of sources gave: the articles and the problems."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class DigestItem(BaseModel):
    """One article as it appears in an issue."""

    model_config = ConfigDict(frozen=True)

    id: str
    """Stable across runs: the same article always gets the same id."""
    title: str
    lead: str
    headings: list[str]
    word_count: int
    reading_minutes: int
    source: str
    url: str | None = None
    published: datetime | None = None
    kind: ArticleKind = Field(default="article", repr=False)
    """``"link"`` for a link-only article (``Article.kind``): its lead is empty on
    purpose. Written to ``issue.json`` only then, so other items are as before."""
    section: str | None = Field(None, repr=False)
    """The section its source is configured under (``[[sources]]`` ``section``), set by
    the pipeline; ``None``: no section."""
    comments_url: str | None = Field(None, repr=False)
    """Where it is discussed (``Article.comments_url``), if the feed says."""
    fingerprint: str | None = Field(None, repr=False)
    """What the article says, hashed (``content_fingerprint``), set by the pipeline:
    an entry re-issued under a new guid or link is known by it."""
    site: str | None = Field(None, repr=False)
    """The publication it is from (``Article.site``), when its source names one."""

    @model_serializer(mode="wrap")
    def _without_unset_extras(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Fields added after issue.json existed are left out while unset (or at their
        # default), so an item without them is recorded exactly as before.
        data = handler(self)
        if isinstance(data, dict):
            for key in _OPTIONAL_EXTRAS:
                if data.get(key) is None:
                    data.pop(key, None)
            if data.get("kind") == "article":
                data.pop("kind", None)
        return data


_OPTIONAL_EXTRAS = ("section", "fingerprint", "comments_url", "site")
"""``DigestItem`` fields recorded only when set (see ``_without_unset_extras``)."""


class StaleSource(BaseModel):
    """A source that has failed ``source_failure_runs`` runs in a row: the issue's
    footer says it was not updated."""

    model_config = ConfigDict(frozen=True)

    name: str
    """Its ``name``, else the URL's host or the file's name."""
    since: datetime
    """When the first of its failed runs was."""


class Issue(BaseModel):
    """A numbered, dated issue: what gets rendered and written to the outbox."""

    model_config = ConfigDict(frozen=True)

    newsletter: str
    """The newsletter's name, as configured."""
    number: int
    date: date
    """The issue's date in the newsletter's time zone."""
    subject: str
    items: list[DigestItem]
    created_at: datetime
    """When it was assembled (timezone-aware)."""
    slot: datetime | None = None
    """The scheduled slot that produced it, when made by the daemon."""
    backlog: int = 0
    """New items left for later issues because of ``max_items``: a large backlog on a
    first run means the sources hold far more than one issue (a "first-run flood")."""
    stale_sources: list[StaleSource] = []
    """Sources failing for ``source_failure_runs`` runs or more when it was made."""
    dropped: list[str] = []
    """What the sources offered that was left out for what it holds, one line each
    ("news.rss: entry 3 skipped: no title or text"): nothing is dropped silently."""

    @property
    def sources(self) -> list[str]:
        return [item.source for item in self.items]

    @property
    def folder_name(self) -> str:
        return f"{self.date.isoformat()}-{self.number:03d}"


@dataclass(frozen=True)
class RenderedIssue:
    """The three forms of one issue, ready to be written or sent."""

    html: str
    text: str
    eml: bytes
