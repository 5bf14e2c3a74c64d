"""Tests for the sources stage: real files, real folders and a real local HTTP server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import pytest

import digest
from digest.models import Article, Block, Problem, SourceReport
from digest.sources import read_sources, register, unregister
from digest.sources.base import RawSource, tidy, tidy_lines
from digest.sources.fetch import is_private_address
from digest.sources.html import HtmlReader
from tests.helpers import QuietHandler, local_http_server

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SEED = Path(__file__).parent.parent / "seeds" / "000_006ba6bf699a03f5.txt"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def texts(article: Article) -> list[str]:
    return [block.text for block in article.blocks]


def only_article(report: SourceReport) -> Article:
    assert report.problems == [], report.problems
    assert len(report.articles) == 1
    return report.articles[0]


# --- plain text ---------------------------------------------------------------------


def test_seed_file_reads_into_one_line_block_per_non_blank_line_in_order() -> None:
    article = only_article(read_sources([str(SEED)]))

    raw_lines = SEED.read_text(encoding="utf-8").split("\n")
    assert len(article.blocks) == 19 == sum(1 for line in raw_lines if line.strip())
    assert {block.kind for block in article.blocks} == {"line"}
    assert article.blocks[0].text.startswith("Western powers are not expected to ease")
    assert article.blocks[5] == Block("Strategic Discussions Ahead of the UN General Assembly")
    assert article.blocks[-1] == Block("YouTube: https://www.youtube.com/@eutoday1049")
    assert texts(article) == [line.strip() for line in raw_lines if line.strip()]
    assert article.title is None
    assert article.source == str(SEED)


def test_bom_crlf_and_missing_final_newline(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfFirst  line\r\n\r\n\tSecond\t\t line \r\nThird")

    assert texts(only_article(read_sources([str(path)]))) == [
        "First line",
        "Second line",
        "Third",
    ]


def test_old_mac_cr_line_endings(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"One\rTwo\r\rThree\r")

    assert texts(only_article(read_sources([str(path)]))) == ["One", "Two", "Three"]


def test_invalid_utf8_falls_back_to_cp1252_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "win.txt", "Caf\xe9 \u201cquoted\u201d \u2013 ok\n".encode("cp1252"))

    report = read_sources([str(path)])

    assert texts(report.articles[0]) == ["Café “quoted” – ok"]
    assert report.problems == [Problem(str(path), "not valid UTF-8, read as cp1252", "warning")]
    assert str(report.problems[0]) == f"{path}: not valid UTF-8, read as cp1252"


def test_text_is_nfc_without_control_characters_and_keeps_typographic_quotes(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "a.txt", "Cafe\u0301 \x07bell\x1b and \u2018quotes\u2019\n")

    [block] = only_article(read_sources([str(path)])).blocks

    assert block.text == "Caf\u00e9 bell and \u2018quotes\u2019"


# --- files that are skipped ------------------------------------------------------------


def _sparse(path: Path, size: int) -> Path:
    path.touch()
    os.truncate(path, size)
    return path


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("empty.txt", lambda p: write(p, b""), "skipped: empty file"),
        ("blank.md", lambda p: write(p, b" \r\n\t\n  "), "skipped: empty file"),
        ("bom-only.txt", lambda p: write(p, b"\xef\xbb\xbf\n"), "skipped: empty file"),
        (
            "image.txt",
            lambda p: write(p, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            "skipped: binary file (contains NUL bytes)",
        ),
        ("big.txt", lambda p: write(p, b"x" * 1500), "skipped: 1.5 kB is over the 1.0 kB limit"),
        ("missing.txt", lambda p: p, "not found"),
    ],
)
def test_skipped_file_gives_one_error_and_other_sources_are_still_read(
    tmp_path: Path, name: str, make, expected: str
) -> None:
    good_before = write(tmp_path / "before.txt", "Before\n")
    bad = tmp_path / name
    make(bad)
    good_after = write(tmp_path / "after.txt", "After\n")

    report = read_sources([str(good_before), str(bad), str(good_after)], max_bytes=1000)

    assert [a.source for a in report.articles] == [str(good_before), str(good_after)]
    [problem] = report.problems
    assert problem.level == "error"
    assert problem.source == str(bad)
    assert "\n" not in str(problem)
    assert problem.message == expected


def test_size_limit_message_in_megabytes_and_checked_before_reading(tmp_path: Path) -> None:
    # A sparse file: its size is known from stat, and reading it first would report
    # the bytes read (5,000,001) rather than the file's size.
    (tmp_path / "seeds").mkdir()
    big = _sparse(tmp_path / "seeds" / "big.txt", 6_200_000)

    report = read_sources([str(big)])

    assert [str(p) for p in report.problems] == [
        f"{big}: skipped: 6.2 MB is over the 5.0 MB limit"
    ]
    assert report.articles == []


def test_exact_size_message_when_rounding_would_hide_the_difference(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.txt", 5_000_001)

    [problem] = read_sources([str(big)]).problems

    assert problem.message == "skipped: 5,000,001 bytes is over the 5,000,000-byte limit"


@contextmanager
def unprivileged() -> Iterator[None]:
    """Run the body without root's power to read anything, if we are root."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder everyone may enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="digest-test-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def test_unreadable_file_and_folder_give_errors(open_dir: Path) -> None:
    secret = write(open_dir / "secret.txt", "Secret\n")
    secret.chmod(0o000)
    locked = open_dir / "locked"
    write(locked / "inside.txt", "Inside\n")
    locked.chmod(0o000)
    good = write(open_dir / "good.txt", "Good\n")
    read_sources([str(good)])  # nothing left to import lazily while unprivileged

    with unprivileged():
        report = read_sources([str(secret), str(locked), str(good)])

    assert [a.source for a in report.articles] == [str(good)]
    assert [str(p) for p in report.problems] == [
        f"{secret}: cannot read: permission denied",
        f"{locked}: cannot read folder: permission denied",
    ]


