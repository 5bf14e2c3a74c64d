"""The summarise stage: titles, leads, headings, boilerplate, ids, sentence splitting."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from digest.models import Article, Block
from digest.sources import read_sources
from digest.summarise import (
    LEAD_OVERRUN,
    base_form,
    derive_title,
    lead_ceiling,
    present_tense,
    profile,
    split_sentences,
    summarise,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_006ba6bf699a03f5.txt"
HEADINGS = Path(__file__).parent / "fixtures" / "summarise" / "headings"
LEADS = Path(__file__).parent / "fixtures" / "summarise" / "leads"
OPENERS = Path(__file__).parent / "fixtures" / "summarise" / "openers"

# A dangling ending a headline must never have (a sample; the module's list is larger).
DANGLING = {"a", "an", "the", "of", "to", "on", "in", "and", "or", "according", "is", "has"}


def article(text: str, source: str = "inbox/story.txt", **kw: object) -> Article:
    """A plain-text article as the sources stage builds it: one block per line."""
    lines = (line.strip() for line in text.splitlines())
    return Article(source=source, blocks=tuple(Block(line) for line in lines if line), **kw)


def markdown_article(text: str, source: str = "inbox/post.md") -> Article:
    """Blocks as a Markdown reader gives them: headings and paragraphs it knows."""
    blocks = []
    for chunk in text.split("\n\n"):
        chunk = " ".join(chunk.split())
        if chunk.startswith("#"):
            blocks.append(Block(chunk.lstrip("#").strip(), "heading"))
        elif chunk:
            blocks.append(Block(chunk, "paragraph"))
    return Article(source=source, blocks=tuple(blocks))


def load_fixture(path: Path) -> Article:
    """A fixture file as the project's own readers give it (text or Markdown)."""
    (fixture,) = read_sources([str(path)]).articles
    return fixture


def everything(item) -> str:
    return json.dumps(item.model_dump(mode="json"), ensure_ascii=False)


STORY = """Council approves record budget
The city council voted on Tuesday to spend £42m on road repairs next year. Councillors said \
the money would come from reserves. The ring road will be resurfaced first.
Where the money goes
About half of the budget is earmarked for the ring road, which carries 60,000 vehicles a day.
The rest will be split between residential streets and cycle lanes.
"""


# --- the seed ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_item():
    return summarise(article(SEED.read_text(encoding="utf-8-sig"), source=str(SEED)))


def test_seed_lead_starts_with_the_story(seed_item):
    assert seed_item.lead.startswith("Western powers are not expected to ease restrictions")
    assert len(seed_item.lead.split()) <= 60


def test_seed_headings_exactly(seed_item):
    assert seed_item.headings == [
        "Strategic Discussions Ahead of the UN General Assembly",
        "Ukraine’s Request for Expanded Military Capabilities",
        "US and UK Positions on Long-Range Strikes",
    ]


@pytest.mark.parametrize(
    "fragment",
    ["Read also", "Britain Quietly Backs", "Click here", "____", "YouTube", "youtube.com"],
)
def test_seed_boilerplate_appears_nowhere(seed_item, fragment):
    assert fragment not in everything(seed_item)


def test_seed_title_is_derived_from_the_first_sentence(seed_item):
    title = seed_item.title
    assert title.startswith("Western powers")
    assert len(title.split()) <= 12
    assert "Bloomberg" not in title and "according" not in title
    assert title.split()[-1].lower().strip("…") not in DANGLING


def test_seed_counts(seed_item):
    # The body without the title-less first line's boilerplate tail: 578 words.
    assert 560 <= seed_item.word_count <= 600
    assert seed_item.reading_minutes == round(seed_item.word_count / 230)


# --- sentence splitting --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Senate voted on Monday. It passed.",
            ["The U.S. Senate voted on Monday.", "It passed."],
        ),
        (
            "Mr. Smith and Dr. Jones met. They talked.",
            ["Mr. Smith and Dr. Jones met.", "They talked."],
        ),
        ("Use fruit, e.g. Apples. Or i.e. Pears.", ["Use fruit, e.g. Apples.", "Or i.e. Pears."]),
        ("Growth was 3.5% in May. It slowed.", ["Growth was 3.5% in May.", "It slowed."]),
        (
            "He lives at No. 10 Downing Street. Aides agree.",
            ["He lives at No. 10 Downing Street.", "Aides agree."],
        ),
        ("J. K. Rowling wrote it. Fans cheered.", ["J. K. Rowling wrote it.", "Fans cheered."]),
        ("George W. Bush spoke. He left.", ["George W. Bush spoke.", "He left."]),
        ("He said “Stop.” Then he left.", ["He said “Stop.”", "Then he left."]),
        ('She said "Go now." Nobody moved.', ['She said "Go now."', "Nobody moved."]),
        (
            "“We are ready. We will win,” he said. Then he left.",
            ["“We are ready. We will win,” he said.", "Then he left."],
        ),
        ("Wait... Then what happened? Nothing!", ["Wait... Then what happened?", "Nothing!"]),
        ("It was… Unclear. Really.", ["It was… Unclear.", "Really."]),
        (
            "He moved to the U.S. The family followed.",
            ["He moved to the U.S.", "The family followed."],
        ),
        ("It closed at 5 p.m. The police came.", ["It closed at 5 p.m.", "The police came."]),
        ("Shares in Apple Inc. rose. Sales grew.", ["Shares in Apple Inc. rose.", "Sales grew."]),
        ("Profits rose (see chart.) Sales fell.", ["Profits rose (see chart.)", "Sales fell."]),
        ("It is 2024. The year is young.", ["It is 2024.", "The year is young."]),
        ("no full stop at all", ["no full stop at all"]),
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_unclosed_quote_does_not_swallow_the_paragraph():
    # News copy leaves a quote open when it continues in the next paragraph.
    text = 'He told the seminar: "Clearly, we must act. "We are looking at how quickly.'
    assert len(split_sentences(text)) == 2


def test_split_sentences_stops_at_its_limit():
    text = "Dr. Lee spoke first. The U.S. team left. Then it rained. It stopped."
    assert split_sentences(text, limit=2) == ["Dr. Lee spoke first.", "The U.S. team left."]
    assert split_sentences(text, limit=9) == split_sentences(text)
    assert len(split_sentences(text)) == 4


# --- titles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Western powers are not expected to ease restrictions on Ukraine’s use of long-range "
        "weaponry for strikes deep into Russian territory before the upcoming United Nations "
        "General Assembly in New York, according to a report by Bloomberg.",
        "The former manager of Johnny Cash, Saul Israel Holiff, has died at the age of 79, his "
        "family said.",
        "LONDON (Reuters) - British inflation fell to its lowest level in three years in March, "
        "official figures showed on Wednesday.",
        "Fewer children in the UK are following in the footsteps of the ballet stars of the past "
        "and the present, a report says.",
        "During a visit to Kyiv on Wednesday, senior diplomats from the United States and the "
        "United Kingdom discussed Ukraine’s request for permission to conduct deeper strikes.",
        "A US rapper awaiting trial for murder has filmed part of a music video in jail, angering "
        "a sheriff.",
        "Rock 'n' roll legend Elvis is set to top the UK singles chart on Sunday, 27 years after "
        "his death.",
        "It is the first time that the of the and of the to of the in of the on the at the a.",
    ],
)
def test_derived_title_is_short_and_never_dangles(sentence):
    title = derive_title(sentence)
    words = title.rstrip("…").split()
    assert 1 <= len(words) <= 12
    assert words[-1].lower().strip(",;:") not in DANGLING
    assert not title.endswith((",", ":", ";", "-"))


