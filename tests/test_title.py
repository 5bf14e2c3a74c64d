"""Derived titles (digest/summarise/title.py): who did what, from the article's body.

Each fixture in tests/fixtures/summarise/titles/ is an article without a stated title
whose derived title once lost its subject or its object, ended in "…" mid-clause, or
was taken from an opening or a label line that is not the story.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.models import Article, Block
from digest.sources import read_sources
from digest.summarise import is_dangling, summarise

TITLES = Path(__file__).parent / "fixtures" / "summarise" / "titles"


def title_of(name: str) -> str:
    """The title of a fixture read by the project's own readers, as `digest render` would."""
    (article,) = read_sources([str(TITLES / name)]).articles
    return summarise(article).title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # The reporting verb is the main verb: the subject and what it said both stay
        # (not "Deportivo was vital").
        ("reported_clause.txt", "Vanderlei Luxemburgo says victory against Deportivo was vital"),
        # An infinitive keeps its complement (not "… agree deal to work").
        (
            "object_after_infinitive.txt",
            "Nokia and Microsoft agree deal to work on delivering music to handsets",
        ),
        # Each of two described names keeps its name (not "Microsoft agree deal …").
        (
            "described_subjects.txt",
            "Nokia and Microsoft agree deal to bring music downloads to mobile handsets",
        ),
        # "There is no doubt that X": X is the news.
        ("no_doubt_opening.txt", "New stadium transforms fortunes of club"),
        # A long subject ends where its modifier starts, so that the verb and its object
        # fit without "…".
        ("long_subject.txt", "Government lawsuit thrown out by appeal court"),
        ("long_subject_list.txt", "Mixture of poor weather hits profits at Dutch brewer Heineken"),
    ],
)
def test_a_derived_title_keeps_the_subject_and_the_object(name, expected):
    assert title_of(name) == expected


@pytest.mark.parametrize(
    ("name", "start"),
    [
        # An opening that says nothing alone is not the story sentence.
        ("empty_opening.txt", "Harbour council approves plan to rebuild sea wall"),
        # Nor a question put to the reader, even as a headline-shaped first line.
        ("rhetorical_question.txt", "Charity asks people in city"),
        # A fact box's label line, with its value or as a heading, is not the headline.
        ("label_line.txt", "Club founded by group of schoolteachers"),
        ("label_heading.md", "Club founded by group of schoolteachers"),
    ],
)
def test_an_empty_opening_or_a_label_is_not_the_title(name, start):
    assert title_of(name).startswith(start)


@pytest.mark.parametrize("name", sorted(p.name for p in TITLES.iterdir()))
def test_fixture_titles_end_on_a_whole_phrase(name):
    title = title_of(name)
    words = title.split()
    assert not title.endswith("…")
    assert not is_dangling(words[-1], len(words) - 1)
    assert "?" not in title and not title.endswith(":")


def test_a_headline_with_a_tag_is_still_the_title():
    lines = (
        "Review: the quietest electric cars of the year",
        "We drove twelve electric cars on the same road and measured the noise inside each.",
    )
    article = Article("review.txt", tuple(Block(line) for line in lines))
    assert summarise(article).title == lines[0]


def test_a_question_that_is_not_the_opening_of_a_statement_is_kept():
    """ "X has said Y - but is it so?" is a statement first: its title comes from it."""
    text = (
        "The mayor has told residents the new tram line will open in May - but will it?",
        "Engineers say the tracks are still not finished.",
    )
    article = Article("tram.txt", tuple(Block(line) for line in text))
    assert summarise(article).title.startswith("Mayor tells residents new tram line")