def test_path_through_a_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    file = write(tmp_path / "a.txt", "A\n")

    [problem] = read_sources([str(file / "b.txt")]).problems

    assert problem.message == "cannot read: not a directory"


def test_an_unexpected_exception_in_a_reader_becomes_an_error(tmp_path: Path) -> None:
    class ExplodingReader:
        name: ClassVar[str] = "exploding"
        file_extensions: ClassVar[tuple[str, ...]] = ("boom",)
        media_types: ClassVar[tuple[str, ...]] = ()

        def read(self, raw: RawSource) -> SourceReport:
            raise RuntimeError("kaboom\nwith a second line")

    reader = ExplodingReader()
    register(reader)
    try:
        bomb = write(tmp_path / "a.boom", "text\n")
        good = write(tmp_path / "b.txt", "Good\n")
        report = read_sources([str(tmp_path), str(bomb), str(good)])
    finally:
        unregister(reader)

    assert [a.source for a in report.articles] == [str(good)]
    assert [str(p) for p in report.problems] == [
        f"{bomb}: unexpected error: RuntimeError: kaboom with a second line"
    ]
    # And once unregistered, .boom files are no longer picked up from folders.
    assert [a.source for a in read_sources([str(tmp_path)]).articles] == [str(good)]


def test_blank_and_non_http_specs_are_errors() -> None:
    report = read_sources(["", "ftp://example.com/feed.xml"])

    assert [p.level for p in report.problems] == ["error", "error"]
    assert report.problems[1].message == "unsupported URL scheme 'ftp' (only http and https)"


# --- folders -----------------------------------------------------------------------


def test_folder_is_read_recursively_in_path_order_skipping_dotfiles(tmp_path: Path) -> None:
    root = tmp_path / "news"
    write(root / "b.txt", "B\n")
    write(root / "a.md", "A *markdown* file\n")
    write(root / "sub" / "c.txt", "C\n")
    write(root / "sub" / "deeper" / "d.html", "<html><body><p>D page</p></body></html>")
    write(root / "sub" / ".hidden.txt", "Hidden\n")
    write(root / ".git" / "e.txt", "In a dot-folder\n")
    write(root / "notes.csv", "ignored,because,unknown\n")
    write(root / "image.png", b"\x89PNG\x00\x00")
    write(root / "z.rss", (FIXTURES / "feed.rss").read_bytes())

    report = read_sources([str(root)])

    assert report.problems == []
    assert [a.source for a in report.articles] == [
        str(root / "a.md"),
        str(root / "b.txt"),
        str(root / "sub" / "c.txt"),
        str(root / "sub" / "deeper" / "d.html"),
        *[str(root / "z.rss")] * 3,
    ]
    assert [texts(a) for a in report.articles[:4]] == [
        ["A markdown file"],
        ["B"],
        ["C"],
        ["D page"],
    ]


def test_symbolic_link_back_up_the_tree_does_not_loop(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "A\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)

    report = read_sources([str(tmp_path)])

    assert [a.source for a in report.articles] == [str(tmp_path / "a.txt")]


def test_explicit_file_with_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.csv", "name,score\nada,10\n")

    article = only_article(read_sources([str(path)]))

    assert article.blocks == (Block("name,score"), Block("ada,10"))


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "A\n")

    report = read_sources([str(tmp_path), str(path), str(tmp_path / "." / "a.txt")])

    assert [a.source for a in report.articles] == [str(path)]