def test_derived_title_drops_attributions_datelines_and_asides():
    assert derive_title("The plan was approved on Monday, officials said.") == (
        "Plan approved on Monday"
    )
    assert derive_title("Prices rose sharply in May, according to a report by Reuters.") == (
        "Prices rise sharply in May"
    )
    # The dateline goes, and so does the time adjunct at the end.
    assert derive_title("LONDON (Reuters) - Shares in BT fell 5% on Tuesday.") == (
        "Shares in BT fall 5%"
    )
    assert derive_title(
        "The former manager of Johnny Cash, Saul Israel Holiff, has died at 79."
    ) == ("Former manager of Johnny Cash dies at 79")


def test_derived_title_cuts_at_a_mid_sentence_attribution():
    sentence = (
        "The Northern Youth Orchestra will tour Japan for the first time next summer, its "
        "directors said on Friday, with concerts planned in Tokyo, Osaka and Sapporo."
    )
    assert derive_title(sentence) == "Northern Youth Orchestra to tour Japan for first time"


def test_derived_title_ellipsis_only_when_cut_mid_clause():
    whole = derive_title("Quarterly profits at US media giant TimeWarner jumped 76% in a year.")
    assert not whole.endswith("…")
    # A clause boundary ("which …") is a clean cut: no ellipsis.
    clause = derive_title(
        "Engineers finished the bridge across the estuary, which had been delayed for years "
        "by storms and strikes."
    )
    assert clause == "Engineers finish bridge across estuary"  # headline tense, no articles
    # A participle or an adverb is a clean place to stop: no ellipsis.
    clean = derive_title(
        "Angry striking hospital cleaners and porters demanding fair pay marched peacefully "
        "yesterday morning beside the river Thames."
    )
    assert (
        clean == "Angry striking hospital cleaners and porters demanding fair pay march peacefully"
    )
    # No phrase boundary within twelve words: cut at the limit, with an ellipsis.
    cut = derive_title(
        "Angry striking hospital cleaners porters nurses doctors surgeons midwives paramedics "
        "and ambulance drivers marched through London."
    )
    assert cut.endswith("…")
    assert len(cut.rstrip("…").split()) <= 12


def test_first_line_headline_is_the_title():
    item = summarise(article(STORY))
    assert item.title == "Council approves record budget"
    assert not item.lead.startswith("Council approves")


def test_headline_with_colon_is_the_title():
    item = summarise(article("Brexit: what happens next\n" + STORY.split("\n", 1)[1]))
    assert item.title == "Brexit: what happens next"


def test_first_line_that_is_a_sentence_is_not_the_title():
    text = (
        "The number of people cycling to work in the city has doubled in five years, according "
        "to a survey by the transport authority.\nThe survey found 14% of commuters now cycle."
    )
    item = summarise(article(text))
    assert item.title == "Number of people cycling to work in city doubles"
    assert item.lead.startswith("The number of people cycling")


def test_long_first_line_without_full_stop_is_not_a_headline():
    first = (
        "Thousands of people gathered in the main square on Saturday evening to protest against "
        "the new housing plans announced by the mayor last week"
    )
    item = summarise(article(first + "\nThe mayor said the plans would go ahead."))
    assert item.title != first
    assert len(item.title.rstrip("…").split()) <= 12
    assert item.lead.startswith("Thousands of people gathered")


def test_short_first_line_with_full_stop_is_not_a_headline():
    item = summarise(article("The vote was close.\nCouncillors met on Monday to decide."))
    assert item.lead.startswith("The vote was close.")


def test_stated_title_wins():
    item = summarise(article(STORY, title="From the front matter"))
    assert item.title == "From the front matter"
    # The first line is now text under the title: a fragment the lead skips.
    assert item.lead.startswith("The city council voted")
    assert "Council approves" in summarise(article(STORY, title="X"), strategy="first").lead
    # A first line repeating the stated title is not shown twice.
    same = summarise(article(STORY, title="Council approves record budget"), strategy="first")
    assert same.lead.startswith("The city council voted")


def test_markdown_blocks():
    text = (
        "# Digest 1.2 is out\n\nVersion 1.2 adds feeds. It is a drop-in upgrade.\n\n"
        "## Feeds\n\nDigest reads RSS and Atom.\n\n## Share this post\n\nTwitter · Email"
    )
    item = summarise(markdown_article(text))
    assert item.title == "Digest 1.2 is out"
    assert item.headings == ["Feeds"]
    # A short article's lead is all of it that fits, read across its first heading, in
    # order; the share buttons under "Share this post" are not text.
    whole = "Version 1.2 adds feeds. It is a drop-in upgrade. Digest reads RSS and Atom."
    assert item.lead == whole
    assert summarise(markdown_article(text), strategy="first").lead == whole
    assert "Twitter" not in everything(item)


# --- boilerplate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Read also: Rail fares rise again",
        "Read more:",
        "Click here for more News & Current Affairs",
        "______________________________",
        "----------",
        "==========",
        "* * *",
        "https://example.com/story/123",
        "www.example.com",
        "YouTube: https://www.youtube.com/@example",
        "Twitter: @example",
        "Facebook Twitter Email",
        "Follow us on Instagram",
        "Subscribe to our newsletter",
        "Share this article",
        "Sign up for our daily briefing",
        "© 2024 Example News Ltd. All rights reserved",
        "Copyright 2024 Example Media",
        "Advertisement",
        "Image caption Protesters gathered outside parliament",
        "Photo: Reuters",
        "By Jane Doe",
        "Published 12 March 2024",
        "Updated 14:32 GMT",
    ],
)
def test_boilerplate_is_never_content(line):
    # Above the headline, between heading and paragraph, and at the end. (A bare
    # "Read more:" is followed by link titles, so it cannot sit above the headline.)
    text = STORY.replace("Where the money goes", f"Where the money goes\n{line}")
    if line != "Read more:":
        text = f"{line}\n{text}"
    item = summarise(article(text + line + "\n"))
    dump = everything(item)
    assert line not in dump
    assert item.title == "Council approves record budget"
    assert item.headings == ["Where the money goes"]
    assert item.word_count == summarise(article(STORY)).word_count


def test_read_more_drops_the_link_titles_after_it():
    text = STORY + "Read more:\nPotholes Cost Drivers Millions\nMayor Quits After Row\n"
    item = summarise(article(text))
    assert "Potholes" not in everything(item) and "Mayor Quits" not in everything(item)


def test_only_boilerplate_gives_an_empty_item():
    text = "Read also:\nSome Link Title\nClick here for more\n______\nYouTube: https://y.example/x"
    item = summarise(article(text, source="inbox/2024-05-01-notes.txt"))
    assert item.title == "2024-05-01-notes"
    assert item.lead == ""
    assert item.headings == []
    assert item.word_count == 0
    assert not item.lead.strip()
    assert summarise(article(STORY)).lead.strip()


def test_no_blocks_at_all():
    item = summarise(Article(source="https://example.com/feed/item.html", blocks=()))
    assert item.title == "item"
    assert not item.lead.strip()


def test_markup_passes_through_as_text():
    text = "Script test\nThe page said <script>alert('x')</script> & more. It was odd."
    item = summarise(article(text))
    assert "<script>alert('x')</script> & more." in item.lead


def test_never_raises_on_odd_content():
    rng = random.Random(7)
    alphabet = "aZ .!?…“”\"'()-_:#*\u00a0\ufeff\u200b\r\t\x00é漢😀0123456789"
    for _ in range(300):
        lines = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
            for _ in range(rng.randint(0, 8))
        ]
        kinds = ["line", "paragraph", "heading"]
        blocks = tuple(Block(line, rng.choice(kinds)) for line in lines)
        item = summarise(Article(source="x.txt", blocks=blocks), lead_words=rng.randint(0, 20))
        assert item.reading_minutes >= 1
        assert item.title


# --- headings ------------------------------------------------------------------------


