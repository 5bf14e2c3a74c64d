"""Issue assembly: selection, numbering inputs, dating in the newsletter's zone, subjects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from digest.issue import (
    assemble,
    choose_items,
    issue_date,
    one_line,
    shorten,
    subject_for,
    within_limits,
)
from digest.models import DigestItem
from tests.helpers import make_item


def as_is(item: DigestItem) -> DigestItem:
    return item


def test_choose_skips_published_and_duplicates_and_keeps_source_order() -> None:
    items = [make_item(3), make_item(1), make_item(2), make_item(1)]
    chosen, waiting = choose_items(items, as_is, published={make_item(2).id}, limit=10)
    assert [i.id for i in chosen] == [make_item(3).id, make_item(1).id]
    assert waiting == 0


def test_choose_all_includes_published_items_which_never_wait() -> None:
    items = [make_item(1), make_item(2), make_item(3)]
    chosen, waiting = choose_items(
        items, as_is, published={make_item(3).id}, limit=2, include_published=True
    )
    assert [i.id for i in chosen] == [make_item(1).id, make_item(2).id]
    assert waiting == 0  # item 3 was published: it is not waiting for an issue


def test_choose_respects_the_limit_and_counts_the_rest_as_waiting() -> None:
    items = [make_item(n) for n in range(1, 20)]
    chosen, waiting = choose_items(items, as_is, published={make_item(19).id}, limit=12)
    assert [i.id for i in chosen] == [make_item(n).id for n in range(1, 13)]
    assert waiting == 6


def test_choose_makes_only_what_goes_in_and_replaces_what_gives_nothing() -> None:
    made: list[str] = []

    def make(item: DigestItem) -> DigestItem | None:
        made.append(item.id)
        return None if item.id == make_item(2).id else item

    items = [make_item(n) for n in range(1, 100)]
    chosen, waiting = choose_items(items, make, published=set(), limit=3)
    assert [i.id for i in chosen] == [make_item(n).id for n in (1, 3, 4)]
    assert made == [make_item(n).id for n in (1, 2, 3, 4)]  # not the 95 that wait
    assert waiting == 95


def test_issue_date_is_the_date_in_the_newsletters_zone() -> None:
    late_utc = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert issue_date(late_utc, ZoneInfo("Asia/Tokyo")) == date(2026, 11, 25)
    assert issue_date(late_utc, ZoneInfo("Europe/London")) == date(2026, 11, 24)
    assert issue_date(late_utc, ZoneInfo("America/Los_Angeles")) == date(2026, 11, 24)


def test_issue_date_refuses_a_naive_clock() -> None:
    with pytest.raises(ValueError):
        issue_date(datetime(2026, 11, 24, 12, 0), ZoneInfo("Europe/London"))


def test_subject_names_the_lead_item_and_counts_the_rest() -> None:
    items = [make_item(1, title="Bridge reopens"), make_item(2), make_item(3)]
    assert subject_for("The Digest", 7, items) == "The Digest #7: Bridge reopens (+2 more)"
    assert subject_for("The Digest", 1, items[:1]) == "The Digest #1: Bridge reopens"


def test_subject_cannot_carry_a_header_injection() -> None:
    evil = make_item(1, title="Hello\r\nBcc: victim@example.org\n\tX-Evil: 1")
    subject = subject_for("News\r\nX-Other: 2", 1, [evil])
    assert "\r" not in subject and "\n" not in subject and "\t" not in subject
    assert subject == "News X-Other: 2 #1: Hello Bcc: victim@example.org X-Evil: 1"


def test_long_titles_are_shortened_at_a_word_in_the_subject() -> None:
    title = "Word " * 40
    subject = subject_for("D", 1, [make_item(1, title=title)])
    assert subject.endswith("Word…")
    assert len(subject) <= len("D #1: ") + 70


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a\u2028b", "a b"), ("  spaced   out ", "spaced out"), ("x\x00y", "x y")],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


def test_shorten_leaves_short_text_alone() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("one two three four", 12) == "one two…"


def test_assemble_builds_a_numbered_dated_issue() -> None:
    created = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    issue = assemble(
        [make_item(1)],
        newsletter="The Digest",
        number=4,
        day=date(2026, 11, 25),
        created_at=created,
    )
    assert issue.folder_name == "2026-11-25-004"
    assert issue.subject.startswith("The Digest #4: ")
    assert issue.sources == ["seeds/001.txt"]


def test_assemble_groups_items_by_section_in_the_configured_order() -> None:
    sections = {1: "Tech", 2: None, 3: "World", 4: "Tech", 5: "Sport", 6: None}
    items = [make_item(n, section=s) for n, s in sections.items()]
    issue = assemble(
        items,
        newsletter="The Digest",
        number=1,
        day=date(2026, 11, 25),
        created_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC),
        sections=["World", "Tech"],
    )
    # No section first; then the configured order; an unconfigured one after those.
    assert [i.id for i in issue.items] == [make_item(n).id for n in (2, 6, 3, 1, 4, 5)]
    assert issue.subject.startswith(f"The Digest #1: {make_item(2).title}")


def test_assemble_without_sections_keeps_the_order_it_was_given() -> None:
    items = [make_item(n) for n in (3, 1, 2)]
    issue = assemble(
        items,
        newsletter="The Digest",
        number=1,
        day=date(2026, 11, 25),
        created_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC),
        sections=["World"],
    )
    assert issue.items == items


@dataclass(frozen=True)
class Entry:
    id: str
    origin: int | None
    published: datetime | None


NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_a_source_gives_only_its_newest_entries_by_date_else_in_its_order() -> None:
    feed = [Entry(f"f{n}", 0, days_ago(d)) for n, d in enumerate([3, 1, 5, 2])]
    undated = [Entry(f"u{n}", 1, None) for n in range(4)]
    other = [Entry("o0", None, days_ago(30)), Entry("o1", 2, days_ago(30))]
    kept = within_limits([*feed, *undated, *other], {0: (2, None), 1: (3, None)}, NOW)
    # The feed's two newest (1 and 2 days old) in the feed's order; the first three of
    # the undated source; sources without limits untouched.
    assert [e.id for e in kept] == ["f1", "f3", "u0", "u1", "u2", "o0", "o1"]


def test_dated_entries_count_as_newer_than_undated_ones() -> None:
    entries = [Entry("undated", 0, None), Entry("old", 0, days_ago(9))]
    assert [e.id for e in within_limits(entries, {0: (1, None)}, NOW)] == ["old"]


def test_a_source_gives_nothing_older_than_its_max_age() -> None:
    entries = [
        Entry("fresh", 0, days_ago(1)),
        Entry("old", 0, days_ago(8)),
        Entry("undated", 0, None),  # its age is unknown: kept
        Entry("naive", 0, datetime(2026, 11, 24, 12, 0)),  # read as UTC
        Entry("edge", 0, days_ago(7)),
    ]
    kept = within_limits(entries, {0: (None, 7)}, NOW)
    assert [e.id for e in kept] == ["fresh", "undated", "naive", "edge"]
    both = within_limits(entries, {0: (2, 7)}, NOW)
    assert [e.id for e in both] == ["fresh", "naive"]


def test_without_limits_every_candidate_stays() -> None:
    entries = [Entry(str(n), 0, days_ago(n * 100)) for n in range(5)]
    assert within_limits(entries, {}, NOW) == entries


def test_choose_knows_an_item_by_what_it_says_under_a_new_id() -> None:
    items = [
        make_item(1, fingerprint="f1"),  # sent before under another id
        make_item(2, fingerprint="f2"),
        make_item(3, fingerprint="f2"),  # the same article as item 2, a new id
        make_item(4),  # no fingerprint: known by its id only
        make_item(5, fingerprint="f5"),
    ]
    chosen, waiting = choose_items(
        items, as_is, published=set(), limit=2, published_fingerprints={"f1"}
    )
    assert [i.id for i in chosen] == [make_item(2).id, make_item(4).id]
    assert waiting == 1  # item 5; not item 1 (published) nor item 3 (a repeat)
    again, _ = choose_items(
        items,
        as_is,
        published=set(),
        limit=9,
        published_fingerprints={"f1"},
        include_published=True,
    )
    assert [i.id for i in again] == [make_item(n).id for n in (1, 2, 4, 5)]