def test_folder_with_nothing_to_read_gives_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "data.csv", "a,b\n")

    report = read_sources([str(tmp_path)])

    assert report.articles == []
    [problem] = report.problems
    assert problem.level == "warning"
    assert problem.message.startswith("no files to read in this folder")


def test_reading_a_thousand_small_files_is_fast(tmp_path: Path) -> None:
    for number in range(1000):
        write(tmp_path / f"{number:04d}.txt", f"Headline {number}\n\nFirst paragraph.\nSecond.\n")

    start = time.perf_counter()
    report = read_sources([str(tmp_path)])
    elapsed = time.perf_counter() - start

    assert len(report.articles) == 1000
    assert report.articles[7].blocks[0].text == "Headline 7"
    assert elapsed < 0.5, f"{elapsed:.3f} s"


# --- Markdown ---------------------------------------------------------------------


def test_markdown_with_front_matter_headings_lists_links_and_inline_markup() -> None:
    path = FIXTURES / "post.md"

    article = only_article(read_sources([str(path)]))

    assert article.title == "Rural broadband rollout falls behind"
    assert article.url == "https://news.example.org/2024/11/broadband"
    assert article.published == datetime(2024, 11, 7, 9, 30, tzinfo=UTC)
    assert article.blocks == (
        # The H1 stays a heading: the front matter already gave the title.
        Block("Audit finds long delays", "heading"),
        Block(
            "A government programme to bring gigabit broadband to 1.2 million rural homes "
            "is running about 18 months behind schedule, according to the "
            "National Audit Committee.",
            "paragraph",
        ),
        Block("Why the rollout slowed", "heading"),
        Block("A shortage of fibre splicers", "paragraph"),
        Block("Delays in securing permission to dig", "paragraph"),
        Block("Contracts that were too large for smaller firms", "paragraph"),
        Block(
            '"We are confident that the pace of delivery will accelerate," a spokesperson said.',
            "paragraph",
        ),
        Block("What happens next", "heading"),
        Block("The committee wants a revised timetable by March.", "paragraph"),
    )


def test_markdown_leading_h1_becomes_the_title_and_date_only_is_midnight_utc(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "note.markdown",
        "---\ndate: 2024-09-12\nurl: https://example.com/n\n---\n"
        "# The *real* title\n\nBody with `code`, ~~strike~~ and <b>html</b> &amp; more.\n\n"
        "    indented code is dropped\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        "\n<div>Raw <em>block</em> HTML</div>\n",
    )

    article = only_article(read_sources([str(path)]))

    assert article.title == "The real title"
    assert article.published == datetime(2024, 9, 12, tzinfo=UTC)
    assert article.url == "https://example.com/n"
    assert texts(article) == [
        "Body with code, strike and html & more.",
        "first",
        "second",
        "a | b",
        "1 | 2",
        "Raw block HTML",
    ]