def heading_scores() -> tuple[float, float, int]:
    expected = json.loads((HEADINGS / "expected.json").read_text(encoding="utf-8"))
    hit = found = wanted = 0
    for name, want in expected.items():
        got = summarise(load_fixture(HEADINGS / name)).headings
        hit += len(set(got) & set(want))
        found += len(got)
        wanted += len(want)
    return hit / max(1, found), hit / max(1, wanted), len(expected)


def test_heading_detection_precision_and_recall():
    precision, recall, articles = heading_scores()
    assert articles >= 20
    assert precision >= 0.95
    assert recall >= 0.95


def test_heading_needs_paragraphs_on_both_sides():
    item = summarise(article("Title here\nA first paragraph ends here.\nShort line\n"))
    assert item.headings == []
    lst = "Title here\nA first paragraph ends here.\nApples\nPears\nPlums\nThe end came soon."
    assert summarise(article(lst)).headings == []


# --- the lead ------------------------------------------------------------------------

LONG_FIRST = " ".join(f"word{i}" for i in range(80)) + "."


def test_budget_smaller_than_first_sentence_cuts_with_ellipsis():
    item = summarise(article("Headline\n" + LONG_FIRST + " Second sentence here."), lead_words=20)
    assert item.lead.endswith("…")
    assert len(item.lead.split()) == 20
    assert item.lead.startswith("word0 word1")


def test_budget_exact_fit_takes_whole_sentences():
    text = "Headline\nOne two three four five. Six seven eight nine ten. Eleven twelve thirteen."
    for strategy in ("opening", "first"):
        item = summarise(article(text), lead_words=10, strategy=strategy)
        assert item.lead == "One two three four five. Six seven eight nine ten."
    # One word short: "first" stops; "opening" packs the later sentence that still fits.
    assert summarise(article(text), lead_words=9, strategy="first").lead == (
        "One two three four five."
    )
    assert summarise(article(text), lead_words=9, strategy="opening").lead == (
        "One two three four five. Eleven twelve thirteen."
    )


def test_first_strategy_stops_at_the_first_sentence_that_does_not_fit():
    text = "Headline\nOne two three. " + "Long " * 20 + "sentence. A short one."
    assert summarise(article(text), lead_words=10, strategy="first").lead == "One two three."
    # "opening" packs the budget with a later sentence that fits.
    assert summarise(article(text), lead_words=10, strategy="opening").lead == (
        "One two three. A short one."
    )


def test_unknown_strategy_is_refused():
    with pytest.raises(ValueError, match="strategy"):
        summarise(article(STORY), strategy="magic")


def test_lead_skips_top_matter():
    text = (
        "Museum returns looted bronzes\nBy Sarah Okafor\nPhoto: Reuters\n"
        "LONDON (Reuters) - A London museum has returned 17 bronze sculptures to Nigeria.\n"
        "The handover took place at a ceremony on Monday."
    )
    item = summarise(article(text))
    assert item.lead.startswith("A London museum has returned 17 bronze sculptures")
    assert "Okafor" not in item.lead and "Reuters" not in item.lead


def test_lead_skips_captions_and_teasers():
    text = (
        "Flood defences fail\n"
        "Residents wade through water in Leeds on Monday (Photo: PA)\n"
        "Live updates:\n"
        "Flood defences failed in three towns overnight after the river rose by two metres.\n"
        "About 400 homes were evacuated."
    )
    item = summarise(article(text))
    assert item.lead == (
        "Flood defences failed in three towns overnight after the river rose by two metres. "
        "About 400 homes were evacuated."
    )
    assert "Photo" in summarise(article(text), strategy="first").lead
    # Between paragraphs, a caption is not a section heading either.
    middle = STORY.replace("Where the money goes", "Crews at work on the ring road (Photo: PA)")
    assert summarise(article(middle)).headings == []


def test_lead_prefers_facts_to_a_long_quote():
    text = (
        "Village shop saved\n"
        "Residents of Little Barton have bought their village shop after raising £180,000.\n"
        "“We could not let it go, it is the heart of the village and has been for a hundred "
        "years and more,” said organiser Jean Moss.\n"
        "More than 300 people bought shares in the new co-operative.\n"
    )
    item = summarise(article(text), lead_words=30)
    assert "300 people" in item.lead
    assert "Jean Moss" not in item.lead
    plain = summarise(article(text), lead_words=40, strategy="first")
    assert "Jean Moss" in plain.lead


# The story of the tests below: a bridge closure, told the way news is written.
BRIDGE = (
    "Bridge closed\n"
    "The Old Town bridge over the River Ouse will close for repairs on 3 March, the "
    "council has announced, after inspectors found cracks in two of its steel girders.\n"
    "Why does it always happen to us?\n"
    "“It is a nightmare for everyone who works on this side of the river,” said one "
    "shopkeeper.\n"
    "The bridge carries 12,000 vehicles a day, and the repairs to its girders will take "
    "about six months, the council said.\n"
    "Buses will be diverted over the New Bridge while the Old Town bridge is closed.\n"
    "It was built in 1881.\n"
)


def test_lead_chooses_the_facts_about_the_story():
    """Within the budget, the lead takes the sentences about what the article is about
    (their words recur in it) over a question, a quotation and an aside."""
    lead = summarise(article(BRIDGE), lead_words=60).lead
    assert lead.startswith("The Old Town bridge over the River Ouse will close")
    assert "12,000 vehicles a day" in lead
    assert "Why does it" not in lead
    assert "nightmare" not in lead
    assert "1881" not in lead
    assert len(lead.split()) <= 75


def test_a_quotation_in_single_marks_is_a_quotation_too():
    """British papers quote in single marks: a long opening quotation in them gives way
    to the first fact, as one in double marks does; an apostrophe opens nothing."""
    text = (
        "Fishermen rescued\n"
        "{open}We were in the water for hours and I honestly thought that none of us would "
        "ever see our families again,{close} said one of the six.\n"
        "Lifeboat crews from Whitby rescued six fishermen from a sinking trawler off the "
        "Yorkshire coast on Sunday night.\n"
        "The coastguard's spokesman said the sea had been rough all weekend.\n"
    )
    for marks in ("‘’", "''", "“”"):
        story = article(text.format(open=marks[0], close=marks[1]))
        for strategy in ("lead", "opening"):
            lead = summarise(story, strategy=strategy).lead
            assert lead.startswith("Lifeboat crews from Whitby rescued"), (marks, strategy)
    apostrophes = text.format(open="", close="").replace("none of us", "none of the crew's")
    assert summarise(article(apostrophes), strategy="opening").lead.startswith("We were in")


def test_lead_names_a_person_in_full_before_by_surname():
    """ "Dematteis was arrested …" does not come without the sentence that says who
    Nicholas Dematteis is; "Mr Dematteis" is a surname too."""
    text = (
        "Diner arrested\n"
        "A diner grabbed a restaurant manager by the neck and slammed him into a bar at a "
        "restaurant in New York after waiting an hour for his omelette.\n"
        "Nicholas Dematteis is a 39-year-old father of two from Queens.\n"
        "{who} was arrested at the restaurant and charged with assault, and the manager "
        "was treated in hospital.\n"
    )
    for who in ("Dematteis", "Mr Dematteis"):
        story = article(text.format(who=who))
        for budget in (45, 50):
            lead = summarise(story, lead_words=budget, lead_overrun=0).lead
            assert f"{who} was arrested" not in lead or "Nicholas Dematteis" in lead, lead
        lead = summarise(story, lead_words=60, lead_overrun=0).lead
        assert "Nicholas Dematteis is" in lead and f"{who} was arrested" in lead


