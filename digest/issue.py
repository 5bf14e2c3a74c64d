"""Issue assembly: which items go into the next issue, its number, date and subject.

Pure functions only. Which candidates a source's limits hold back (``within_limits``)
is decided here too. What was already published comes in as a set of item ids and the
last number, read from the outbox by the caller; the clock comes in as an aware
``datetime``. That keeps numbering and dating testable without a disk or a clock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from digest.models import DigestItem, Issue

SUBJECT_TITLE_CHARS = 70
"""The lead item's title is shortened to this in the subject: most inboxes show
about 60–80 characters of a subject line."""

# CR/LF must never reach a header, so controls become spaces (they often stood
# between words); format characters (bidi overrides, zero-width spaces), surrogates
# and private use are dropped. The zero-width joiner stays: emoji sequences need it.
_UNPRINTABLE = frozenset(("Cc", "Cf", "Cs", "Co"))
_DROPPED = frozenset(("Cf", "Cs", "Co"))
_KEEP = frozenset("\u200d")


def one_line(text: str) -> str:
    """``text`` as one clean line, safe for a header or a title: every run of
    whitespace and control characters (CR, LF and tabs too) one space, format
    characters dropped.

    A title taken from a source ends up in the Subject header; a newline there would
    let a source inject headers.
    """
    if text.isascii() and text.isprintable():  # most titles: skip the per-character pass
        return " ".join(text.split())
    cleaned = "".join(
        " " if ch.isspace() or unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if ch in _KEEP or unicodedata.category(ch) not in _DROPPED
    )
    return " ".join(cleaned.split())


def is_printable(ch: str) -> bool:
    """Whether ``ch`` may stand in a header or a URL as it is (see ``one_line``)."""
    return not (ch.isspace() or unicodedata.category(ch) in _UNPRINTABLE)


def issue_date(now: datetime, zone: ZoneInfo) -> date:
    """The calendar date of ``now`` in the newsletter's time zone."""
    if now.tzinfo is None:
        raise ValueError("issue_date needs a timezone-aware datetime")
    return now.astimezone(zone).date()


class Candidate(Protocol):
    """Anything with an item id: an article not yet summarised, or an item."""

    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=Candidate)


class FromSource(Protocol):
    """A candidate that knows its configured source and when it was published."""

    @property
    def origin(self) -> int | None: ...

    @property
    def published(self) -> datetime | None: ...


S = TypeVar("S", bound=FromSource)


def within_limits(
    candidates: Sequence[S],
    limits: Mapping[int, tuple[int | None, float | None]],
    now: datetime,
) -> list[S]:
    """``candidates`` without those their source's limits hold back, in their order.

    ``limits`` maps a configured source (a candidate's ``origin``) to its
    ``(max_items, max_age_days)``. A source keeps only its ``max_items`` newest
    candidates (by published date, newest first; undated ones after the dated, in the
    source's order), counted over everything it offers, already published or not, so
    that an entry held back once never comes later as the feed grows; and none
    published more than ``max_age_days`` before ``now`` (an undated one is kept).
    What is held back is not eligible at all: it is neither chosen nor waiting.
    """
    if not limits:
        return list(candidates)
    by_source: dict[int, list[int]] = {}
    for index, candidate in enumerate(candidates):
        if candidate.origin in limits:
            by_source.setdefault(candidate.origin, []).append(index)
    dropped: set[int] = set()
    for origin, indices in by_source.items():
        max_items, max_age_days = limits[origin]
        if max_age_days is not None:
            oldest = now - timedelta(days=max_age_days)
            for index in indices:
                published = candidates[index].published
                if published is not None and _aware(published) < oldest:
                    dropped.add(index)
        if max_items is not None and len(indices) > max_items:
            newest_first = sorted(indices, key=lambda i: _recency(candidates[i].published, i))
            dropped.update(newest_first[max_items:])
    return [c for index, c in enumerate(candidates) if index not in dropped]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _recency(published: datetime | None, index: int) -> tuple[int, float, int]:
    """Sorts newest first, the undated after the dated, ties in the source's order."""
    if published is None:
        return (1, 0.0, index)
    return (0, -_aware(published).timestamp(), index)