def test_markdown_without_front_matter_or_h1_has_no_title(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.md", "Intro line one\nline two\n\n# Late heading\n")

    article = only_article(read_sources([str(path)]))

    assert article.title is None
    assert article.blocks == (
        Block("Intro line one line two", "paragraph"),
        Block("Late heading", "heading"),
    )


def test_markdown_with_bad_front_matter_is_an_error(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.md", "---\ntitle: [unclosed\ndate: x\n---\nBody\n")
    listed = write(tmp_path / "list.md", "---\n- a\n- b\n---\nBody\n")
    good = write(tmp_path / "good.md", "Body\n")

    report = read_sources([str(bad), str(listed), str(good)])

    assert [a.source for a in report.articles] == [str(good)]
    assert [(p.source, p.level) for p in report.problems] == [
        (str(bad), "error"),
        (str(listed), "error"),
    ]
    assert report.problems[0].message.startswith("bad front matter: ")
    assert "line 4" in report.problems[0].message
    assert (
        report.problems[1].message == "bad front matter: expected key: value pairs, found a list"
    )
    assert all("\n" not in str(p) for p in report.problems)


def test_markdown_with_a_bad_date_warns_and_keeps_the_article(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: T\npublished: next Tuesday\n---\nBody\n")

    report = read_sources([str(path)])

    assert report.articles[0].published is None
    assert report.articles[0].title == "T"
    [problem] = report.problems
    assert problem.level == "warning"
    assert "next Tuesday" in problem.message


# A placeholder date at the calendar's edge (.NET's empty DateTime is 0001-01-01) once
# crashed `digest render` with OverflowError: shown in a zone west of UTC, or east of
# it for 9999-12-31, it is outside the years a datetime can hold.
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "'9999-12-31T23:59:59-12:00'"])
def test_markdown_date_at_the_calendar_edge_is_ignored_with_a_note(
    tmp_path: Path, value: str
) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: T\ndate: {value}\n---\nBody\n")

    report = read_sources([str(path)])

    assert report.articles[0].published is None
    [problem] = report.problems
    assert problem.level == "warning"
    assert "bad date" in problem.message and str(path) == problem.source


def test_feed_date_at_the_calendar_edge_is_no_date_and_the_entry_is_kept(
    tmp_path: Path,
) -> None:
    item = "<item><title>{}</title><pubDate>{}</pubDate><description>Text.</description></item>"
    entries = [
        item.format("Empty date", "Mon, 01 Jan 0001 00:00:00 GMT"),
        item.format("Last date", "Fri, 31 Dec 9999 23:59:59 GMT"),
        item.format("Real date", "Mon, 04 Nov 2024 08:15:00 GMT"),
    ]
    feed = f"<rss version='2.0'><channel><title>F</title>{''.join(entries)}</channel></rss>"
    path = write(tmp_path / "news.rss", feed)

    report = read_sources([str(path)])

    assert report.problems == []
    assert [(a.title, a.published) for a in report.articles] == [
        ("Empty date", None),
        ("Last date", None),
        ("Real date", datetime(2024, 11, 4, 8, 15, tzinfo=UTC)),
    ]


def test_markdown_offset_date_is_kept_timezone_aware(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ndate: '2024-09-12T08:30:00+02:00'\n---\nBody\n")

    published = only_article(read_sources([str(path)])).published

    assert published == datetime(2024, 9, 12, 6, 30, tzinfo=UTC)
    assert published is not None and published.utcoffset() == timedelta(hours=2)


# --- HTML pages ---------------------------------------------------------------------


def test_html_article_page_keeps_the_article_and_drops_the_clutter() -> None:
    article = only_article(read_sources([str(FIXTURES / "article.html")]))

    assert article.title == "Harbour Lights Festival Returns to the Old Quay"
    assert article.url == "https://gazette.example.com/2024/09/harbour-lights"
    assert article.published == datetime(2024, 9, 12, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert [b.text for b in article.blocks if b.kind == "heading"] == [
        "A new route along the water",
        "Tickets and volunteers",
    ]
    assert article.blocks[0] == Block(
        "After a five-year pause, the Harbour Lights festival is coming back to the old quay "
        "this October, the town council confirmed on Wednesday. Organisers expect more than "
        "twenty thousand visitors over the three nights.",
        "paragraph",
    )
    assert article.blocks[-1].text.startswith("Entry remains free")
    body = " ".join(texts(article))
    for clutter in ("Navigation", "Subscribe", "Footer boilerplate", "Sidebar", "tracking"):
        assert clutter not in body
    assert "“We wanted everyone to see the boats lit up from the water,”" in body


def test_html_page_trafilatura_rejects_falls_back_to_title_and_paragraphs(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "tiny.htm",
        "<html><head><title>Tiny &amp; odd</title></head>"
        "<body><footer><p>Only footer text here.</p><ul><li>Menu item</li></ul></footer></body>"
        "</html>",
    )

    article = only_article(read_sources([str(path)]))

    assert article.title == "Tiny & odd"
    assert article.blocks == (Block("Only footer text here.", "paragraph"),)


def test_html_page_without_text_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path / "empty.html", "<html><head><title>T</title></head><body></body></html>"
    )

    report = read_sources([str(path)])

    assert report.articles == []
    assert [str(p) for p in report.problems] == [f"{path}: no article text found"]


# --- feeds --------------------------------------------------------------------------


def test_rss_feed_gives_one_article_per_entry() -> None:
    path = FIXTURES / "feed.rss"

    report = read_sources([str(path)])

    assert report.problems == []
    assert [a.title for a in report.articles] == [
        "Harbour Bridge reopens to cyclists",
        "Library to stay open until 10 p.m.",
        "Rates holiday for Quay Street shops",
    ]
    assert [a.url for a in report.articles] == [
        "https://news.example.org/2024/11/bridge",
        "https://news.example.org/2024/11/library",
        "https://news.example.org/2024/11/rates",
    ]
    assert [a.published for a in report.articles] == [
        datetime(2024, 11, 4, 8, 15, tzinfo=UTC),
        datetime(2024, 11, 5, 18, 0, tzinfo=UTC),
        None,
    ]
    assert {a.source for a in report.articles} == {str(path)}
    bridge, library, rates = report.articles
    # content:encoded wins over the description; scripts are dropped.
    assert bridge.blocks == (
        Block("Two years of works", "heading"),
        Block(
            "The bridge reopened on Monday, two years after a survey found corroded cables.",
            "paragraph",
        ),
        Block("More than 1,200 cyclists crossed in the first hour.", "paragraph"),
    )
    assert texts(library) == [
        "The central library will stay open late on weekdays.",
        "Students made up half of the evening visitors.",
    ]
    assert texts(rates) == ["Shop owners asked the council for help after the closures."]


def test_atom_feed_gives_one_article_per_entry() -> None:
    report = read_sources([str(FIXTURES / "feed.atom")])

    assert report.problems == []
    festival, ferry, lifeboat = report.articles
    assert festival.title == "Harbour Lights festival returns"
    assert festival.url == "https://gazette.example.com/2024/09/harbour-lights"
    assert festival.published == datetime(2024, 9, 12, 7, 30, tzinfo=UTC)
    assert festival.blocks == (
        Block("After a five-year pause, the festival is back.", "paragraph"),
        Block("A new route", "heading"),
        Block("The parade will follow the harbour wall.", "paragraph"),
    )
    assert ferry.title == "Ferry timetable changes from Monday"
    # No <published>: the <updated> time, converted to UTC.
    assert ferry.published == datetime(2024, 9, 13, 11, 45, tzinfo=UTC)
    assert texts(ferry) == [
        "The winter timetable starts on Monday.",
        "Evening sailings move to 7.30 pm.",
    ]
    assert lifeboat.blocks == (Block("Three volunteers received bravery awards.", "paragraph"),)


def test_broken_feed_is_an_error_and_empty_feed_a_warning(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.xml", "<rss><channel><title>Cut off")
    empty = write(
        tmp_path / "empty.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Nothing yet</title></feed>',
    )

    report = read_sources([str(broken), str(empty)])

    assert report.articles == []
    assert [(p.source, p.level) for p in report.problems] == [
        (str(broken), "error"),
        (str(empty), "warning"),
    ]
    assert report.problems[0].message.startswith("not a readable feed: ")
    assert "no element found" in report.problems[0].message
    assert report.problems[1].message == "feed has no entries"


def test_feed_entry_without_title_or_text_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path / "f.rss",
        '<rss version="2.0"><channel><title>F</title>'
        "<item><title>Kept</title><link>https://example.com/1</link></item>"
        "<item><link>https://example.com/2</link></item>"
        "</channel></rss>",
    )

    report = read_sources([str(path)])

    [kept] = report.articles
    assert (kept.title, kept.url, kept.blocks) == ("Kept", "https://example.com/1", ())
    assert [(p.message, p.level) for p in report.problems] == [
        ("entry 2 skipped: no title or text (https://example.com/2)", "warning")
    ]


def test_feed_entry_skipped_is_said_in_one_line_even_when_its_link_breaks(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "f.rss",
        '<rss version="2.0"><channel><title>F</title>'
        "<item><title>Kept</title><description>Some text.</description></item>"
        "<item><link>https://example.com/a\n  b\r\nc</link></item>"
        "</channel></rss>",
    )

    report = read_sources([str(path)])

    assert [str(p) for p in report.problems] == [
        f"{path}: entry 2 skipped: no title or text (https://example.com/a b c)"
    ]


def test_feed_entries_carry_their_guid_or_id_as_key() -> None:
    path = FIXTURES / "same-link.rss"

    report = read_sources([str(path)])

    assert report.problems == []
    # Every entry links to the same page: only the key tells the first three apart.
    assert {a.url for a in report.articles} == {"https://council.example.org/notices"}
    # A plain guid is qualified with the feed's own link: guids repeat across feeds.
    assert [a.key for a in report.articles] == [
        "https://council.example.org/notices notice-1041",
        "https://council.example.org/notices notice-1042",  # whitespace stripped
        "https://council.example.org/notices#1043",  # a URL already: kept as it is
        None,  # no <guid>
    ]
    atom = read_sources([str(FIXTURES / "feed.atom")]).articles
    assert [a.key for a in atom] == [
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b",
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6c",
    ]


def test_blank_guid_gives_no_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "f.rss",
        '<rss version="2.0"><channel><title>F</title>'
        "<item><title>A</title><guid>  </guid><description>Text.</description></item>"
        "</channel></rss>",
    )

    assert only_article(read_sources([str(path)])).key is None


def test_feed_entries_without_text_keep_their_titles_on_one_line(tmp_path: Path) -> None:
    # Like Hacker News: a title, a link and a "Comments" link for a description. The
    # summariser finds no text in such entries, and names each by its title.
    path = write(
        tmp_path / "hn.rss",
        '<rss version="2.0"><channel><title>Hacker News</title>'
        "<item><title>Show HN: A &lt;tiny&gt; editor</title><link>https://a.example/</link>"
        '<description><![CDATA[<a href="https://news.example/item?id=1">Comments</a>]]>'
        "</description></item>"
        "<item><title>\n  Ask HN: What are\n  you reading?\n</title>"
        "<link>https://news.example/item?id=2</link><description></description></item>"
        "</channel></rss>",
    )
    atom = write(
        tmp_path / "a.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        '<entry><id>urn:1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt;\n news</title>'
        '<link href="https://b.example/"/></entry></feed>',
    )

    report = read_sources([str(path), str(atom)])

    assert report.problems == []
    assert [a.title for a in report.articles] == [
        "Show HN: A <tiny> editor",
        "Ask HN: What are you reading?",
        "Bold news",
    ]


def test_link_entries_keep_their_comments_link_from_rss_or_atom(tmp_path: Path) -> None:
    rss = write(
        tmp_path / "hn.rss",
        '<rss version="2.0"><channel><title>HN</title>'
        "<item><title>A tiny editor</title><link>https://a.example/</link>"
        "<comments>https://news.example/item?id=1</comments></item>"
        "<item><title>No talk</title><link>https://b.example/</link></item>"
        "</channel></rss>",
    )
    atom = write(
        tmp_path / "l.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>L</title>'
        '<entry><id>urn:1</id><title>Atom link</title><link href="https://c.example/"/>'
        '<link rel="replies" type="application/atom+xml" href="https://l.example/1.atom"/>'
        '<link rel="replies" type="text/html" href="https://l.example/1"/></entry></feed>',
    )

    report = read_sources([str(rss), str(atom)])

    assert [(a.kind, a.comments_url) for a in report.articles] == [
        ("link", "https://news.example/item?id=1"),
        ("link", None),
        ("link", "https://l.example/1"),
    ]


def test_entry_without_title_or_text_is_named_by_position_and_link(tmp_path: Path) -> None:
    path = write(
        tmp_path / "f.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
        '<entry><id>urn:1</id><title>Kept</title><link href="https://example.com/1"/></entry>'
        # A title that is only markup has no text to show.
        '<entry><id>urn:2</id><title type="html">&lt;img src="x.png"&gt;</title>'
        '<link href="https://example.com/2"/></entry>'
        '<entry><id>urn:3</id><link href="https://example.com/3"/></entry>'
        "<entry><updated>2024-09-13T11:45:00Z</updated></entry>"
        "</feed>",
    )

    report = read_sources([str(path)])

    assert [a.title for a in report.articles] == ["Kept"]
    assert [(p.message, p.level) for p in report.problems] == [
        ("entry 2 skipped: no title or text (https://example.com/2)", "warning"),
        ("entry 3 skipped: no title or text (https://example.com/3)", "warning"),
        ("entry 4 skipped: no title or text", "warning"),
    ]


def test_feed_body_naming_a_local_file_is_not_read_as_that_file(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.xml", (FIXTURES / "feed.rss").read_bytes())
    tricky = write(tmp_path / "tricky.rss", str(secret))

    report = read_sources([str(tricky)])

    assert report.articles == []
    assert [p.source for p in report.problems] == [str(tricky)]


# --- URLs ---------------------------------------------------------------------------


class _Handler(QuietHandler):
    user_agents: ClassVar[list[str]] = []
    paths: ClassVar[list[str]] = []
    hosts: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        self.paths.append(self.path)
        self.hosts.append(self.headers.get("Host", ""))
        here = f"127.0.0.1:{self.server.server_address[1]}"
        redirects = {
            "/old-feed": "/feed",
            "/to-localhost": f"http://{here.replace('127.0.0.1', 'localhost')}/feed",
        }
        routes_feed = ("application/rss+xml", (FIXTURES / "feed.rss").read_bytes())
        routes = {
            "/article": ("text/html; charset=utf-8", (FIXTURES / "article.html").read_bytes()),
            "/feed": routes_feed,
            # Servers often mislabel feeds: the body decides.
            "/atom-as-html": ("text/html", (FIXTURES / "feed.atom").read_bytes()),
            "/notes": ("text/plain; charset=utf-8", b"Line one\r\nLine two\n"),
            "/big": ("text/plain", b"x" * 5000),
            "/blank": ("text/plain", b""),
        }
        if self.path in redirects:
            self.send_response(301 if self.path == "/old-feed" else 302)
            self.send_header("Location", redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/slow"):
            time.sleep(1.0)
            self.send("text/plain", b"late\n")
        elif self.path in routes:
            self.send(*routes[self.path])
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_http_server(_Handler) as url:
        yield url


def test_url_html_page(server: str) -> None:
    url = f"{server}/article"

    article = only_article(read_sources([url]))

    assert article.source == url
    assert article.url == url
    assert article.title == "Harbour Lights Festival Returns to the Old Quay"
    assert "A new route along the water" in texts(article)
    assert _Handler.user_agents[-1] == f"digest/{digest.__version__}"


def test_a_fetched_pages_byline_is_its_canonical_site_not_where_it_was_fetched(
    server: str,
) -> None:
    from digest.config import Settings
    from digest.pipeline import summariser
    from digest.render import source_label

    article = only_article(read_sources([f"{server}/article"]))
    assert article.site == "gazette.example.com"  # its canonical URL's host
    item = summariser(Settings())(article)
    assert source_label(item) == "gazette.example.com"
    # A page that names itself (og:site_name) is shown by that name.
    page = (FIXTURES / "article.html").read_text(encoding="utf-8")
    named = page.replace(
        "<head>", '<head><meta property="og:site_name" content="Coastal Gazette">'
    )
    raw = RawSource(source=f"{server}/article", data=named.encode(), url=f"{server}/article")
    [article] = HtmlReader().read(raw).articles
    assert source_label(summariser(Settings())(article)) == "Coastal Gazette"


def test_url_feed_and_mislabelled_feed(server: str) -> None:
    report = read_sources([f"{server}/feed", f"{server}/atom-as-html"])

    assert report.problems == []
    assert [a.source for a in report.articles] == [f"{server}/feed"] * 3 + [
        f"{server}/atom-as-html"
    ] * 3
    assert report.articles[0].url == "https://news.example.org/2024/11/bridge"
    assert report.articles[3].title == "Harbour Lights festival returns"


def test_url_redirect_is_followed(server: str) -> None:
    report = read_sources([f"{server}/old-feed"])

    assert report.problems == []
    assert [a.title for a in report.articles][:1] == ["Harbour Bridge reopens to cyclists"]
    assert {a.source for a in report.articles} == {f"{server}/old-feed"}


def test_url_errors_are_one_line_problems_and_other_urls_are_still_read(server: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    unreachable = f"http://127.0.0.1:{closed_port}/feed"

    report = read_sources(
        [f"{server}/missing", unreachable, f"{server}/notes", f"{server}/big", f"{server}/blank"],
        max_bytes=1000,
    )

    assert [texts(a) for a in report.articles] == [["Line one", "Line two"]]
    assert [str(p) for p in report.problems] == [
        f"{server}/missing: HTTP 404 Not Found",
        f"{unreachable}: cannot fetch: connection refused",
        f"{server}/big: skipped: 5.0 kB is over the 1.0 kB limit",
        f"{server}/blank: skipped: empty response",
    ]
    assert {p.level for p in report.problems} == {"error"}


def test_urls_are_fetched_concurrently_and_reported_in_order(server: str) -> None:
    start = time.perf_counter()
    report = read_sources([f"{server}/slow", f"{server}/slow?again", f"{server}/notes"])
    elapsed = time.perf_counter() - start

    assert report.problems == []
    assert [a.source for a in report.articles] == [
        f"{server}/slow",
        f"{server}/slow?again",
        f"{server}/notes",
    ]
    assert elapsed < 1.8, f"{elapsed:.2f} s: the two slow URLs were fetched one after the other"


def test_url_timeout(server: str) -> None:
    start = time.perf_counter()
    report = read_sources([f"{server}/slow"], timeout=0.2)

    assert time.perf_counter() - start < 0.9
    assert [p.message for p in report.problems] == ["cannot fetch: timed out after 0.2 s"]


# --- redirects to private addresses -------------------------------------------------


def _resolver(table: dict[str, list[str]]):
    """A stand-in for the OS resolver: names in ``table``, any other name unknown."""
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


_PUBLIC_NAMES = {
    "news.example.org": ["93.184.216.34"],
    "cdn.example.net": ["2606:2800:220:1:248:1893:25c8:1946", "93.184.216.35"],
    "intranet.example.org": ["10.1.2.3"],
    "sneaky.example.org": ["93.184.216.36", "192.168.0.7"],
    "localhost": ["127.0.0.1", "::1"],
}


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8080/secret",
        "http://127.3.4.5/",
        "http://localhost/admin",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://172.31.255.254/",
        "http://192.168.1.1/",
        "http://[fd00::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://intranet.example.org/wiki",
        "https://sneaky.example.org/",  # one private address is enough
    ],
)
def test_redirect_from_a_public_host_to_a_private_address_is_not_allowed(target: str) -> None:
    from digest.sources.fetch import redirect_allowed

    resolve = _resolver(_PUBLIC_NAMES)

    assert not redirect_allowed("https://news.example.org/feed", target, resolve=resolve)
    assert not redirect_allowed("http://93.184.216.34/feed", target, resolve=resolve)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("https://news.example.org/feed", "https://cdn.example.net/feed.xml"),
        ("https://news.example.org/feed", "http://93.184.216.34/feed"),
        ("https://news.example.org/feed", "http://172.32.0.1/"),  # outside 172.16/12
        # Unknown names are left to fail when connecting, as without the check.
        ("https://news.example.org/feed", "http://no-such-host.example/"),
        # A source the user configured on a private address may redirect anywhere.
        ("http://127.0.0.1:8000/feed", "http://127.0.0.1:8001/feed"),
        ("http://localhost/feed", "http://10.0.0.1/feed"),
        ("http://intranet.example.org/feed", "http://192.168.1.1/feed"),
        ("http://127.0.0.1:8000/feed", "https://news.example.org/feed"),
    ],
)
def test_other_redirects_are_allowed(source: str, target: str) -> None:
    from digest.sources.fetch import redirect_allowed

    assert redirect_allowed(source, target, resolve=_resolver(_PUBLIC_NAMES))


def test_addresses_are_checked_without_asking_the_resolver() -> None:
    from digest.sources.fetch import redirect_allowed

    resolve = _resolver(_PUBLIC_NAMES)

    assert not redirect_allowed("http://93.184.216.34/", "http://[::1]/", resolve=resolve)
    assert resolve.asked == []  # type: ignore[attr-defined]


def test_local_feed_may_redirect_within_local_addresses(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    _Handler.paths.clear()

    report = read_sources([f"{server}/to-localhost"])

    assert report.problems == []
    assert len(report.articles) == 3
    assert _Handler.paths == ["/to-localhost", "/feed"]
    assert _Handler.hosts[-1] == f"localhost:{port}"


# --- start-up cost ------------------------------------------------------------------


def test_importing_sources_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, digest.sources\n"
        "heavy = {'trafilatura', 'feedparser', 'lxml', 'frontmatter', 'markdown_it', 'yaml',"
        " 'urllib.request', 'concurrent.futures'}\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )

    assert result.stdout.strip() == "[]"


def test_the_same_guids_in_two_feeds_give_distinct_keys(tmp_path: Path) -> None:
    def feed(name: str, link: str) -> Path:
        items = "".join(
            f"<item><title>{name} story {n}</title><guid isPermaLink='false'>{n}</guid>"
            f"<description>Story {n} of {name}.</description></item>"
            for n in (1, 2)
        )
        body = f"<rss version='2.0'><channel><title>{name}</title><link>{link}</link>{items}"
        return write(tmp_path / f"{name}.rss", body + "</channel></rss>")

    report = read_sources(
        [str(feed("a", "https://a.example")), str(feed("b", "https://b.example"))]
    )
    assert len({a.key for a in report.articles}) == 4


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("100.100.100.200", True),  # shared space: a cloud metadata service lives here
        ("64:ff9b::7f00:1", True),  # NAT64 form of 127.0.0.1
        ("2002:7f00:1::", True),  # 6to4 form of 127.0.0.1
        ("::ffff:10.0.0.1", True),
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
    ],
)
def test_addresses_that_are_not_global_count_as_private(address: str, private: bool) -> None:
    assert is_private_address(address) is private


def test_a_text_files_lines_are_tidied_as_each_line_alone_would_be() -> None:
    """The whole-text fast path must give exactly what tidying line by line gives."""
    text = (
        "Plain line\r\n  spaced  out  \rcafe\u0301 au lait\n\ttabbed\x0bvertical\x0cform"
        "\x1cfile\x85next\u2028sep\n\ufeffbom\u00a0nbsp\x07bell\x9fc1\n\n\u200bzero"
        "\n\u0301leading mark\nend "
    )
    assert tidy_lines(text) == [tidy(line) for line in text.splitlines()]
    assert tidy_lines(text)[2] == "caf\u00e9 au lait"