def test_lead_keeps_reading_order_and_the_budget():
    sentences = split_sentences(" ".join(BRIDGE.splitlines()[1:]))
    for budget in range(5, 90, 7):
        for overrun, ceiling in ((LEAD_OVERRUN, int(budget * 1.25)), (0.0, budget)):
            lead = summarise(article(BRIDGE), lead_words=budget, lead_overrun=overrun).lead
            assert lead, (budget, overrun)  # an empty lead keeps any order and any budget
            assert len(lead.split()) <= ceiling == lead_ceiling(budget, overrun)
            if lead.endswith("…"):
                assert len(lead.split()) <= budget  # the opening sentence alone, cut
                continue
            chosen = split_sentences(lead)
            positions = [sentences.index(s) for s in chosen]
            assert positions == sorted(positions), (budget, lead)


# Two facts of 31 and 33 words, then an aside: 64 words tell the story, 60 cannot.
FERRY = (
    "Ferry aground\n"
    "A ferry carrying 240 passengers ran aground off the island of Arran on Sunday "
    "evening, and all of the passengers were taken safely ashore by lifeboat crews "
    "from Lamlash and Campbeltown.\n"
    "The ferry operator said the ship had lost power in both engines shortly after it "
    "left Brodick harbour, and that the passengers would be taken on to Ardrossan by "
    "coach later that night.\n"
    "The weather was fine.\n"
)


def test_lead_runs_past_its_budget_for_a_sentence_worth_it():
    """News sentences run long: rather than trade the second fact for an aside, the lead
    runs a little past its budget, never past the ceiling."""
    lead = summarise(article(FERRY), lead_words=60).lead
    assert lead.startswith("A ferry carrying 240 passengers") and "lost power" in lead
    assert 60 < len(lead.split()) <= 75
    # With no overrun the budget is a hard limit: the aside fills it instead.
    hard = summarise(article(FERRY), lead_words=60, lead_overrun=0).lead
    assert "lost power" not in hard and len(hard.split()) <= 60
    # Far past the budget is not worth it.
    assert "lost power" not in summarise(article(FERRY), lead_words=45).lead


def test_leads_average_under_their_budget():
    """The overrun is the exception: over every article the tests have, leads average
    under the budget."""
    sources = [*LEADS.glob("*.txt"), *HEADINGS.glob("*.*"), *SEED.parent.glob("*.txt")]
    for budget in (40, 60, 80):
        lengths = [
            len(summarise(load_fixture(p), lead_words=budget).lead.split()) for p in sources
        ]
        assert len(lengths) > 40
        assert sum(lengths) / len(lengths) <= budget, (budget, lengths)
        # …and use it: leads that shrank to nothing would pass the line above.
        assert sum(lengths) / len(lengths) >= 0.6 * budget, (budget, lengths)
        assert max(lengths) <= lead_ceiling(budget, LEAD_OVERRUN)


def test_opening_strategy_always_starts_with_the_opening_sentence():
    text = (
        "Headline\n"
        "A long opening sentence about the weather that goes on and on about the sky, the "
        "clouds and the wind over the hills.\n"
        "Council tax in Leeds will rise by 4.99% from April, the council said.\n"
        "Council tax rises of this size need a referendum in other parts of the country.\n"
    )
    assert summarise(article(text), lead_words=25, strategy="opening").lead.startswith(
        "A long opening sentence"
    )
    # The default may leave out an opening sentence that is not about the story.
    assert summarise(article(text), lead_words=25).lead.startswith("Council tax in Leeds")


def test_lead_never_repeats_itself():
    """A caption that restates the opening, run into the text, is not worth its words."""
    text = (
        "Wanyama denies Arsenal talks\n"
        "Victor Wanyama took to social media on Thursday to dismiss rumours that he was set "
        "to leave Southampton for Arsenal.\n"
        "Victor Wanyama took to social media to dismiss rumours he was set to leave for "
        "Arsenal.\n"
        "The midfielder has been one of Southampton's best players since joining from "
        "Celtic for £12.5m in 2013.\n"
    )
    lead = summarise(article(text)).lead
    assert lead.count("took to social media") == 1
    assert "Celtic" in lead


def test_lead_never_opens_on_a_sentence_that_leans_on_the_one_before():
    text = (
        "Gayle records a song\n"
        "Chris Gayle has recorded a song with a Jamaican rapper ahead of the IPL season, "
        "which begins in Kolkata on Wednesday with 60 matches over seven weeks.\n"
        "And the Royal Challengers Bangalore batsman is hoping the IPL season brings him a "
        "first IPL title with the Royal Challengers Bangalore.\n"
        "Royal Challengers Bangalore have never won the IPL title.\n"
    )
    for budget in (20, 35, 60):
        lead = summarise(article(text), lead_words=budget).lead
        assert lead and not lead.startswith("And "), lead
        if "And the Royal" in lead:
            assert "Chris Gayle has recorded" in lead


def test_run_in_caption_with_pictured_is_not_the_lead():
    text = (
        "Oxford closer to debut\n"
        "Reece Oxford moved closer to a first-team debut for West Ham after scoring for the "
        "Under-21s against Manchester United on Tuesday night.\n"
        "Oxford, pictured here earlier in the season, is 16.\n"
        "The defender has been on the bench for the senior side six times this season.\n"
    )
    assert "pictured" not in summarise(article(text)).lead


def test_a_caption_label_is_dropped_but_a_speaker_is_not():
    """ "Found: Sarah Jones, 34, was spotted …" is a caption's label on a sentence of
    the story; "Police said: …" is who says it."""
    item = summarise(load_fixture(LEADS / "13_caption_labels.txt"), strategy="opening")
    assert "Sarah Jones, 34, was spotted by a lorry driver" in item.lead
    text = (
        "Arrests in Leeds\n"
        "Two men were arrested after a jewellery shop in Leeds was robbed on Friday.\n"
        "Police said: Both men are in custody and will be questioned today.\n"
    )
    lead = summarise(article(text), strategy="opening").lead
    assert lead.endswith("Police said: Both men are in custody and will be questioned today.")


LEAD_CASES = json.loads((LEADS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(LEAD_CASES))
def test_lead_starts_at_the_first_news_sentence(name):
    """Real article tops: bylines, datelines, "Updated …", captions with credits,
    teasers and a long opening quote are skipped; the lead starts with the news."""
    expected = LEAD_CASES[name]
    item = summarise(load_fixture(LEADS / name))
    assert item.lead.startswith(expected["starts"]), item.lead
    for fragment in expected["absent"]:
        assert fragment not in item.lead
    assert len(item.lead.split()) <= lead_ceiling(60, LEAD_OVERRUN)
    assert not item.lead.endswith("…")  # whole sentences


@pytest.mark.parametrize("name", sorted(n for n, c in LEAD_CASES.items() if "nowhere" in c))
def test_banners_and_prompts_appear_nowhere_and_the_real_headline_is_kept(name):
    """A cookie banner at the top of a page, and video and gallery prompts, are never
    the title, the lead or a heading; the page's own headline stays its title."""
    expected = LEAD_CASES[name]
    item = summarise(load_fixture(LEADS / name))
    for fragment in expected["nowhere"]:
        assert fragment not in everything(item), fragment
    if "title" in expected:
        assert item.title == expected["title"]


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("31_quote_lines.txt", "Residents of Little Barton have bought their village shop"),
        ("32_caption_lines.txt", "Steven Gerrard hoped his Liverpool career would end"),
    ],
)
def test_quote_and_caption_lines_are_not_section_headings(name, starts):
    """A quotation on a line of its own ends in .' or ." and is not a heading; nor is a
    caption line ending in where someone stands, "(left)"."""
    expected = json.loads((HEADINGS / "expected.json").read_text(encoding="utf-8"))
    item = summarise(load_fixture(HEADINGS / name))
    assert item.headings == expected[name]
    assert item.lead.startswith(starts)


