"""The pre-send checks (``digest.check``) and ``digest check``.

Each rule is shown twice: silent on a real, well-made issue rendered by the real
renderer, and speaking up once that issue is broken in the way the rule is about.
The CLI tests run the real command on a real outbox and look at the exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest import outbox
from digest.check import (
    GMAIL_CLIP_BYTES,
    SIZE_WARNING_BYTES,
    check_alt_text,
    check_contrast,
    check_dropped,
    check_eml,
    check_flood,
    check_https,
    check_leads,
    check_leftovers,
    check_parity,
    check_sections,
    check_size,
    check_text_lines,
    check_unsubscribe,
    preheader_of,
    run_checks,
)
from digest.config import Settings, load_settings
from digest.issue import assemble
from digest.models import DigestItem
from digest.outbox import IssueFiles, files_from_rendered
from digest.render import render_issue
from tests.helpers import make_item


def settings(**overrides: object) -> Settings:
    return load_settings(None, **overrides)


def build(items: list[DigestItem], cfg: Settings | None = None, number: int = 1) -> IssueFiles:
    cfg = cfg or settings()
    issue = assemble(
        items,
        newsletter=cfg.name,
        number=number,
        day=date(2026, 11, 24),
        created_at=datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    )
    return files_from_rendered(issue, render_issue(issue, cfg))


@pytest.fixture(scope="module")
def good() -> IssueFiles:
    return build([make_item(n) for n in range(1, 6)])


def names(findings: list) -> list[tuple[str, str]]:
    return [(f.severity, f.check) for f in findings]


def test_a_well_made_issue_passes_every_check(good: IssueFiles) -> None:
    assert run_checks(good, settings()) == []


def test_size_warns_near_and_errs_over_gmail_clipping(good: IssueFiles) -> None:
    def padded(target: int) -> IssueFiles:
        """The issue grown to one byte over ``target`` with an HTML comment."""
        filler = "<!--" + "x" * (target - good.html_bytes - 6) + "-->"
        return replace(good, html=good.html.replace("</body>", filler + "</body>"))

    assert check_size(good, settings()) == []
    assert padded(SIZE_WARNING_BYTES).html_bytes == SIZE_WARNING_BYTES + 1
    assert names(check_size(padded(SIZE_WARNING_BYTES), settings())) == [("warning", "size")]
    over = check_size(padded(GMAIL_CLIP_BYTES), settings())
    assert names(over) == [("error", "size")]
    assert "102 KB" in over[0].message


def test_parity_finds_an_item_missing_from_the_plain_text(good: IssueFiles) -> None:
    title = good.items[2]["title"]
    text = "\n".join(line for line in good.text.splitlines() if title not in line)
    findings = check_parity(replace(good, text=text), settings())
    assert ("error", "parity") in names(findings)
    assert any(title in f.message and "plain text" in f.message for f in findings)


def test_parity_finds_links_in_one_part_only(good: IssueFiles) -> None:
    html = good.html.replace("https://example.com/articles/2", "https://example.com/changed")
    messages = [f.message for f in check_parity(replace(good, html=html), settings())]
    assert "link https://example.com/changed is in the HTML only" in messages
    assert "link https://example.com/articles/2 is in the plain text only" in messages


def test_missing_alt_text_is_an_error(good: IssueFiles) -> None:
    html = good.html.replace(
        "</body>",
        '<img src="https://example.com/a.png"><img src="https://x.test/b.png" alt=""></body>',
    )
    findings = check_alt_text(replace(good, html=html), settings())
    assert names(findings) == [("error", "alt-text")]
    assert "a.png" in findings[0].message


def test_links_that_are_not_https_are_errors(good: IssueFiles) -> None:
    html = good.html.replace("</body>", '<a href="http://example.com/x">x</a></body>')
    text = good.text + "\nSee http://example.com/plain\n"
    findings = check_https(replace(good, html=html, text=text), settings())
    assert [f.message for f in findings] == [
        "HTML link http://example.com/x is not https",
        "plain text link http://example.com/plain is not https",
    ]
    mailto = good.html.replace("</body>", '<a href="mailto:editor@example.com">mail</a></body>')
    assert check_https(replace(good, html=mailto), settings()) == []


def test_an_empty_lead_is_an_error_and_a_long_one_a_warning() -> None:
    long_lead = " ".join(["word"] * 76) + "."
    files = build([make_item(1, lead=""), make_item(2), make_item(3, lead=long_lead)])
    findings = check_leads(files, settings(lead_words=60))
    assert names(findings) == [("error", "lead"), ("warning", "lead")]
    assert "item 1" in findings[0].message and "empty" in findings[0].message
    assert findings[1].message == (
        "item 3 'Item number 3 has a title' has a 76-word lead, over the 75 words a lead may have"
        " (lead_words 60, lead_overrun 0.25)"
    )


def test_a_lead_within_its_overrun_is_fine_unless_the_budget_is_a_hard_limit() -> None:
    files = build([make_item(1, lead=" ".join(["word"] * 70) + ".")])
    assert check_leads(files, settings(lead_words=60)) == []
    for hard in (settings(lead_words=60, lead_overrun=0), settings(lead_strategy="first")):
        [finding] = check_leads(files, hard)
        assert finding.message.endswith("70-word lead, over the budget of 60 (lead_words)")


def test_what_readers_would_not_get_is_found() -> None:
    """Nothing dropped silently: a link the templates left out (not https), a lead of a
    few words, and the entries the sources gave that never reached the issue."""
    files = build(
        [
            make_item(1, url="http://example.com/plain"),
            make_item(2, lead="Read the full story."),
            make_item(3, lead="The council met on Tuesday."),  # short, but a sentence
            make_item(4),
        ]
    )
    assert "http://example.com/plain" not in files.html + files.text  # not shown...
    files = replace(files, meta={**files.meta, "dropped": ["news.rss: entry 3 skipped: no text"]})
    assert [str(f) for f in check_dropped(files, settings())] == [
        "warning: dropped: item 1 'Item number 1 has a title': link http://example.com/plain "
        "is not shown (not https)",
        "warning: dropped: item 2 'Item number 2 has a title': lead is only 4 words: "
        "'Read the full story.'",
        "warning: dropped: left out of the issue: news.rss: entry 3 skipped: no text",
    ]
    assert ("warning", "dropped") in names(run_checks(files, settings()))  # ...but said


def test_the_seed_issue_has_no_findings() -> None:
    from tests.test_golden import seeds_issue

    issue = seeds_issue()
    assert (
        run_checks(files_from_rendered(issue, render_issue(issue, settings())), settings()) == []
    )


def test_an_empty_section_is_found(good: IssueFiles) -> None:
    html = good.html.replace(
        "</body>", "<h2>Coming up</h2><h2>Last word</h2><p>Thanks for reading.</p></body>"
    )
    findings = check_sections(replace(good, html=html), settings())
    assert [f.message for f in findings] == ["section 'Coming up' is empty"]


def test_an_issue_without_items_is_an_error(good: IssueFiles) -> None:
    empty = replace(good, meta={**good.meta, "items": []})
    assert names(check_sections(empty, settings())) == [("error", "empty-section")]


def test_first_run_flood() -> None:
    cfg = settings(max_items=5)
    files = build([make_item(n) for n in range(1, 13)], cfg)
    findings = check_flood(files, cfg)
    assert names(findings) == [("error", "flood")]
    assert "first-run flood: 12 items" in findings[0].message
    assert names(check_flood(build([make_item(n) for n in range(1, 7)], cfg), cfg)) == [
        ("warning", "flood")
    ]
    assert check_flood(build([make_item(n) for n in range(1, 6)], cfg), cfg) == []


def test_a_backlog_far_over_max_items_is_a_flood() -> None:
    """Rendering caps an issue at max_items, so the flood shows as its backlog."""
    cfg = settings(max_items=12)
    files = build([make_item(n) for n in range(1, 13)], cfg)
    assert check_flood(files, cfg) == []  # no backlog key (an older issue): as 0
    flood = replace(files, meta={**files.meta, "backlog": 488})
    findings = check_flood(flood, cfg)
    assert names(findings) == [("error", "flood")]
    message = findings[0].message
    assert "500 new items are waiting" in message
    assert "leaves 488" in message and "next 41 issues" in message
    assert "raise max_items for one issue, or remove old entries from the sources" in message
    # Just under twice max_items in all: a normal backlog, not a flood.
    assert check_flood(replace(files, meta={**files.meta, "backlog": 11}), cfg) == []
    assert names(check_flood(replace(files, meta={**files.meta, "backlog": 12}), cfg)) == [
        ("error", "flood")
    ]
    assert check_flood(replace(files, meta={**files.meta, "backlog": "many"}), cfg) == []


def test_a_drafts_backlog_is_checked(tmp_path: Path) -> None:
    from digest import pipeline

    news = tmp_path / "news"
    news.mkdir()
    for n in range(9):
        (news / f"{n}.txt").write_text(
            f"Council story number {n}\n\nThe council met on Tuesday to discuss item {n}. "
            "It decided to act.\n",
            encoding="utf-8",
        )
    cfg = settings(sources=[str(news)], outbox=tmp_path / "outbox", max_items=4)
    outcome = pipeline.draft(cfg, now=datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert outcome.issue is not None and outcome.rendered is not None
    files = files_from_rendered(outcome.issue, outcome.rendered)
    assert len(files.items) == 4 and files.backlog == 5
    assert "9 new items are waiting" in check_flood(files, cfg)[0].message


def test_low_contrast_text_is_an_error(good: IssueFiles) -> None:
    html = good.html.replace(
        "</body>",
        '<div style="background-color:#ffffff"><p style="color:#bbbbbb">Faint footer</p>'
        '<p style="color:#767676;font-size:12px">Just enough</p></div></body>',
    )
    findings = check_contrast(replace(good, html=html), settings())
    assert names(findings) == [("error", "contrast")]
    assert "#bbbbbb on #ffffff" in findings[0].message and "Faint footer" in findings[0].message


def test_large_text_needs_only_three_to_one(good: IssueFiles) -> None:
    # #949494 on white is 3.03:1: fine for 24 px text, not for body text.
    large = '<p style="color:#949494;font-size:24px">Big headline</p>'
    small = '<p style="color:#949494;font-size:16px">Body text</p>'
    assert check_contrast(replace(good, html=f"<body>{large}</body>"), settings()) == []
    assert names(check_contrast(replace(good, html=f"<body>{small}</body>"), settings())) == [
        ("error", "contrast")
    ]


def test_hidden_preheader_is_not_checked_for_contrast_but_is_found(good: IssueFiles) -> None:
    assert preheader_of(good.html).startswith("Item number 1 has a title")


def test_long_plain_text_lines_but_not_long_urls(good: IssueFiles) -> None:
    url = "https://example.com/" + "a" * 90
    text = good.text + "x" * 79 + "\n" + url + "\n"
    findings = check_text_lines(replace(good, text=text), settings())
    assert names(findings) == [("warning", "text-width")]
    assert "79 characters" in findings[0].message


def test_missing_unsubscribe_link(good: IssueFiles) -> None:
    cfg = settings()
    url = cfg.unsubscribe_url
    assert url is not None
    html = good.html.replace(url, "https://example.com/preferences")
    text = good.text.replace(url, "")
    findings = check_unsubscribe(replace(good, html=html, text=text), cfg)
    assert names(findings) == [("error", "unsubscribe"), ("error", "unsubscribe")]
    unconfigured = settings(unsubscribe_url="")
    assert names(check_unsubscribe(good, unconfigured)) == [("error", "unsubscribe")]


def test_template_leftovers(good: IssueFiles) -> None:
    html = good.html.replace("</body>", "<p>{{ item.teaser }}</p><p>By None</p></body>")
    assert names(check_leftovers(replace(good, html=html), settings())) == [
        ("error", "leftover"),
        ("error", "leftover"),
        ("warning", "leftover"),
    ]


def test_leftovers_ignore_the_articles_own_words() -> None:
    """An article about template syntax, or a lead starting "None of…", is content."""
    files = build(
        [
            make_item(
                1,
                title="How {{ curly }} braces work",
                lead="None of the residents had seen {% raw %} blocks. The result was undefined.",
                headings=["Why }} and %} matter", "No"],
            ),
            make_item(2),
        ]
    )
    assert check_leftovers(files, settings()) == []
    assert run_checks(files, settings()) == []
    # The template's own leftovers are still found around the article's text.
    html = files.html.replace("</body>", "<p>{{ item.teaser }} None</p></body>")
    text = files.text + "\nRead on: None\n"
    assert names(check_leftovers(replace(files, html=html, text=text), settings())) == [
        ("error", "leftover"),
        ("error", "leftover"),
        ("warning", "leftover"),
        ("warning", "leftover"),
    ]


def test_eml_parts_must_match_the_files(good: IssueFiles) -> None:
    assert check_eml(good, settings()) == []
    edited = replace(good, html=good.html.replace("Item number 1", "Item number one"))
    assert [f.message for f in check_eml(edited, settings())] == [
        "the .eml's text/html part differs from issue.html"
    ]
    assert names(check_eml(replace(good, eml=b""), settings())) == [("error", "eml")]


def test_errors_come_first(good: IssueFiles) -> None:
    text = good.text + "y" * 90 + "\nhttp://example.com/insecure\n"
    severities = [f.severity for f in run_checks(replace(good, text=text), settings())]
    assert "warning" in severities and "error" in severities
    assert severities == sorted(severities, key=lambda s: s != "error")


# --------------------------------------------------------------------------- the command


def run_check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    return subprocess.run(
        [sys.executable, "-m", "digest", "check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write(cfg: Settings, items: list[DigestItem], number: int) -> Path:
    issue = assemble(
        items,
        newsletter=cfg.name,
        number=number,
        day=date(2026, 11, 20 + number),
        created_at=datetime(2026, 11, 20 + number, tzinfo=UTC),
    )
    return outbox.write_issue(cfg.outbox, issue, render_issue(issue, cfg))


def test_cli_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "digest.toml").write_text('outbox = "outbox"\nsources = ["news"]\n')
    cfg = settings(outbox=tmp_path / "outbox")
    long_lead = " ".join(["word"] * 80) + "."
    write(cfg, [make_item(1), make_item(2)], 1)
    second = write(cfg, [make_item(3, lead=long_lead), make_item(4)], 2)

    newest = run_check(cwd=tmp_path)  # the newest issue: only a warning
    assert newest.returncode == 0, newest.stderr
    assert "warning: lead: item 1" in newest.stdout
    assert "0 error(s), 1 warning(s)" in newest.stdout
    assert second.name in newest.stdout

    first = run_check("1", cwd=tmp_path)
    assert first.returncode == 0
    assert first.stdout.strip() == "outbox/2026-11-21-001: ok"

    # Someone "fixes" a link by hand in the HTML: now the parts disagree.
    html = second / "issue.html"
    html.write_text(html.read_text().replace("https://example.com/articles/4", "http://x.test"))
    broken = run_check(second.name, cwd=tmp_path)
    assert broken.returncode == 1
    assert "error: https: HTML link http://x.test is not https" in broken.stdout
    assert "error: parity:" in broken.stdout
    # The report: one line per finding, errors first, then the issue and a count.
    *lines, summary = broken.stdout.splitlines()
    severities = [line.partition(": ")[0] for line in lines]
    assert severities == ["error"] * (len(lines) - 1) + ["warning"]
    assert summary == f"outbox/{second.name}: {len(lines) - 1} error(s), 1 warning(s)"

    missing = run_check("9", cwd=tmp_path)
    assert missing.returncode == 2 and "no issue '9'" in missing.stderr


def test_cli_checks_the_draft(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    for n in range(3):
        (news / f"{n}.txt").write_text(
            f"Council story number {n}\n\nThe council met on Tuesday to discuss item {n}. "
            "It decided to act.\n",
            encoding="utf-8",
        )
    (tmp_path / "digest.toml").write_text(
        'outbox = "outbox"\nsources = ["news"]\nmax_items = 2\n', encoding="utf-8"
    )
    result = run_check("--draft", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "draft of issue #1: ok"
    # Three new items at one per issue: a flood waiting to happen.
    (tmp_path / "digest.toml").write_text(
        'outbox = "outbox"\nsources = ["news"]\nmax_items = 1\n', encoding="utf-8"
    )
    result = run_check("--draft", cwd=tmp_path)
    assert result.returncode == 1
    assert "error: flood: 3 new items are waiting" in result.stdout
    assert not (tmp_path / "outbox").exists() or not any((tmp_path / "outbox").iterdir())
    # A sender that left out the unsubscribe URL cannot send: exit 1.
    (tmp_path / "digest.toml").write_text(
        'outbox = "outbox"\nsources = ["news"]\nunsubscribe_url = ""\n', encoding="utf-8"
    )
    result = run_check("--draft", cwd=tmp_path)
    assert result.returncode == 1
    assert "error: unsubscribe: no unsubscribe_url is configured" in result.stdout


def test_cli_with_an_empty_outbox(tmp_path: Path) -> None:
    result = run_check(cwd=tmp_path)
    assert result.returncode == 2
    assert "--draft" in result.stderr


def newsletters_site(root: Path) -> tuple[Settings, Settings]:
    """A config with two [[newsletters]] and one issue in each newsletter's outbox, the
    Weekly's with a non-https link edited in; the news folder gives drafts."""
    news = root / "news"
    news.mkdir()
    (news / "1.txt").write_text(
        "Council story\n\nThe council met on Tuesday. It decided to act.\n", encoding="utf-8"
    )
    (root / "digest.toml").write_text(
        'sources = ["news"]\noutbox = "outbox"\n\n'
        '[[newsletters]]\nname = "Morning"\n\n'
        '[[newsletters]]\nname = "Weekly"\noutbox = "weekly"\n',
        encoding="utf-8",
    )
    morning, weekly = load_settings(root / "digest.toml").each_newsletter()
    write(morning, [make_item(1), make_item(2)], 1)
    broken = write(weekly, [make_item(3), make_item(4)], 1)
    html = broken / "issue.html"
    html.write_text(html.read_text().replace("https://example.com/articles/4", "http://x.test"))
    return morning, weekly


