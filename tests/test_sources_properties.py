"""Every reader, fed random bytes and random text: articles or one note, never a crash.

Property-based (hypothesis): whatever a source holds, reading it gives a
``SourceReport`` whose problems are one short line each, and summarising what came
out never raises. Also: markup-shaped and template-shaped text stays inert.
"""

from __future__ import annotations

import resource
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.models import SourceReport
from digest.sources import readers
from digest.sources.base import RawSource
from digest.sources.opml import reading_list
from digest.summarise import summarise

READERS = {reader.name: reader for reader in readers()}

# Shapes real sources have, mixed with noise, so the readers' deeper paths are reached.
FRAGMENTS = st.sampled_from(
    [
        "<?xml version='1.0'?>",
        "<rss version='2.0'><channel><title>T</title>",
        "<item><title>A title</title><link>https://example.com/a</link>",
        "<description>Some text. More text.</description></item>",
        "</channel></rss>",
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x</title></entry></feed>",
        "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>",
        "&a;&a;&a;",
        "<html><head><title>Page</title></head><body><article><h1>Head</h1><p>Para.</p>",
        "</article></body></html>",
        "---\ntitle: Front\nurl: https://example.com/x\ndate: 2026-11-01\n---\n",
        "# Heading\n",
        "A sentence that ends. Another one follows.\n",
        "Read also: something\n",
        "{{ 7*7 }} {% if x %}",
        "\x00\x01\ufeff\u202e",
        "—————\n",
    ]
)
OPML_FRAGMENTS = st.sampled_from(
    [
        "<?xml version='1.0'?>",
        "<opml version='2.0'><head><title>L</title></head><body>",
        "<outline text='Folder'>",
        "<outline text='A feed' type='rss' xmlUrl='https://example.com/feed'/>",
        "<outline text='Local' xmlUrl='file:///etc/passwd'/>",
        "<outline title='No text' xmlurl='http://example.org/rss'/>",
        "</outline>",
        "</body></opml>",
        "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>",
        "&a;&amp;&#0;",
    ]
)
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=80)), max_size=30).map("".join)


def read_safely(reader_name: str, data: bytes) -> SourceReport:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = READERS[reader_name].read(RawSource(f"fuzz.{reader_name}", data))
    assert time.perf_counter() - started < 5, "a reader hung"
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, f"a reader took {grown_mb:.0f} MB more"
    assert isinstance(report, SourceReport)
    for problem in report.problems:
        line = str(problem)
        assert "\n" not in line and len(line) < 400, line
    # Nothing read is never silent, and a source that fails says so once.
    assert report.articles or report.problems
    assert len([p for p in report.problems if p.level == "error"]) <= 1, report.problems
    for article in report.articles:
        item = summarise(article)
        assert item.title.strip()
    return report


@pytest.mark.parametrize("reader_name", sorted(READERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000))
def test_random_bytes_give_articles_or_a_note(reader_name: str, data: bytes) -> None:
    read_safely(reader_name, data)


@pytest.mark.parametrize("reader_name", sorted(READERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_random_source_shaped_text_gives_articles_or_a_note(
    reader_name: str, text: str, encoding: str
) -> None:
    read_safely(reader_name, text.encode(encoding, errors="replace"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.lists(st.one_of(OPML_FRAGMENTS, st.text(max_size=40)), max_size=20)
        .map("".join)
        .map(str.encode),
    )
)
def test_random_reading_lists_give_feeds_or_a_note(data: bytes) -> None:
    started = time.perf_counter()
    listed = reading_list(RawSource("fuzz.opml", data))
    assert time.perf_counter() - started < 5, "the reading list parser hung"
    for problem in listed.problems:
        line = str(problem)
        assert "\n" not in line and len(line) < 400, line
    if not listed.feeds:
        assert listed.problems
    for feed in listed.feeds:
        assert feed.url.lower().startswith(("http://", "https://")), feed


def test_an_empty_source_is_one_note_for_every_reader() -> None:
    for name in READERS:
        report = read_safely(name, b"")
        assert not report.articles and len(report.problems) == 1, name