@pytest.mark.parametrize(
    ("text", "story"),
    [
        # A caption ending in a picture position, run into the next sentence.
        (
            "Councillors outside the town hall (left) and the new depot (right) The council "
            "will spend £2m on new bin lorries next year.",
            "The council will spend £2m on new bin lorries next year.",
        ),
        # A caption ending in a quotation that opened in it.
        (
            "Rescuers said the walkers had been 'very lucky' Police have urged people to check "
            "the tide times before setting out.",
            "Police have urged people to check the tide times before setting out.",
        ),
    ],
)
def test_a_caption_run_into_the_next_sentence_is_split_off(text, story):
    lead = summarise(article("Headline\n" + text + "\nA second sentence follows it here.")).lead
    assert lead.startswith(story), lead


@pytest.mark.parametrize(
    "sentence",
    [
        "He was born in The Hague and told The Times that he would never go back there.",
        "West Ham manager Sam 'Big Sam' Allardyce said the team had played well on Saturday.",
        "The former Head of Science at the school said he was pleased with the results.",
        "The National Health Service (NHS) England said waiting lists had grown again.",
    ],
)
def test_names_and_titles_inside_a_sentence_are_not_glued_captions(sentence):
    assert summarise(article("Headline\n" + sentence)).lead == sentence


def test_a_headline_and_a_line_starting_with_a_brand_are_not_joined():
    text = (
        "Apple launches new phones\n"
        "iPhone 17 goes on sale on Friday in 40 countries, Apple said on Tuesday.\n"
        "Prices start at £799.\n"
    )
    item = summarise(article(text))
    assert item.title == "Apple launches new phones"
    assert item.lead.startswith("iPhone 17 goes on sale")


def test_plain_text_list_items_are_sentences_and_a_release_leads_with_its_version():
    text = (
        "digest 2.4.0 released\n"
        "What changed in this release:\n"
        "- Dark mode for the preview window\n"
        "- Feeds with no entries no longer crash the reader\n"
        "- A new --since flag for digest render\n"
    )
    expected = (
        "2.4.0: Dark mode for the preview window. Feeds with no entries no longer crash the "
        "reader. A new --since flag for digest render."
    )
    for strategy in ("lead", "opening"):
        assert summarise(article(text), strategy=strategy).lead == expected, strategy
    # "first" takes every line from the top, the one introducing the list too.
    first = summarise(article(text), strategy="first").lead
    assert first.startswith("2.4.0: What changed") and first.endswith(expected[len("2.4.0: ") :])


def test_a_run_of_short_plain_text_lines_is_not_made_into_sentences():
    """Plain-text lines without full stops are bylines and captions as often as list
    items: only Markdown and HTML lists get full stops."""
    text = (
        "Flood defences to be raised\n"
        "Jane Smith\n"
        "Environment correspondent\n"
        "Monday 4 March\n"
        "Flood defences along the River Ouse in York will be raised by half a metre, the "
        "Environment Agency said.\n"
    )
    item = summarise(article(text))
    assert item.lead.startswith("Flood defences along the River Ouse")
    assert "correspondent" not in item.lead


def test_lead_fills_leftover_budget_with_a_shorter_later_sentence():
    text = (
        "Headline\nOne two three four five six seven eight. "
        + "Long " * 30
        + "sentence that does not fit. Nine ten eleven."
    )
    assert summarise(article(text), lead_words=20, strategy="opening").lead == (
        "One two three four five six seven eight. Nine ten eleven."
    )


def test_lead_words_default_is_60_with_a_quarter_to_end_on_a_sentence():
    assert (LEAD_OVERRUN, lead_ceiling(60, LEAD_OVERRUN)) == (0.25, 75)
    item = summarise(article(SEED.read_text(encoding="utf-8")))
    assert 40 <= len(item.lead.split()) <= 75


# --- identity ------------------------------------------------------------------------


def test_id_is_stable_across_line_ends_bom_whitespace_and_path():
    base = summarise(article(STORY)).id
    crlf = STORY.replace("\n", "\r\n")
    raw_blocks = tuple(Block(line) for line in crlf.split("\n") if line.strip())
    assert summarise(Article(source="a.txt", blocks=raw_blocks)).id == base
    assert summarise(article("\ufeff" + STORY)).id == base
    spaced = "\n\n".join("  " + line.replace(" ", "  ") + "  " for line in STORY.splitlines())
    assert summarise(article(spaced)).id == base
    assert summarise(article(STORY, source="/elsewhere/moved.txt")).id == base
    assert len(base) == 16 and int(base, 16) >= 0


def test_id_of_an_unchanged_article_never_changes_between_versions():
    """Ids decide what was published: a new version of digest that gave an old article a
    new id would send it again. These were computed by the first release's rules."""
    assert summarise(article(STORY)).id == "b8494f3bcbd6f337"
    odd = "\u00a0Tab\there  and\u2009there | x"
    assert summarise(article(odd, source="x.txt")).id == "c14c4766ef34dec9"


def test_id_differs_between_articles_and_ignores_options():
    base = summarise(article(STORY))
    other = summarise(article(STORY.replace("£42m", "£43m")))
    assert other.id != base.id
    assert summarise(article(STORY), lead_words=10, strategy="first").id == base.id


def test_id_from_url_for_feed_entries():
    one = summarise(article(STORY, url="https://example.com/a"))
    two = summarise(article(STORY + "An update.\n", url="https://example.com/a"))
    assert one.id == two.id
    assert one.url == "https://example.com/a"