def test_cli_checks_the_newest_issue_of_every_newsletter(tmp_path: Path) -> None:
    newsletters_site(tmp_path)
    result = run_check(cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Morning: outbox/morning/2026-11-21-001: ok" in result.stdout
    assert "Weekly: weekly/2026-11-21-001: " in result.stdout
    assert "error: https: HTML link http://x.test is not https" in result.stdout

    morning = run_check("--newsletter", "Morning", cwd=tmp_path)
    assert morning.returncode == 0
    assert morning.stdout.strip() == "outbox/morning/2026-11-21-001: ok"
    assert run_check("--newsletter", "Weekly", "1", cwd=tmp_path).returncode == 1


def test_cli_check_with_several_newsletters_needs_one_for_an_issue_or_the_draft(
    tmp_path: Path,
) -> None:
    newsletters_site(tmp_path)
    for args in (("1",), ("--draft",)):
        result = run_check(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert "choose one with --newsletter" in result.stderr
        assert "'Morning', 'Weekly'" in result.stderr
    unknown = run_check("--newsletter", "Evening", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "no newsletter named 'Evening' (configured: 'Morning', 'Weekly')" in unknown.stderr
    # The draft is the newsletter's own next issue: numbered after its outbox, not written.
    draft = run_check("--draft", "--newsletter", "Weekly", cwd=tmp_path)
    assert draft.returncode == 0, draft.stdout + draft.stderr
    assert draft.stdout.strip() == "draft of issue #2: ok"
    assert [p.name for p in (tmp_path / "weekly").iterdir()] == ["2026-11-21-001"]


def test_cli_check_of_an_issue_path_needs_no_newsletter(tmp_path: Path) -> None:
    newsletters_site(tmp_path)  # the path says which outbox, so which newsletter
    result = run_check("outbox/morning/2026-11-21-001", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "outbox/morning/2026-11-21-001: ok"
    assert run_check("weekly/2026-11-21-001", cwd=tmp_path).returncode == 1


# --------------------------------------------------------------------------- languages


@pytest.mark.parametrize("language", ["de", "fr", "es", "ar", "de-AT"])
def test_an_issue_in_each_shipped_language_passes_every_check(language: str) -> None:
    cfg = settings(language=language)
    assert run_checks(build([make_item(n) for n in range(1, 4)], cfg), cfg) == []


def test_a_word_missing_from_the_catalogue_is_english_and_a_warning(tmp_path: Path) -> None:
    # An override of one template, with a fixed word no catalogue has.
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "issue.txt.j2").write_text(
        '{% extends "!theme/issue.txt.j2" %}\n'
        "{% block footer %}{{ _('Thanks for reading') }}\n{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )
    cfg = settings(language="de", templates=folder)
    files = build([make_item(1)], cfg)
    assert "Thanks for reading" in files.text
    assert "Sie erhalten" in files.text  # the rest is German
    findings = [f for f in run_checks(files, cfg) if f.check == "language"]
    assert [f.severity for f in findings] == ["warning"]
    assert "'de'" in findings[0].message and "'Thanks for reading'" in findings[0].message
    assert "1 fixed word not translated" in findings[0].message


def test_a_language_without_a_catalogue_is_a_warning() -> None:
    cfg = settings(language="it")
    files = build([make_item(1)], cfg)
    assert "In this issue" in files.html  # English words, Italian dates
    (finding,) = [f for f in run_checks(files, cfg) if f.check == "language"]
    assert "'it' has no catalogue" in finding.message
    assert "catalogues: en, ar, de, es, fr" in finding.message
    assert finding.severity == "warning"
