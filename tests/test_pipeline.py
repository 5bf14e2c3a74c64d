"""The pipeline: what goes into an issue, summarised once, and on every core when asked."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import Settings
from digest.models import Article, Block
from digest.pipeline import IssueRequest, Items, collect, draft, next_issue, publish, summariser
from digest.sources import read_sources
from digest.summarise import article_id
from tests.conftest import SEED_ARTICLE
from tests.helpers import run_digest


def write_articles(folder: Path, count: int, seed: int = 3) -> None:
    """``count`` distinct plain-text articles shaped like the seed article."""
    rng = random.Random(seed)
    lines = [line for line in SEED_ARTICLE.read_text(encoding="utf-8").splitlines() if line]
    folder.mkdir()
    for n in range(count):
        body = lines[1:]
        rng.shuffle(body)
        text = "\n".join([f"Report {n}: {lines[0]}", *body[: rng.randint(3, len(body))]])
        (folder / f"{n:05d}.txt").write_text(text + "\n", encoding="utf-8")


def test_summarise_over_many_files_gives_the_one_by_one_items_in_order(tmp_path: Path) -> None:
    # Enough articles for worker processes (see pipeline._POOL_MIN_ARTICLES).
    write_articles(tmp_path / "many", 1100)
    result = run_digest("summarise", "--json", "many", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]

    report = read_sources([str(tmp_path / "many")])
    summarise_one = summariser(Settings())
    expected = [summarise_one(a).model_dump(mode="json") for a in report.articles]
    assert len(printed) == 1100
    assert [item["source"] for item in printed] == sorted(item["source"] for item in printed)
    assert [{**i, "source": Path(i["source"]).name} for i in printed] == [
        {**i, "source": Path(i["source"]).name} for i in expected
    ]


def test_only_the_published_items_are_summarised_and_the_rest_wait(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 30)
    (tmp_path / "articles" / "00005.txt").write_text("Share on Twitter\nClick here to subscribe\n")
    settings = Settings(sources=[str(tmp_path / "articles")], outbox=tmp_path / "outbox")
    settings = settings.model_copy(update={"max_items": 12})
    outcome = publish(settings, now=datetime(2026, 12, 6, 7, tzinfo=UTC))

    assert outcome.issue is not None
    sources = [Path(item.source).name for item in outcome.issue.items]
    assert sources == [f"{n:05d}.txt" for n in range(13) if n != 5]
    # The file of boilerplate is neither an item nor waiting: it is reported.
    assert outcome.issue.backlog == 30 - 12 - 1
    assert [(Path(p.source).name, p.message) for p in outcome.problems] == [
        ("00005.txt", "skipped: no article text found")
    ]
    meta = json.loads((outcome.folder / "issue.json").read_text())
    assert meta["backlog"] == 17


def test_an_article_edited_between_reading_and_publishing_waits(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 3)
    settings = Settings(sources=[str(tmp_path / "articles")], outbox=tmp_path / "outbox")
    collected = collect(settings)
    edited = tmp_path / "articles" / "00001.txt"
    edited.write_text(edited.read_text() + "A late correction was added here.\n")

    items = Items(settings)
    request = IssueRequest(now=datetime(2026, 12, 6, tzinfo=UTC))
    issue = next_issue(settings, collected, [], items, request)
    assert issue is not None
    assert [Path(i.source).name for i in issue.items] == ["00000.txt", "00002.txt"]
    assert [(Path(p.source).name, p.level) for p in items.problems] == [("00001.txt", "warning")]
    assert "changed while the issue was made" in items.problems[0].message


def test_many_files_are_read_in_worker_processes_in_path_order(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 2100)  # enough for two processes
    settings = Settings(sources=[str(tmp_path / "articles")], outbox=tmp_path / "outbox")
    collected = collect(settings)
    one_by_one = [
        article_id(read_sources([str(path)]).articles[0])
        for path in sorted((tmp_path / "articles").iterdir())
    ]
    assert [c.id for c in collected.candidates] == one_by_one
    assert collected.articles == 2100 and not collected.problems


def test_named_sources_put_their_items_in_their_sections(tmp_path: Path) -> None:
    from digest.outbox import read_issue

    write_articles(tmp_path / "news", 3)
    write_articles(tmp_path / "sport", 2, seed=5)
    (tmp_path / "sport" / "00000.txt").rename(tmp_path / "sport-lead.txt")
    settings = Settings(
        sources=[
            {"path": str(tmp_path / "sport"), "section": "Sport"},
            str(tmp_path / "sport-lead.txt"),
            {"path": str(tmp_path / "news"), "name": "Newsroom", "section": "News"},
            # Already read through the folder above: it stays in the folder's section.
            {"path": str(tmp_path / "news" / "00001.txt"), "section": "Elsewhere"},
        ],
        outbox=tmp_path / "outbox",
    )
    outcome = publish(settings, now=datetime(2026, 12, 6, 7, tzinfo=UTC))
    assert outcome.issue is not None and outcome.folder is not None
    placed = [(Path(i.source).name, i.section) for i in outcome.issue.items]
    assert placed == [
        ("sport-lead.txt", None),
        ("00001.txt", "Sport"),
        ("00000.txt", "News"),
        ("00001.txt", "News"),
        ("00002.txt", "News"),
    ]
    # issue.json records each item's section, and reads back as the same issue.
    meta = json.loads((outcome.folder / "issue.json").read_text())
    assert [item.get("section") for item in meta["items"]] == [None, *["Sport"], *["News"] * 3]
    assert "section" not in meta["items"][0]
    assert read_issue(outcome.folder) == outcome.issue


def test_items_without_a_section_are_recorded_as_before(tmp_path: Path) -> None:
    from digest.outbox import history, read_issue

    write_articles(tmp_path / "news", 2)
    settings = Settings(sources=[str(tmp_path / "news")], outbox=tmp_path / "outbox")
    outcome = publish(settings, now=datetime(2026, 12, 6, 7, tzinfo=UTC))
    assert outcome.folder is not None
    meta = json.loads((outcome.folder / "issue.json").read_text())
    assert all(set(item) == set(meta["items"][0]) for item in meta["items"])
    assert "section" not in meta["items"][0]
    assert read_issue(outcome.folder).items[0].section is None
    assert history(settings.outbox)[0].item_ids == {i.id for i in outcome.issue.items}


def write_feed(
    path: Path, entries: list[tuple[str, datetime | None]], site: str = "https://news.example.org"
) -> None:
    """An RSS feed of ``(slug, published)`` entries, each with a few real sentences,
    linked under ``site``."""
    from email.utils import format_datetime

    items = []
    for slug, published in entries:
        date = f"<pubDate>{format_datetime(published)}</pubDate>" if published else ""
        items.append(
            f"<item><title>Story {slug} from the harbour</title>"
            f"<link>{site}/{slug}</link>{date}"
            f"<description>&lt;p&gt;The harbour board met on Monday to discuss story {slug}."
            " Members agreed to publish the figures next week.&lt;/p&gt;&lt;p&gt;Shop owners"
            f" said story {slug} mattered to the whole quay.&lt;/p&gt;</description></item>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Harbour</title><link>https://news.example.org/</link>"
        f"<description>News</description>{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )


def test_a_new_feed_gives_its_newest_entries_and_nothing_old(tmp_path: Path) -> None:
    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    feed = tmp_path / "harbour.rss"
    # Newest first, as feeds list them; one entry is too old for max_age_days.
    entries = [(f"s{n}", now - timedelta(days=n + 0.5)) for n in range(8)]
    write_feed(feed, [*entries, ("ancient", now - timedelta(days=40))])
    table = {"path": str(feed), "max_items": 3, "max_age_days": 30}
    settings = Settings(sources=[table], outbox=tmp_path / "outbox", max_items=12)
    first = publish(settings, now=now)
    assert first.issue is not None
    assert [i.title for i in first.issue.items] == [
        f"Story s{n} from the harbour" for n in (0, 1, 2)
    ]
    # Held back by the limits: not waiting for a later issue either.
    assert first.issue.backlog == 0

    # Two new entries arrive: only they go out; the five held back never do.
    later = now + timedelta(days=1)
    fresh = [(f"n{n}", later - timedelta(hours=n + 1)) for n in range(2)]
    write_feed(feed, [*fresh, *entries])
    second = publish(settings, now=later)
    assert second.issue is not None
    assert [i.title for i in second.issue.items] == [
        "Story n0 from the harbour",
        "Story n1 from the harbour",
    ]
    assert publish(settings, now=later + timedelta(hours=1)).issue is None


def test_limits_apply_to_their_own_source_only(tmp_path: Path) -> None:
    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    write_feed(tmp_path / "a.rss", [(f"a{n}", now - timedelta(days=n)) for n in range(4)])
    write_feed(tmp_path / "b.rss", [(f"b{n}", now - timedelta(days=99)) for n in range(3)])
    settings = Settings(
        sources=[{"path": str(tmp_path / "a.rss"), "max_items": 1}, str(tmp_path / "b.rss")],
        outbox=tmp_path / "outbox",
    )
    outcome = draft(settings, now=now)
    assert outcome.issue is not None
    assert [i.url for i in outcome.issue.items] == [
        f"https://news.example.org/{slug}" for slug in ("a0", "b0", "b1", "b2")
    ]


def test_a_feed_that_reissues_its_entries_under_new_links_does_not_resend_them(
    tmp_path: Path,
) -> None:
    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    feed = tmp_path / "flappy.rss"
    write_feed(feed, [("a", now), ("b", now)])
    settings = Settings(sources=[str(feed)], outbox=tmp_path / "outbox")
    first = publish(settings, now=now)
    assert first.issue is not None and first.folder is not None
    meta = json.loads((first.folder / "issue.json").read_text())
    assert all(len(item["fingerprint"]) == 16 for item in meta["items"])

    # New links (so new ids), the same titles and text, and one entry really new.
    write_feed(feed, [("c", now), ("a", now), ("b", now)], site="https://cdn.example.org/x")
    second = publish(settings, now=now + timedelta(hours=1))
    assert second.issue is not None
    assert [i.url for i in second.issue.items] == ["https://cdn.example.org/x/c"]
    assert second.issue.backlog == 0


def test_one_article_in_two_feeds_under_two_links_goes_out_once(tmp_path: Path) -> None:
    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    write_feed(tmp_path / "one.rss", [("a", now)])
    write_feed(tmp_path / "two.rss", [("a", now), ("b", now)], site="https://mirror.example.org")
    sources = [str(tmp_path / "one.rss"), str(tmp_path / "two.rss")]
    outcome = draft(Settings(sources=sources, outbox=tmp_path / "outbox"), now=now)
    assert outcome.issue is not None
    assert [i.url for i in outcome.issue.items] == [
        "https://news.example.org/a",
        "https://mirror.example.org/b",
    ]


def test_a_source_that_keeps_failing_is_named_in_the_footer_after_enough_runs(
    tmp_path: Path,
) -> None:
    from digest.outbox import HEALTH_NAME, read_health

    news = tmp_path / "news"
    write_articles(news, 1)
    wire = tmp_path / "wire.rss"  # not there yet: failing
    settings = Settings(
        sources=[str(news), {"path": str(wire), "name": "World Wire", "section": "World"}],
        outbox=tmp_path / "outbox",
        source_failure_runs=2,
    )
    day = datetime(2026, 12, 6, 7, tzinfo=UTC)

    def run(n: int):
        (news / f"new-{n}.txt").write_text(f"Fresh report {n}\n" + SEED_ARTICLE.read_text())
        return publish(settings, now=day + timedelta(days=n))

    first = run(1)
    assert first.issue is not None and first.issue.stale_sources == []
    [problem] = [p for p in first.problems if p.source == str(wire)]
    assert "in a row" not in problem.message
    assert "Not updated" not in first.rendered.text and "Not updated" not in first.rendered.html

    second = run(2)
    assert second.issue is not None
    # Reported once in this run, saying how long it has been failing.
    [problem] = [p for p in second.problems if p.source == str(wire)]
    assert problem.message.endswith("(failed 2 runs in a row, since 2026-12-07)")
    assert [s.name for s in second.issue.stale_sources] == ["World Wire"]
    line = "Not updated: World Wire (failing since 7 Dec 2026)"
    assert line in second.rendered.text and line in second.rendered.html
    meta = json.loads((second.folder / "issue.json").read_text())
    assert meta["stale_sources"] == [{"name": "World Wire", "since": "2026-12-07T07:00:00Z"}]
    assert read_health(settings.outbox)[str(wire)].failures == 2

    # A draft shows what the next run would say, and records nothing.
    before = (settings.outbox / HEALTH_NAME).read_bytes()
    drafted = draft(settings, now=day + timedelta(days=3), reprint_when_empty=True)
    assert drafted.rendered is not None and line in drafted.rendered.text
    assert (settings.outbox / HEALTH_NAME).read_bytes() == before

    write_feed(wire, [("back", day)])  # the source is read again
    third = run(3)
    assert third.issue is not None and third.issue.stale_sources == []
    assert "Not updated" not in third.rendered.text
    assert read_health(settings.outbox) == {}
    assert "stale_sources" not in json.loads((third.folder / "issue.json").read_text())


def test_a_healthy_run_leaves_no_health_record(tmp_path: Path) -> None:
    write_articles(tmp_path / "news", 2)
    settings = Settings(sources=[str(tmp_path / "news")], outbox=tmp_path / "outbox")
    outcome = publish(settings, now=datetime(2026, 12, 6, 7, tzinfo=UTC))
    assert outcome.folder is not None
    assert sorted(p.name for p in settings.outbox.iterdir() if p.name.startswith(".source")) == []


def test_a_folder_with_one_broken_file_is_not_a_failing_source(tmp_path: Path) -> None:
    from digest.outbox import read_health

    write_articles(tmp_path / "news", 2)
    (tmp_path / "news" / "broken.txt").write_bytes(b"\x00\x01binary")
    settings = Settings(
        sources=[str(tmp_path / "news"), str(tmp_path / "gone")], outbox=tmp_path / "outbox"
    )
    outcome = publish(settings, now=datetime(2026, 12, 6, 7, tzinfo=UTC))
    assert {Path(p.source).name for p in outcome.problems} == {"broken.txt", "gone"}
    assert list(read_health(settings.outbox)) == [str(tmp_path / "gone")]


def test_a_reading_lists_feeds_take_the_lists_options(tmp_path: Path) -> None:
    from tests.helpers import QuietHandler, local_http_server

    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    write_feed(tmp_path / "a.rss", [(f"a{n}", now - timedelta(hours=n)) for n in range(3)])
    write_feed(tmp_path / "b.rss", [("b0", now)], site="https://other.example.org")
    feeds = {f"/{name}": (tmp_path / name).read_bytes() for name in ("a.rss", "b.rss")}

    class Feeds(QuietHandler):
        def do_GET(self) -> None:
            self.send("application/rss+xml", feeds[self.path])

    with local_http_server(Feeds) as base:
        outlines = "".join(
            f'<outline text="{name}" type="rss" xmlUrl="{base}/{name}"/>'
            for name in ("a.rss", "b.rss")
        )
        opml = tmp_path / "list.opml"
        opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
        write_articles(tmp_path / "news", 1)
        settings = Settings(
            sources=[
                str(tmp_path / "news"),
                {
                    "path": str(opml),
                    "name": "Reading list",
                    "section": "Elsewhere",
                    "max_items": 2,
                },
            ],
            outbox=tmp_path / "outbox",
        )
        outcome = publish(settings, now=now)
    assert outcome.issue is not None
    placed = [(i.url, i.section) for i in outcome.issue.items]
    # The list's limit counts all of its feeds' entries: its two newest.
    assert placed == [
        (None, None),
        ("https://news.example.org/a0", "Elsewhere"),
        ("https://other.example.org/b0", "Elsewhere"),
    ]


def test_sections_follow_the_configured_order_with_a_reading_lists_folders_in_its_place() -> None:
    from digest.config import SourceSpec
    from digest.models import Article
    from digest.pipeline import Candidate, section_order

    specs = [
        SourceSpec("a", section="Tech"),
        SourceSpec("plain"),
        SourceSpec("list.opml"),
        SourceSpec("https://w.example/feed", section="World"),
        SourceSpec("b", section="Tech"),
        SourceSpec("named.opml", section="Elsewhere"),
    ]

    def listed(origin: int, folder: str | None) -> Candidate:
        article = Article(source="https://f.example/x", blocks=(), category=folder)
        return Candidate("id", article.source, 0, None, article, origin=origin)

    candidates = [
        listed(2, "Science"),
        listed(2, None),
        listed(2, "Arts / Film"),
        listed(2, "Science"),
        listed(5, "Ignored: the table names a section"),
    ]
    assert section_order(specs, candidates) == [
        "Tech",
        "Science",
        "Arts / Film",
        "World",
        "Elsewhere",
    ]
    assert section_order([SourceSpec("plain")], []) == []


def test_a_reading_lists_folders_are_its_feeds_sections(tmp_path: Path) -> None:
    from tests.helpers import QuietHandler, local_http_server

    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    names = ("film.rss", "space.rss", "loose.rss", "tools.rss")
    for n, name in enumerate(names):
        stem = name.removesuffix(".rss")
        write_feed(
            tmp_path / name, [(stem, now - timedelta(hours=n))], site=f"https://{stem}.example"
        )
    feeds = {f"/{name}": (tmp_path / name).read_bytes() for name in names}

    class Feeds(QuietHandler):
        def do_GET(self) -> None:
            self.send("application/rss+xml", feeds[self.path])

    with local_http_server(Feeds) as base:

        def outline(name: str) -> str:
            return f'<outline text="{name}" type="rss" xmlUrl="{base}/{name}"/>'

        # Space is listed first, nested two deep; a feed outside any folder has none.
        (tmp_path / "list.opml").write_text(
            '<opml version="2.0"><body>'
            f'<outline text="Science"><outline text="Space">{outline("space.rss")}</outline>'
            f"</outline>{outline('loose.rss')}"
            f'<outline text="Arts">{outline("film.rss")}</outline></body></opml>'
        )
        (tmp_path / "named.opml").write_text(
            f'<opml version="2.0"><body><outline text="Dev">{outline("tools.rss")}'
            "</outline></body></opml>"
        )
        settings = Settings(
            sources=[
                str(tmp_path / "list.opml"),
                {"path": str(tmp_path / "named.opml"), "section": "Tools"},
            ],
            outbox=tmp_path / "outbox",
        )
        outcome = publish(settings, now=now)
    assert outcome.issue is not None
    placed = [(i.url, i.section) for i in outcome.issue.items]
    assert placed == [
        ("https://loose.example/loose", None),
        ("https://space.example/space", "Science / Space"),
        ("https://film.example/film", "Arts"),
        ("https://tools.example/tools", "Tools"),
    ]
    text = (outcome.folder / "issue.txt").read_text()
    headings = [line for line in text.splitlines() if line in ("SCIENCE / SPACE", "ARTS", "TOOLS")]
    assert headings == ["SCIENCE / SPACE", "ARTS", "TOOLS"], text


DROPPED = Path(__file__).resolve().parent / "fixtures" / "sources" / "dropped.rss"


def test_nothing_is_dropped_silently(tmp_path: Path) -> None:
    """A link not shown, a lead of a few words, entries without text: each is a note
    in the log, and what never reached the issue is recorded in its issue.json."""
    settings = Settings(sources=[str(DROPPED)], outbox=tmp_path / "outbox")
    outcome = publish(settings, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert outcome.issue is not None and outcome.folder is not None
    notes = [problem.message for problem in outcome.problems]
    assert notes == [
        "entry 4 skipped: no title or text",
        "skipped 'Harbour closed to pleasure craft until Friday': no article text found",
        'item 1 "Council approves next year\'s budget with more for roads": link '
        "http://wire.example.org/2026/11/budget is not shown (not https)",
        "item 2 'Lifeboat crew called out twice in one night': lead is only 4 words: "
        "'Read the full story.'",
    ]
    meta = json.loads((outcome.folder / "issue.json").read_text(encoding="utf-8"))
    assert meta["dropped"] == [
        f"{DROPPED}: entry 4 skipped: no title or text",
        f"{DROPPED}: skipped 'Harbour closed to pleasure craft until Friday': no article "
        "text found",
    ]
    # The same in a draft, which is what `digest check --draft` and the preview judge.
    drafted = draft(settings, now=datetime(2026, 11, 24, 7, tzinfo=UTC), include_published=True)
    assert drafted.issue is not None and drafted.issue.dropped == meta["dropped"]


def test_an_issue_that_drops_nothing_records_as_before(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 2)
    settings = Settings(sources=[str(tmp_path / "articles")], outbox=tmp_path / "outbox")
    outcome = publish(settings, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert outcome.folder is not None and outcome.problems == []
    assert "dropped" not in json.loads((outcome.folder / "issue.json").read_text("utf-8"))


def test_the_newsletters_language_reaches_the_summariser() -> None:
    # 1,790 words of German: ten minutes at German reading speed, eight at English.
    words = " ".join(["Die Regierung beschloss das Gesetz."] * 358)
    text = "Lesen Sie auch:\nKurze Meldung ohne Punkt\n" + words
    german = Article(source="inbox/de.txt", blocks=tuple(Block(x) for x in text.splitlines()))
    item = summariser(Settings(language="de"))(german)
    assert item.reading_minutes == 10
    assert "Kurze Meldung" not in item.lead  # the link after "Lesen Sie auch:" went
    assert summariser(Settings())(german).reading_minutes == 8
    assert summariser(Settings(language="de", words_per_minute=358))(german).reading_minutes == 5