# --- headline style ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Auxiliaries go: "are not expected to" → "not expected to".
        (
            "Western powers are not expected to ease restrictions on arms, officials said.",
            "Western powers not expected to ease restrictions on arms",
        ),
        # "has/have + participle" → present tense, agreeing with the subject.
        ("Turkey has agreed a new loan with the IMF.", "Turkey agrees new loan with IMF"),
        ("Shares in BT have risen sharply.", "Shares in BT rise sharply"),
        # "has been" + participle → the participle; "will" → "to".
        (
            "A rare guitar has been sold at auction in London.",
            "Rare guitar sold at auction in London",
        ),
        ("The council will close three libraries next year.", "Council to close three libraries"),
        # "is/are + -ing" → present tense; passives keep the participle.
        ("The firm is planning a new factory in Wales.", "Firm plans new factory in Wales"),
        ("Two men were arrested after a raid in Leeds.", "Two men arrested after raid in Leeds"),
        # A reporting verb gives way to its clause: "Brown said he hopes" → "Brown hopes".
        (
            "Chancellor Gordon Brown has said he hopes to announce a debt deal.",
            "Brown hopes to announce debt deal",
        ),
        # People by surname; a descriptor before a name goes.
        ("Hollywood star Tom Hanks has opened a cinema.", "Hanks opens cinema"),
        ("Shares in UK drinks firm Allied Domecq rose.", "Shares in Allied Domecq rise"),
        # Cut before a relative clause or a participial phrase, not with an ellipsis.
        (
            "Three US insurance executives have pleaded guilty to fraud charges stemming from "
            "an ongoing investigation into industry malpractice.",
            "Three US insurance executives plead guilty to fraud charges",
        ),
        # The verb agrees with the subject's head noun, not with a noun in its
        # participial phrase, relative clause or aside.
        (
            "A ferry carrying 240 passengers ran aground off Mull on Tuesday.",
            "Ferry carrying 240 passengers runs aground off Mull",
        ),
        (
            "Mexican labourers living in the US sent a record $16.6bn home last year.",
            "Mexican labourers living in US send record $16.6bn home",
        ),
        (
            "Germany's economy, the biggest among the countries sharing the euro, grew.",
            "Germany's economy, biggest among countries sharing euro, grows",
        ),
        # A relative clause in the subject is not the main clause: its verb stays, and
        # in a subject too long for a headline the clause goes.
        (
            "A village bakery that has fed the same street for 112 years will close in June.",
            "Village bakery to close",
        ),
        (
            "A drunk driver who killed a young woman in a head-on crash while checking his "
            "mobile phone has been jailed for six years.",
            "Drunk driver jailed for six years",
        ),
        (
            "The man who said he got the movie off the ground and signed up its star has been "
            "shut out of the awards race.",
            "Man shut out of awards race",
        ),
        (
            "A Christmas tree that can receive text messages has been unveiled in Finland.",
            "Christmas tree that can receive text messages unveiled in Finland",
        ),
        (
            "The man who killed his wife was jailed for life.",
            "Man who killed wife jailed for life",
        ),
        # "and" in an aside does not make the subject plural; a list of names does.
        (
            "Kayahan, one of Turkey's best-loved singers and songwriters, died of cancer.",
            "Kayahan, one of Turkey's best-loved singers and songwriters, dies of cancer",
        ),
        (
            "Indonesian, Indian and Hong Kong stock markets reached record highs.",
            "Indonesian, Indian and Hong Kong stock markets reach record highs",
        ),
        # A pronoun right before the verb is its subject.
        (
            "Returning home from the Games, I discovered a new respect for the sport.",
            "Returning home from Games, I discover new respect for sport",
        ),
        # A place in title case before a double dash is a dateline.
        (
            "Beirut -- Syria carried out an airstrike near the border on Monday.",
            "Syria carries out airstrike near border",
        ),
        # Two verbs joined by "and" both take the headline tense.
        (
            "Authorities identified and charged a man in Cambridge on Monday.",
            "Authorities identify and charge man in Cambridge",
        ),
        # After "q", "u" is a consonant: "requiring" is "require".
        (
            "Police in the city of Malegaon are requiring identity cards for cattle.",
            "Police in city of Malegaon require identity cards for cattle",
        ),
        # "had hoped to" says it did not happen: it stays (not "Club hopes to sign").
        ("The club had hoped to sign the striker in January.", "Club had hoped to sign striker"),
        # "The man accused of …" is the subject; the main verb comes after it.
        (
            "The man accused of stabbing the ambassador with a knife in Seoul is now charged "
            "with murder.",
            "Man accused of stabbing ambassador with knife in Seoul charged with murder",
        ),
    ],
)
def test_derived_title_reads_like_a_headline(sentence, expected):
    assert derive_title(sentence) == expected


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("agreed", "agree"),
        ("planned", "plan"),
        ("raised", "raise"),
        ("carried", "carry"),
        ("died", "die"),
        ("called", "call"),
        ("cancelled", "cancel"),
        ("changed", "change"),
        ("damaged", "damage"),
        ("obliged", "oblige"),
        ("bulged", "bulge"),
        ("dragged", "drag"),
        ("created", "create"),
        ("decided", "decide"),
        ("developed", "develop"),
        ("offered", "offer"),
        ("making", "make"),
        ("rose", "rise"),
        ("taken", "take"),
    ],
)
def test_base_form(form, base):
    assert base_form(form) == base
    assert present_tense(base, singular=True).startswith(base[:-1])


def test_articles_that_open_alike_get_distinct_ids() -> None:
    """A daily column with a fixed opening must not be taken for yesterday's issue."""
    opening = ("Daily Weather Update", "Here is the forecast from the Met Office for today.")
    monday = Article("a.txt", tuple(Block(t) for t in (*opening, "Monday will be dry and sunny.")))
    tuesday = Article("b.txt", tuple(Block(t) for t in (*opening, "Tuesday brings heavy rain.")))
    assert summarise(monday).id != summarise(tuesday).id


def test_a_stated_key_wins_over_a_shared_url() -> None:
    blocks = (Block("Some text about the story.", "paragraph"),)
    first = Article("feed.xml", blocks, title="One", url="https://e.com/news", key="guid-1")
    second = Article("feed.xml", blocks, title="Two", url="https://e.com/news", key="guid-2")
    no_key = Article("feed.xml", blocks, title="Three", url="https://e.com/news")
    ids = {summarise(a).id for a in (first, second, no_key)}
    assert len(ids) == 3
    assert summarise(first).id == summarise(replace(first, title="Renamed")).id


# --- title rules: phrasal verbs, connectives, existential openings, named subjects ----


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Cut before the verb phrase when its particle would dangle ...
        (
            "The UK government will have to raise taxes or rein in spending if it wants to "
            'avoid breaking its "golden rule", a report suggests.',
            "UK government will have to raise taxes",
        ),
        # ... or keep the particle (and its phrase) when it fits.
        (
            "Comedy Meet The Fockers has held on to the number one spot at the North "
            "American box office for a second week.",
            "Comedy Meet The Fockers holds on to number one spot",
        ),
        (
            "The remaining members of rock band Queen are to go on tour next year with "
            "former Free and Bad Company singer Paul Rodgers taking Freddie Mercury's place.",
            "Remaining members of Queen to go on tour",
        ),
    ],
)
def test_derived_title_never_splits_a_phrasal_verb(sentence, expected):
    assert derive_title(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # After an adjective, an -ing word is a noun, not a participle to cut before.
        (
            "Michael Phelps made a winning return to competitive racing as the 18-time "
            "Olympic gold-medallist claimed victory at the Arena Pro Swim Series in Arizona.",
            "Phelps makes winning return to competitive racing",
        ),
        (
            "A portrait by Sir Joshua Reynolds is to get a public airing for the first time "
            "in over a century.",
            "Portrait by Sir Joshua Reynolds to get public airing",
        ),
        # After a noun, it is a participle: the cut comes before it.
        (
            "Three US insurance executives have pleaded guilty to fraud charges stemming from "
            "an ongoing investigation into industry malpractice.",
            "Three US insurance executives plead guilty to fraud charges",
        ),
    ],
)
def test_derived_title_keeps_a_gerund_with_its_adjective(sentence, expected):
    assert derive_title(sentence) == expected


def test_derived_title_drops_an_opening_connective():
    assert derive_title("Still, investors remain wary of the bank after two profit warnings.") == (
        "Investors remain wary of bank after two profit warnings"
    )
    # Left without a subject ("went on to run …"), the next sentence with one leads;
    # with none to fall back on, the clause itself is used without the marker.
    first = (
        "In his twenties he battled tuberculosis for eight years, then went on to run his "
        "own clothing business before marrying in his late thirties."
    )
    following = (
        "And the 101-year-old Torao Toshitsune has eaten raw fish pretty much every day "
        "throughout his life.",
    )
    title = derive_title(first, following=following)
    assert title.startswith("101-year-old Torao Toshitsune eats raw fish")
    assert derive_title(first) == "Went on to run own clothing business"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "At the Bafta film awards on Saturday night, there is the prospect that a "
            "home-grown movie could walk off with a clutch of trophies.",
            "Home-grown movie could walk off with clutch of trophies",
        ),
        (
            "There are fears that the steelworks could close with the loss of 800 jobs.",
            "Steelworks could close with loss of 800 jobs",
        ),
        (
            "It is thought that the minister will resign before the summer recess.",
            "Minister to resign before summer recess",
        ),
    ],
)
def test_derived_title_uses_the_clause_an_existential_opening_embeds(sentence, expected):
    assert derive_title(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A description restated by a name after a comma: the name stays.
        (
            "Shares in India's largest power producer, National Thermal Power Corp (NTPC) "
            "have risen 13% on their stock market debut.",
            "Shares in National Thermal Power Corp rise 13%",
        ),
        # An aside with commas of its own goes as a whole, up to the main verb.
        (
            "Actress Anna Keaveney, who appeared in Brookside, My Family and A Touch of "
            "Frost, has died of lung cancer aged 55.",
            "Keaveney dies of lung cancer aged 55",
        ),
        (
            "Parmalat, the Italian food group at the centre of one of Europe's most painful "
            "corporate scandals, has reported a doubling in profit.",
            "Parmalat reports doubling in profit",
        ),
    ],
)
def test_derived_title_keeps_the_name_and_the_main_verb(sentence, expected):
    assert derive_title(sentence) == expected


