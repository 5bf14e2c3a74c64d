"""The feed reader: RSS 0.9x/1.0/2.0 and Atom, one article per entry.

feedparser does the parsing (and copes with most broken feeds in the wild); it is
imported inside ``read`` to keep ``import digest.sources`` cheap. Entry bodies are
HTML fragments, turned into blocks by the shared ``htmltext`` helper.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from digest.models import Article, Block, Problem, SourceReport
from digest.sources.base import (
    RawSource,
    declared_xml_encoding,
    decode,
    in_range,
    make_blocks,
    one_line,
    strip_xml_declaration,
    tidy,
    tidy_title,
)
from digest.sources.htmltext import html_to_blocks, parse_html

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# At most this much text (all in links) in an entry that is only links.
_MAX_LINKS_TEXT = 80
# Text an aggregator puts around the links of an entry that is only links (Reddit).
_FURNITURE = re.compile(r"\bsubmitted by\b|[|·•\s]", re.IGNORECASE)


class FeedReader:
    """An RSS or Atom feed, from a file or a URL."""

    name: ClassVar[str] = "feed"
    file_extensions: ClassVar[tuple[str, ...]] = ("xml", "rss", "atom", "feed", "rdf")
    media_types: ClassVar[tuple[str, ...]] = (
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    )

    def read(self, raw: RawSource) -> SourceReport:
        import feedparser

        # Decoded here, not by feedparser: it reads bytes without a declaration as
        # UTF-8 or, from a URL, as ISO-8859-1, where charset-normalizer finds EUC-JP
        # or KOI8-R. It gets UTF-8 said to be UTF-8, which it takes as it is.
        decoded = decode(raw, declared_xml_encoding(raw.data), presumed_utf8=False)
        data = strip_xml_declaration(decoded.text).encode("utf-8")
        headers = {"content-type": "application/xml; charset=utf-8"}
        if raw.url:
            # Lets feedparser resolve relative entry links against the feed's address.
            headers["content-location"] = raw.url
        # A file object, not bytes: feedparser tries to open() a bytes argument as a
        # file name first, and a feed's body must never name a local file to read.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
        notes = [decoded.problem] if decoded.problem else []
        if not parsed.entries:
            if parsed.get("bozo"):
                reason = one_line(str(parsed.get("bozo_exception") or "unknown error"))
                problem = Problem(raw.source, f"not a readable feed: {reason}")
                return SourceReport([], [*notes, problem])
            problem = Problem(raw.source, "feed has no entries", "warning")
            return SourceReport([], [*notes, problem])

        report = SourceReport(problems=notes)
        feed = feed_identity(parsed.feed, raw.url or raw.source)
        for number, entry in enumerate(parsed.entries, start=1):
            try:
                article = entry_article(entry, raw.source, feed)
            except Exception as exc:  # one odd entry must not cost the rest of the feed
                message = f"entry {number} skipped: {one_line(str(exc)) or type(exc).__name__}"
                report.problems.append(Problem(raw.source, message, "warning"))
                continue
            if article is None:
                # Nothing to name it by but where it is: its position and its link.
                link = _link(entry)
                where = f" ({one_line(link)})" if link else ""  # a link may hold line breaks
                message = f"entry {number} skipped: no title or text{where}"
                report.problems.append(Problem(raw.source, message, "warning", dropped=True))
            else:
                report.articles.append(article)
        return report


def feed_identity(channel: Any, fallback: str) -> str:
    """What names the feed itself: its own link, else its title, else where it was read.

    Guids are only unique within their feed ("1", "2"… are common), so an entry's
    key is qualified with this.
    """
    for field in ("link", "id", "title"):
        value = channel.get(field)
        if isinstance(value, str) and value.strip():
            return one_line(value)
    return fallback


def entry_article(entry: Any, source: str, feed: str | None = None) -> Article | None:
    """The article for one feedparser entry, or ``None`` if it has neither title nor text.

    The entry's title is always kept (tidied to one line), even when it has no text:
    it is what names the entry in a problem about it.
    """
    title = _plain_title(entry)
    blocks = entry_blocks(entry)
    if title is None and not blocks:
        return None
    url = _link(entry)
    link_only = title is not None and url is not None and is_link_only(entry, blocks)
    return Article(
        source=source,
        blocks=() if link_only else blocks,
        title=title,
        url=url,
        published=entry_published(entry),
        key=entry_key(entry, feed),
        kind="link" if link_only else "article",
        comments_url=_comments(entry),
    )


def is_link_only(entry: Any, blocks: tuple[Block, ...]) -> bool:
    """Whether the entry is a link to share rather than a text: no body, or a body
    that is only links (Hacker News' "Comments", Lobsters' link to the discussion,
    Reddit's "submitted by /u/… [link] [comments]").

    With ``fetch_linked`` on, its linked page is read for a lead (``read.read_linked``,
    called by the pipeline for the links an issue is about to use).
    """
    if not blocks:
        return True
    if sum(len(block.text) for block in blocks) > _MAX_LINKS_TEXT:
        return False  # a body written as one long link is still a body
    for detail in _details(entry):
        if detail.get("type") in _HTML_TYPES:
            unlinked = tidy(" ".join(parse_html(detail["value"]).unlinked))
            return not _FURNITURE.sub("", unlinked).strip()
        return False
    return False


def entry_key(entry: Any, feed: str | None = None) -> str | None:
    """The entry's own identity: RSS ``<guid>`` or Atom ``<id>`` (feedparser's ``id``),
    qualified with the ``feed``'s identity unless it is a URL or URN already.

    Entries of one feed may all link to the same page (aggregators, notice boards);
    the key is what tells them apart. Guids like "1" repeat across feeds, hence ``feed``.
    """
    key = entry.get("id")
    if not isinstance(key, str) or not key.strip():
        return None
    key = key.strip()
    if feed is None or re.match(r"^[a-z][a-z0-9+.-]*:", key, re.IGNORECASE):
        return key
    return f"{feed} {key}"


def entry_blocks(entry: Any) -> tuple[Block, ...]:
    """The entry's full content if the feed has it, else its summary, as blocks."""
    for detail in _details(entry):
        value = detail["value"]
        if detail.get("type") in _HTML_TYPES:
            blocks = html_to_blocks(value)
        else:
            blocks = make_blocks((line, "paragraph") for line in value.splitlines())
        if blocks:
            return blocks
    return ()