def choose_items(
    candidates: Iterable[C],
    make: Callable[[C], DigestItem | None],
    *,
    published: set[str],
    limit: int,
    include_published: bool = False,
    published_fingerprints: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[DigestItem], int]:
    """The items for the next issue, and how many new ones wait for a later issue.

    ``candidates`` come in source order; each article counts once (the same article
    read from two places has one id), and one whose id is in ``published`` was in an
    earlier issue and is left out unless ``include_published`` (it then never counts
    as waiting). A candidate's ``fingerprint`` (what it says, if it has one) counts
    the same way: one that says what a published item said (``published_fingerprints``)
    or what an earlier candidate says is the same article under a new guid or link (a
    flapping feed), and is left out like a published one. The first ``limit`` that
    ``make`` turns into an item go in: ``make`` is called for those only (summarising
    is the costly step) and returns ``None`` for a candidate that gives nothing to
    show, which the next one replaces.
    """
    chosen: list[DigestItem] = []
    waiting = 0
    seen: set[str] = set()
    seen_prints: set[str] = set()
    for candidate in candidates:
        key = candidate.id
        fingerprint = getattr(candidate, "fingerprint", None)
        was_published = key in published or fingerprint in published_fingerprints
        if key in seen or fingerprint in seen_prints or (was_published and not include_published):
            continue
        seen.add(key)
        if fingerprint is not None:
            seen_prints.add(fingerprint)
        if len(chosen) < limit:
            item = make(candidate)
            if item is not None:
                chosen.append(item)
        elif not was_published:
            waiting += 1
    return chosen, waiting


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


def subject_for(
    newsletter: str,
    number: int,
    items: list[DigestItem],
    template: str | None = None,
    day: date | None = None,
) -> str:
    """E.g. ``The Digest #3: Lead item title (+4 more)``: names the issue's items.

    ``template`` is the configured ``subject`` format (``{name}``, ``{number}``,
    ``{date}``, ``{title}``, ``{more}``), so each newsletter can word its own.
    """
    lead = shorten(one_line(items[0].title), SUBJECT_TITLE_CHARS) if items else "No new items"
    more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
    if template:
        return one_line(
            template.format(
                name=newsletter,
                number=number,
                date=day.isoformat() if day else "",
                title=lead,
                more=more,
            )
        )
    return one_line(f"{newsletter} #{number}: {lead}{more}")


def in_sections(items: list[DigestItem], sections: list[str]) -> list[DigestItem]:
    """``items`` grouped by section (see ``assemble``); the same list without sections."""
    if not any(item.section for item in items):
        return items
    order = {name: rank for rank, name in enumerate(sections)}
    for item in items:
        if item.section and item.section not in order:
            order[item.section] = len(order)
    return sorted(items, key=lambda item: order[item.section] if item.section else -1)


def assemble(
    items: list[DigestItem],
    *,
    newsletter: str,
    number: int,
    day: date,
    created_at: datetime,
    slot: datetime | None = None,
    subject_format: str | None = None,
    backlog: int = 0,
    sections: list[str] | None = None,
) -> Issue:
    """An ``Issue`` from already-selected items.

    Items with a ``section`` are grouped by it, the groups in the order of
    ``sections`` (the configured order; a section not named there comes after them,
    in the order it first appears); items without one come first, under no heading.
    Within a group the items keep their order. The issue is numbered in this order,
    and its subject names the first item.
    """
    items = in_sections(items, sections or [])
    return Issue(
        newsletter=one_line(newsletter),
        number=number,
        date=day,
        subject=subject_for(newsletter, number, items, subject_format, day),
        items=items,
        created_at=created_at,
        slot=slot,
        backlog=backlog,
    )