def test_title_falls_back_to_the_next_lead_sentence_with_a_subject():
    article = Article(
        "japan.txt",
        (
            Block(
                "In his twenties he battled tuberculosis for eight years, then went on to run "
                "his own clothing business before marrying in his late thirties. And the "
                "101-year-old Torao Toshitsune has eaten raw fish every day."
            ),
            Block("Mr Toshitsune is one of Japan's 23,000 centenarians."),
        ),
    )
    assert summarise(article).title == "101-year-old Torao Toshitsune eats raw fish every day"


def test_the_content_fingerprint_ignores_guid_link_and_date_but_not_the_text() -> None:
    from datetime import UTC, datetime

    from digest.summarise import article_id, content_fingerprint

    blocks = (Block("The harbour board met on Monday.", "paragraph"),)
    first = Article(
        "feed.xml", blocks, title="Board meets", key="guid-1", url="https://a.example/1"
    )
    reissued = Article(
        "other.xml",
        (Block("The  HARBOUR board met on Monday.", "paragraph"),),  # normalised alike
        title="Board meets",
        key="guid-2",
        url="https://a.example/2",
        published=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert article_id(first) != article_id(reissued)
    assert content_fingerprint(first) == content_fingerprint(reissued)
    edited = Article("feed.xml", blocks, title="Board meets again", key="guid-1")
    assert content_fingerprint(edited) != content_fingerprint(first)
    assert content_fingerprint(Article("feed.xml", (), title="Link only")) is None


def test_article_identity_is_the_id_and_the_fingerprint_at_once() -> None:
    from digest.summarise import article_id, article_identity, content_fingerprint

    articles = [
        Article("a.txt", (Block("Plain text, no key or link."),)),
        Article("f.xml", (Block("An entry."),), title="T", key="guid"),
        Article("f.xml", (Block("  "),), title="Blank", url="https://e.example/1"),
        Article("f.xml", (), title="Link only", url="https://e.example/2"),
    ]
    for article in articles:
        assert article_identity(article) == (article_id(article), content_fingerprint(article))


def test_the_item_id_is_the_article_id_whatever_its_blocks_hold() -> None:
    # summarise makes the id from the lines it cleaned for the body; the pipeline's
    # article_identity from the raw text. They must agree, or an item sent once would
    # look new: blank and empty blocks, a BOM, a zero-width space, no or a blank title.
    from digest.summarise import article_id

    blocks = (
        Block(""),
        Block("\ufeffThe harbour board met on Monday."),
        Block("   "),
        Block("It voted\u200b to  rebuild the pier.\n"),
        Block("\u00a0"),
    )
    for title in (None, "", "  ", "Board meets"):
        for these in (blocks, blocks[1:2], blocks[:1], blocks[2:]):
            article = Article("a.txt", these, title=title)
            assert summarise(article).id == article_id(article), (title, these)


# --- languages ---------------------------------------------------------------------
SENTENCES = Path(__file__).parent / "fixtures" / "summarise" / "sentences"
LANGUAGES = ("de", "fr", "es", "ar")


def sentence_cases(language: str) -> list[tuple[str, list[str]]]:
    """The fixture's (paragraph, expected sentences): see its README.md."""
    cases = []
    for chunk in (SENTENCES / f"{language}.txt").read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in chunk.splitlines() if line and not line.startswith("#")]
        if not lines:
            continue
        sentences = [line.removeprefix("~") for line in lines]
        paragraph = lines[0]
        for line in lines[1:]:
            paragraph += line[1:] if line.startswith("~") else " " + line
        cases.append((paragraph, sentences))
    return cases


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentences_split_by_each_languages_rules(language: str) -> None:
    cases = sentence_cases(language)
    assert sum(len(expected) for _, expected in cases) >= 50
    rules = profile(language)
    wrong = [
        (paragraph, got)
        for paragraph, expected in cases
        if (got := split_sentences(paragraph, language=rules)) != expected
    ]
    assert wrong == []
    # The generic (English) rules get many of them wrong: the fixture is hard.
    generic = sum(split_sentences(paragraph) != expected for paragraph, expected in cases)
    assert generic >= 5


def test_an_unknown_language_uses_the_generic_rules_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING"):
        first = profile("sw-KE")
        again = profile("sw")
    assert first is again is profile("en")
    assert [r.getMessage() for r in caplog.records if "'sw-KE'" in r.getMessage()] == [
        "the summariser has no rules for language 'sw-KE' (it knows ar, de, en, es, fr): "
        "using the generic English rules"
    ]
    assert len(caplog.records) == 1
    assert profile("de-AT") is profile("de")


_STORIES = {
    "de": "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, der ab Januar gilt.",
    "fr": "Le conseil municipal a adopté mardi le nouveau budget, qui entre en vigueur.",
    "es": "El Ayuntamiento aprobó el martes el nuevo presupuesto, que entrará en vigor.",
    "ar": "أقر المجلس البلدي يوم الثلاثاء الميزانية الجديدة التي تدخل حيز التنفيذ في يناير.",
}


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("de", "Lesen Sie auch:\nBahn erhöht die Preise\nStreik im Nahverkehr"),
        ("de", "Mehr zum Thema: Streik bei der Bahn"),
        ("de", "Anzeige"),
        ("de", "Foto: dpa"),
        ("de", "Lesezeit: 4 Minuten"),
        ("fr", "Lire aussi :\nLa SNCF augmente ses prix"),
        ("fr", "Publicité"),
        ("fr", "Temps de lecture : 3 min"),
        ("es", "Lee también: Renfe sube los precios"),
        ("es", "Publicidad"),
        ("es", "Foto: EFE"),
        ("ar", "اقرأ أيضا:\nارتفاع أسعار القطارات"),
        ("ar", "إعلان"),
        ("ar", "الصورة: رويترز"),
        ("ar", "جميع الحقوق محفوظة"),
    ],
)
def test_each_languages_boilerplate_never_reaches_the_item(language: str, lines: str) -> None:
    story = _STORIES[language]
    text = f"{story}\n{lines}\n{story.replace(',', ';')}"
    item = summarise(article(text), language=language)
    assert item.headings == []
    assert item.word_count == 2 * len(story.split())  # nor its reading time
    # The generic rules keep such a line, as a heading or as words to read.
    assert summarise(article(text)).word_count > item.word_count


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_outside_english_the_opening_sentence_leads(language: str) -> None:
    """The lead's weights were read off English news, and its rules for a sentence that
    leans on the one before know English words: in another language the opening
    sentence, the news, always leads, however short it is beside the next."""
    text = (OPENERS / f"{language}.txt").read_text(encoding="utf-8")
    opening, second = text.splitlines()[1:3]
    lead = summarise(article(text), language=language).lead
    assert lead.startswith(opening + " " + second), lead


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "de",
            "Die Bundesregierung hat nach langen Verhandlungen mit den Ländern am Dienstag zur "
            "Überraschung vieler Beobachter ein Gesetz beschlossen.",
        ),
        (
            "fr",
            "Le gouvernement a présenté mardi soir un plan de relance ambitieux pour les "
            "entreprises de la région.",
        ),
        (
            "es",
            "A partir de enero el Gobierno subirá el salario mínimo un cinco por ciento para "
            "los trabajadores del campo.",
        ),
        (
            "ar",
            "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لدعم المزارعين في المناطق التي تضررت من "
            "الجفاف خلال الصيف الماضي.",
        ),
    ],
)
def test_titles_in_each_language_keep_its_words_and_end_on_one_that_can_end_them(
    language: str, sentence: str
) -> None:
    title = summarise(article(sentence + " Mehr folgt."), language=language).title
    words = title.rstrip("…").split()
    assert 6 <= len(words) <= 12
    assert words[-1].lower() not in profile(language).dangling  # "zur", "les", "por", "التي"
    # The sentence's own words in its order: English headline rules would drop
    # "a" (French "has", Spanish "to") as an article.
    assert sentence.startswith(" ".join(words))


