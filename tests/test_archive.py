"""The web archive: index page, one page per issue and the Atom feed, on real files.

Issues are made from the sample seeds by the real pipeline into a temporary outbox;
``digest archive`` runs as a user runs it (a subprocess); the feed is read back with
feedparser, the pages with lxml, and in ``test_the_archive_in_chromium`` by the same
headless Chromium as the preview's tests.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest

from digest import archive, outbox, pipeline
from digest.check import run_checks
from digest.config import Settings, load_settings
from digest.render import curl_quotes, long_date, render_issue
from tests.conftest import ROOT, SEEDS
from tests.helpers import run_digest
from tests.test_golden import GOLDEN, seeds_issue
from tests.test_preview_browser import WAIT_MS, browser, no_horizontal_overflow, shot

__all__ = ["browser"]  # the Chromium fixture, shared with the preview's browser tests

DAYS = (date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26))
FOLDERS = ("2026-11-24-001", "2026-11-25-002", "2026-11-26-003")
ARCHIVE_URL = "https://news.example.com/digest"


def make_site(root: Path, *extra: str) -> Path:
    """A config over a copy of the seeds, two items an issue; returns the config file."""
    shutil.copytree(SEEDS, root / "seeds")
    config = root / "digest.toml"
    lines = ['sources = ["seeds"]', 'outbox = "outbox"', "max_items = 2", *extra]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def publish_three(settings: Settings) -> list[pipeline.Outcome]:
    """Three issues (2, 2 and 1 of the five seeds), each updating the archive."""
    outcomes = []
    for n, day in enumerate(DAYS):
        now = datetime(2026, 11, 24 + n, 7, 0, tzinfo=UTC)
        outcomes.append(pipeline.publish(settings, now=now, day=day))
    assert [o.folder.name for o in outcomes if o.folder] == list(FOLDERS)
    assert all(o.problems == [] for o in outcomes), [o.problems for o in outcomes]
    return outcomes


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Settings, list[pipeline.Outcome]]:
    config = make_site(tmp_path / "site")
    settings = load_settings(config)
    return config, settings, publish_three(settings)


def common_length(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def feed_ids(folder: Path) -> list[str]:
    return [e.id for e in feedparser.parse((folder / "feed.xml").read_bytes()).entries]


# --------------------------------------------------------------------------- content


def test_each_issue_updates_the_archive_index_newest_first(site: Any) -> None:
    _, settings, outcomes = site
    folder = settings.outbox / "archive"
    pages = [f"{name}.html" for name in FOLDERS]
    assert sorted(p.name for p in folder.iterdir()) == sorted(["feed.xml", "index.html", *pages])

    index = lxml.html.fromstring((folder / "index.html").read_bytes())
    cards = index.xpath("//article[@class='issue']")
    newest_first = list(reversed(outcomes))
    assert len(cards) == 3
    for card, outcome in zip(cards, newest_first, strict=True):
        issue = outcome.issue
        meta = " ".join(card.xpath(".//p[@class='meta']")[0].text_content().split())
        assert meta == f"{long_date(issue.date)} · Issue {issue.number}"
        assert card.xpath(".//time/@datetime") == [issue.date.isoformat()]
        (link,) = card.xpath(".//h2/a")
        assert link.text_content() == issue.subject
        assert link.get("href") == f"{outcome.folder.name}.html"
        assert [li.text_content() for li in card.xpath(".//li")] == [i.title for i in issue.items]
    (alternate,) = index.xpath("//link[@rel='alternate']")
    assert (alternate.get("type"), alternate.get("href")) == ("application/atom+xml", "feed.xml")
    # Relative links only: the folder works from any address, or opened from disk.
    hrefs = index.xpath("//a/@href")
    assert set(hrefs) == {"feed.xml", *pages}


def test_an_issue_page_is_the_email_without_its_unsubscribe_link(site: Any) -> None:
    _, settings, outcomes = site
    for outcome in outcomes:
        email_html = (outcome.folder / "issue.html").read_text(encoding="utf-8")
        assert settings.unsubscribe_url in email_html
        page = (settings.outbox / "archive" / f"{outcome.folder.name}.html").read_text("utf-8")
        assert settings.unsubscribe_url not in page
        assert "Unsubscribe" not in page and "because you subscribed" not in page
        tree = lxml.html.fromstring(page)
        (back,) = tree.xpath("//a[@href='index.html']")
        assert back.text_content() == f"Every issue of {settings.name}"
        # One quote style in the page: titles are shown curled (issue.json keeps them as written).
        assert tree.findtext(".//title") == curl_quotes(outcome.issue.subject)
        text = " ".join(tree.text_content().split())
        assert all(curl_quotes(item.title) in text for item in outcome.issue.items)
        assert settings.postal_address in text
        assert "View in browser" not in page


def test_the_feed_has_one_entry_per_issue_with_stable_ids(site: Any) -> None:
    _, settings, outcomes = site
    parsed = feedparser.parse((settings.outbox / "archive" / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == settings.name
    assert parsed.feed.id == "tag:example.com,2026-11-24:the-digest"
    assert parsed.feed.link == "index.html"
    entries = parsed.entries
    assert len(entries) == 3
    for entry, outcome in zip(entries, reversed(outcomes), strict=True):
        issue, name = outcome.issue, outcome.folder.name
        assert entry.id == f"tag:example.com,{issue.date.isoformat()}:the-digest/{name}"
        assert entry.title == issue.subject
        assert entry.link == f"{name}.html"
        assert datetime.fromisoformat(entry.updated) == issue.created_at
        content = lxml.html.fromstring(entry.content[0].value).text_content()
        assert all(item.title in content for item in issue.items)


# --------------------------------------------------------------------------- digest archive


def test_digest_archive_rebuilds_from_issue_json_alone_byte_for_byte(site: Any) -> None:
    config, settings, _ = site
    folder = settings.outbox / "archive"
    made_by_publishing = snapshot(folder)
    shutil.rmtree(folder)
    for name in FOLDERS:  # nothing but issue.json is needed
        for form in (outbox.HTML_FILE, outbox.TEXT_FILE, outbox.EML_FILE):
            (settings.outbox / name / form).unlink()
    (settings.outbox / FOLDERS[0] / "ledger.json").write_text('{"reader@example.org": 1}')

    first = run_digest("archive", "--config", str(config), cwd=config.parent)
    assert first.returncode == 0, first.stderr
    written = [Path(line).name for line in first.stdout.splitlines()]
    assert sorted(written) == sorted(made_by_publishing)
    assert written[-1] == "index.html"  # last, so it never links a page not yet there
    assert snapshot(folder) == made_by_publishing
    assert b"ledger" not in b"".join(made_by_publishing.values())

    again = run_digest("archive", "--config", str(config), cwd=config.parent)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""  # nothing changed, nothing written
    assert "3 issue(s), unchanged" in again.stderr
    assert snapshot(folder) == made_by_publishing
    assert feed_ids(folder) == [
        f"tag:example.com,{d}:the-digest/{n}"
        for d, n in zip(reversed(DAYS), reversed(FOLDERS), strict=True)
    ]


def test_a_broken_issue_json_is_reported_in_one_line_and_the_rest_archived(site: Any) -> None:
    config, settings, _ = site
    broken = settings.outbox / FOLDERS[1] / "issue.json"
    broken.write_text("{ not json", encoding="utf-8")
    shutil.rmtree(settings.outbox / "archive")

    result = run_digest("archive", "--config", str(config), cwd=config.parent)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if str(broken) in line]
    assert len(lines) == 1, result.stderr
    assert "left out of the archive" in lines[0]
    folder = settings.outbox / "archive"
    assert feed_ids(folder) == [
        f"tag:example.com,2026-11-26:the-digest/{FOLDERS[2]}",
        f"tag:example.com,2026-11-24:the-digest/{FOLDERS[0]}",
    ]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert f"{FOLDERS[0]}.html" in index and f"{FOLDERS[1]}.html" not in index
    assert not (folder / f"{FOLDERS[1]}.html").exists()


def test_digest_archive_on_an_empty_outbox_and_with_several_newsletters(tmp_path: Path) -> None:
    config = make_site(
        tmp_path, '[[newsletters]]\nname = "Morning"', '[[newsletters]]\nname = "Evening"'
    )
    morning, evening = load_settings(config).each_newsletter()
    pipeline.publish(morning, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    shutil.rmtree(morning.outbox / "archive")

    result = run_digest("archive", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Evening: no issues in {evening.outbox}" in result.stderr
    assert (morning.outbox / "archive" / "index.html").is_file()
    assert not evening.outbox.exists()
    wrong = run_digest("archive", "--config", str(config), "--newsletter", "Noon", cwd=tmp_path)
    assert wrong.returncode == 2 and "configured: 'Morning', 'Evening'" in wrong.stderr


# --------------------------------------------------------------------------- on disk


def test_a_rebuild_removes_only_pages_of_gone_issues_and_crash_leftovers(site: Any) -> None:
    _, settings, _ = site
    folder = settings.outbox / "archive"
    shutil.rmtree(settings.outbox / FOLDERS[2])
    (folder / ".index.html.x1y2.tmp").write_text("half")
    (folder / "robots.txt").write_text("User-agent: *\n")
    result = archive.write_archive(settings)
    assert [p.name for p in result.removed] == [".index.html.x1y2.tmp", f"{FOLDERS[2]}.html"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["feed.xml", "index.html", "robots.txt", *(f"{n}.html" for n in FOLDERS[:2])]
    )
    assert len(feed_ids(folder)) == 2


def test_after_an_issue_only_new_or_outdated_pages_are_rendered(site: Any) -> None:
    _, settings, _ = site
    page = settings.outbox / "archive" / f"{FOLDERS[0]}.html"
    original = page.read_bytes()
    page.write_bytes(b"an older look")  # newer than its issue.json: kept as it is
    assert archive.write_archive(settings, every_page=False).written == []
    assert page.read_bytes() == b"an older look"
    result = archive.write_archive(settings)  # `digest archive`: every page
    assert result.written == [page]
    assert page.read_bytes() == original


def test_a_rebuild_waits_for_the_one_in_progress(site: Any) -> None:
    """Whoever holds the archive lock finishes first; the next one then reads every
    issue again, so two writers never leave an index that misses one."""
    _, settings, _ = site
    shutil.rmtree(settings.outbox / "archive")
    results: list[archive.ArchiveResult] = []
    with outbox.archive_lock(settings.outbox):
        writer = threading.Thread(target=lambda: results.append(archive.write_archive(settings)))
        writer.start()
        writer.join(timeout=0.3)
        assert writer.is_alive() and not (settings.outbox / "archive").exists()
    writer.join(timeout=30)
    assert [r.issues for r in results] == [3]


def test_a_failed_archive_never_costs_the_issue(tmp_path: Path) -> None:
    settings = load_settings(make_site(tmp_path))
    settings.outbox.mkdir()
    (settings.outbox / "archive").write_text("a file where the folder should be")
    outcome = pipeline.publish(settings, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert outcome.folder is not None and (outcome.folder / "issue.json").is_file()
    (problem,) = outcome.problems
    assert problem.source == str(settings.outbox / "archive")
    assert "archive not updated" in problem.message and "digest archive" in problem.message


def test_a_templates_folder_without_the_archive_template_uses_the_bundled_one(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("issue.mjml.j2", "issue.txt.j2"):
        shutil.copy(ROOT / "templates" / name, templates / name)
    settings = load_settings(make_site(tmp_path, 'templates = "templates"'))
    pipeline.publish(settings, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert "Every issue, newest first" in (settings.outbox / "archive" / "index.html").read_text()


# --------------------------------------------------------------------------- archive_url


def test_archive_url_links_each_email_and_the_feed_to_the_published_pages(
    tmp_path: Path,
) -> None:
    settings = load_settings(make_site(tmp_path, f'archive_url = "{ARCHIVE_URL}/"'))
    assert settings.archive_url == ARCHIVE_URL
    outcome = pipeline.publish(settings, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    folder = outcome.folder
    assert folder is not None
    page_url = f"{ARCHIVE_URL}/{folder.name}.html"

    html = lxml.html.fromstring((folder / "issue.html").read_bytes())
    (link,) = html.xpath(f"//a[@href='{page_url}']")
    assert link.text_content() == "View in browser"
    text = (folder / "issue.txt").read_text(encoding="utf-8")
    assert text.startswith(f"View in browser: {page_url}\n\n")
    message = email.message_from_bytes(
        (folder / "issue.eml").read_bytes(), policy=email.policy.default
    )
    assert message["List-Archive"] == f"<{ARCHIVE_URL}/index.html>"
    for part in message.walk():
        if part.get_content_maintype() == "text":
            assert page_url in part.get_content()
    files = outbox.load_issue_files(folder)
    # Five seeds two at a time are a "flood"; every other check passes, parity included.
    errors = [f for f in run_checks(files, settings) if f.severity == "error"]
    assert [f.check for f in errors] == ["flood"]

    parsed = feedparser.parse((settings.outbox / "archive" / "feed.xml").read_bytes())
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert entry.link == page_url
    assert entry.id == f"tag:example.com,2026-11-24:the-digest/{folder.name}"  # not the URL
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"alternate": f"{ARCHIVE_URL}/index.html", "self": f"{ARCHIVE_URL}/feed.xml"}
    page = (settings.outbox / "archive" / f"{folder.name}.html").read_text(encoding="utf-8")
    assert "View in browser" not in page and "index.html" in page


def test_without_archive_url_the_email_is_the_golden_one_and_with_it_gains_only_the_link() -> None:
    issue = seeds_issue()
    plain = render_issue(issue, Settings())
    assert plain.html == (GOLDEN / "seeds_issue.html").read_text(encoding="utf-8")
    assert plain.text == (GOLDEN / "seeds_issue.txt").read_text(encoding="utf-8")
    assert "View in browser" not in plain.html + plain.text
    assert b"List-Archive" not in plain.eml

    linked = render_issue(issue, Settings(archive_url=ARCHIVE_URL))
    url = f"{ARCHIVE_URL}/2026-11-24-001.html"
    assert linked.text == f"View in browser: {url}\n\n" + plain.text
    # The HTML is the golden one with one block inserted: the link's section.
    start, size = common_length(plain.html, linked.html), len(linked.html) - len(plain.html)
    assert linked.html[:start] + linked.html[start + size :] == plain.html
    inserted = lxml.html.fragment_fromstring(linked.html[start : start + size], create_parent=True)
    assert [(a.get("href"), a.text_content()) for a in inserted.iter("a")] == [
        (url, "View in browser")
    ]


# --------------------------------------------------------------------------- in Chromium


def test_the_archive_in_chromium(site: Any, browser: Any) -> None:
    """The index at phone width, an issue's page from its link, and the way back."""
    _, settings, outcomes = site
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto((settings.outbox / "archive" / "index.html").as_uri())
        assert page.title() == f"{settings.name}: every issue"
        assert page.locator("article.issue").count() == 3
        assert fits(page), "the archive index overflows at 375 px"
        shot(page, "archive-index-phone")

        newest = outcomes[-1]
        page.get_by_role("link", name=newest.issue.subject, exact=True).click()
        page.wait_for_url(f"**/archive/{newest.folder.name}.html")
        assert page.title() == newest.issue.subject
        body = page.inner_text("body")
        assert all(item.title in body for item in newest.issue.items)
        assert fits(page), "an issue's page overflows at 375 px"
        shot(page, "archive-issue-phone")

        page.get_by_role("link", name=f"Every issue of {settings.name}").click()
        page.wait_for_url("**/archive/index.html")
        assert page.locator("article.issue").count() == 3
    finally:
        context.close()


def fits(page: Any) -> bool:
    """No horizontal scrolling: the document is no wider than the window."""
    wide = page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
    return bool(wide) and no_horizontal_overflow(page)