def _details(entry: Any) -> Iterator[Any]:
    """The entry's bodies that have a value: full contents first, then the summary."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        if detail and detail.get("value"):
            yield detail


def entry_published(entry: Any) -> datetime | None:
    """When the entry was published (or else updated), in UTC."""
    stamp: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp is None:
        return None
    # feedparser has already converted the feed's time zone to UTC.
    try:
        return in_range(datetime(*stamp[:6], tzinfo=UTC))
    except ValueError:  # a placeholder date (year 1 or 9999): no date, not a lost entry
        return None


def _link(entry: Any) -> str | None:
    link = entry.get("link")
    return link.strip() if isinstance(link, str) and link.strip() else None


def _comments(entry: Any) -> str | None:
    """The entry's discussion page: RSS ``<comments>``, else Atom ``link rel="replies"``
    (an HTML one first: a feed of the replies is no page to read)."""
    comments = entry.get("comments")
    if isinstance(comments, str) and comments.strip().lower().startswith(("http:", "https:")):
        return comments.strip()
    replies = [link for link in entry.get("links", ()) if link.get("rel") == "replies"]
    replies.sort(key=lambda link: link.get("type") != "text/html")
    for link in replies:
        href = link.get("href")
        if isinstance(href, str) and href.strip():
            return href.strip()
    return None


def _plain_title(entry: Any) -> str | None:
    title = entry.get("title")
    if not title:
        return None
    detail = entry.get("title_detail") or {}
    if detail.get("type") in _HTML_TYPES and "<" in title:
        title = " ".join(text for text, _, _ in parse_html(title).parts)
    return tidy_title(title)