def test_a_title_keeps_a_german_sentence_whole_when_it_fits() -> None:
    sentence = (
        "BERLIN (dpa) - Der Bundestag hat am Freitag, nach langer Debatte, das Gesetz "
        "verabschiedet."
    )
    title = summarise(article(sentence), language="de").title
    assert title == "Der Bundestag hat am Freitag, nach langer Debatte, das Gesetz verabschiedet"


def test_reading_time_uses_the_languages_reading_speed() -> None:
    body = " ".join(["El Gobierno aprobó el plan de ayudas para los agricultores."] * 200)
    spanish = article(body)  # 2,000 words
    assert summarise(spanish, language="es").reading_minutes == round(2000 / 218)
    assert summarise(spanish, language="ar").reading_minutes == round(2000 / 138)
    assert summarise(spanish).reading_minutes == round(2000 / 230)
    assert summarise(spanish, language="ar", words_per_minute=400).reading_minutes == 5


def test_a_caption_run_into_a_sentence_that_opens_with_a_is_split_off_but_labels_are_not():
    """ "… the charity she ran A charity manager …" is a caption glued to the story; "plan
    A was", "grade A in" are one sentence."""
    from digest.summarise.sentences import unglue

    glued = (
        "She was found guilty of stealing from the charity she ran A charity manager has been"
        " jailed."
    )
    assert unglue(glued) == [
        "She was found guilty of stealing from the charity she ran",
        "A charity manager has been jailed.",
    ]
    for whole in (
        "The council said plan A was dropped after the vote on Monday.",
        "Pupils who got grade A in maths were offered places at the school.",
    ):
        assert unglue(whole) == [whole]


@pytest.mark.parametrize(
    ("glued", "caption"),
    [
        # A name and its verb after the caption that named it: the story goes on by surname.
        (
            "Jonjo O'Neill hopes jockey AP McCoy rides his horse to success later this month"
            " O'Neill told reporters the horse is in great form and could not be better.",
            "Jonjo O'Neill hopes jockey AP McCoy rides his horse to success later this month",
        ),
        # A quotation opened straight after the caption's last word.
        (
            "Kilmarnock will confirm Gary Locke as manager on Friday ‘I’d be over the moon to"
            " get it,’ said Locke while the talks went on.",
            "Kilmarnock will confirm Gary Locke as manager on Friday",
        ),
        # "The", "He", "In" after a place, a name or a figure.
        (
            "The doll goes back on sale this Saturday in Australia The first customers can"
            " buy it for $3.",
            "The doll goes back on sale this Saturday in Australia",
        ),
        (
            "Bowe is now offering to post tweets for $20 He was once the double heavyweight"
            " champion.",
            "Bowe is now offering to post tweets for $20",
        ),
        # Openers no caption's last word runs on into.
        (
            "RBS posted a loss in the first three months of the year In addition to fines,"
            " the bill includes compensation.",
            "RBS posted a loss in the first three months of the year",
        ),
        (
            "Payne ruled out a women's Masters despite talking about growing the game It’s"
            " well-known the surroundings contrast with the beauty within.",
            "Payne ruled out a women's Masters despite talking about growing the game",
        ),
        (
            "Immigrants could make up 14.8 per cent That number could rise to one in five by"
            " 2060.",
            "Immigrants could make up 14.8 per cent",
        ),
        (
            "He could spend $300 just asking his date to the yearly dance In 2012, Matthew Ho"
            " used 1,500 balloons.",
            "He could spend $300 just asking his date to the yearly dance",
        ),
        (
            "Lightning strikes inside the ash cloud of the Colima volcano (above) in Mexico The"
            " 12,400 feet high volcano first erupted in 1576.",
            "Lightning strikes inside the ash cloud of the Colima volcano (above) in Mexico",
        ),
        (
            "He thought the concreting job wasn’t up to scratch At around 3.30pm on March 17 he"
            " returned to the site.",
            "He thought the concreting job wasn’t up to scratch",
        ),
        (
            "King, pictured with Clinton in 2008, helped run the 2008 Women for Hillary wing King,"
            " pictured with Clinton in 2001, said she was proud to lead the effort.",
            "King, pictured with Clinton in 2008, helped run the 2008 Women for Hillary wing",
        ),
        (
            "Edward Byatt (behind Allen, left) was also involved in the fraud Allen also"
            " splurged £8,700 on a holiday to Florida in 2009 with his girlfriend and children.",
            "Edward Byatt (behind Allen, left) was also involved in the fraud",
        ),
        (
            "Mr Docherty pleaded guilty when he appeared in the district court on Wednesday Mr"
            " Docherty proceeded to grip the hook and reach it down past the victim.",
            "Mr Docherty pleaded guilty when he appeared in the district court on Wednesday",
        ),
        # A first name and the surname the caption named.
        (
            "He and his wife Brenda Burns (left) maintain Joshua Burns's innocence Brenda Burns"
            " has refused to let social workers see the baby, the Livingston Daily said.",
            "He and his wife Brenda Burns (left) maintain Joshua Burns's innocence",
        ),
    ],
)
def test_a_caption_run_into_a_name_a_quote_or_an_opener_is_split_off(glued, caption):
    from digest.summarise.sentences import unglue

    pieces = unglue(glued)
    assert pieces[0] == caption
    assert " ".join(pieces) == glued


@pytest.mark.parametrize(
    "whole",
    [
        # Prose from BBC News where a capitalised word goes on the sentence.
        "Last month Marsh agreed to pay $850m to settle the charges brought against it.",
        "In the interview Mr Blair also said he would serve a full third term in office.",
        "Analysts said at the time Vodafone was likely to raise its offer for the firm.",
        "It is the amount of successful interests Vaughan has that remain the obstacle.",
        "Who would have guessed at the start of the season Giroud was a Coldplay fan?",
        '"People said we had gone mainstream, but actually Hollywood came to us," he adds.',
        "Spurs striker Harry Kane said the side had let the supporters down on Saturday.",
        '"You have explored film with an immense talent," Mr de Vabres said as he spoke.',
        "I used to build fences every year but that was the year Don't Push It won so we stopped.",
        'He had hit records of his own, including "St. George and the Dragonet," a send-up.',
        "A guard tagged a number of other guards asking 'Who is next boys?' on Facebook.",
        "Ladival is the first product to protect against infra-red A rays as well as UVB.",
        "50 Cent also appears on rap protege The Game's song How We Do, number four in the US.",
        "The kite, dubbed 'centipede with a dragon's head', was set to fly at the festival.",
        "The film was made entirely in Rwanda whereas Hotel Rwanda was shot in South Africa.",
        "Other films in the category include Police drama 36, Quai Des Orfevres and The Chorus.",
        "Barbie collectors take note: This Saturday, the very first Barbie Doll will go on sale.",
        "The Game's debut topped the charts, while 50 Cent's second collection The Massacre"
        " was released last week.",
        "The storm kept the Carnival Spirit at sea for days and the cruise ship Carnival Spirit"
        " has been damaged outside Sydney.",
    ],
)
def test_prose_with_capitalised_words_is_not_split(whole):
    from digest.summarise.sentences import unglue

    assert unglue(whole) == [whole]
