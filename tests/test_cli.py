"""`digest render` and `digest summarise` end to end, as a user runs them.

Every test here runs the real command in a subprocess on real files, then reads back
what landed in the outbox (the .eml through the ``email`` package).
"""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from digest.render import straight_quotes
from tests.helpers import run_digest as digest

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "000_006ba6bf699a03f5.txt"
BOILERPLATE = (
    "Read also",
    "Britain Quietly Backs",
    "Click here",
    "____",
    "YouTube",
    "youtube.com",
)
SEED_HEADINGS = (
    "Strategic Discussions Ahead of the UN General Assembly",
    "Ukraine’s Request for Expanded Military Capabilities",
    "US and UK Positions on Long-Range Strikes",
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the repository's sample set-up: digest.toml and seeds/."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "digest.toml", tmp_path / "digest.toml")
    return tmp_path


def parse_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def issue_folders(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "outbox").iterdir() if p.is_dir())


def test_render_writes_the_seed_issue_and_prints_its_folder(site: Path) -> None:
    result = digest("render", "--date", "2026-11-24", cwd=site)
    assert result.returncode == 0, result.stderr
    folder = site / result.stdout.strip()
    assert folder == site / "outbox" / "2026-11-24-001"
    assert sorted(p.name for p in folder.iterdir()) == [
        "issue.eml",
        "issue.html",
        "issue.json",
        "issue.txt",
    ]
    html = (folder / "issue.html").read_text(encoding="utf-8")
    text = (folder / "issue.txt").read_text(encoding="utf-8")
    meta = json.loads((folder / "issue.json").read_text(encoding="utf-8"))

    assert meta["number"] == 1 and meta["date"] == "2026-11-24"
    # Every seed: five text files, a Markdown article, an HTML page and a feed of three.
    assert len(meta["items"]) == 10
    seed = next(i for i in meta["items"] if i["source"].endswith(SEED_NAME))
    assert seed["lead"].startswith("Western powers are not expected to ease restrictions")
    assert tuple(seed["headings"]) == SEED_HEADINGS
    flat_text = " ".join(text.split())  # the text part wraps lines at 78 columns
    for heading in SEED_HEADINGS:
        assert heading in flat_text
        assert heading.replace("’", "&#8217;") in html or heading in html
    for junk in BOILERPLATE:
        assert junk not in html and junk not in text, junk
        assert junk not in json.dumps(meta, ensure_ascii=False), junk
    for item in meta["items"]:
        assert item["title"] in straight_quotes(flat_text)  # shown with curly quotes
    # Linked titles with "site · date" bylines; a page by the name it gives itself.
    assert "[5] https://www.portellerygazette.example/news/2026/11/night-market-returns" in text
    assert "1 min read · The Port Ellery Gazette · 21 Nov 2026" in flat_text
    assert "harbourwatch.example · 22 Nov 2026" in flat_text
    assert "council.port-ellery.example · 23 Nov 2026" in flat_text
    assert ".txt" not in flat_text and ".md" not in flat_text  # never a bare file name


def test_the_eml_is_a_standard_multipart_alternative_matching_the_files(site: Path) -> None:
    folder = site / digest("render", "--date", "2026-11-24", cwd=site).stdout.strip()
    raw = (folder / "issue.eml").read_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    message = parse_eml(folder / "issue.eml")
    meta = json.loads((folder / "issue.json").read_text(encoding="utf-8"))

    assert message.get_content_type() == "multipart/alternative"
    assert message["MIME-Version"] == "1.0"
    assert message["From"].addresses[0].addr_spec == "digest@example.com"
    assert message["To"].addresses[0].addr_spec == "readers@example.com"
    assert message["Subject"] == meta["subject"]
    assert message["Date"].datetime.tzinfo is not None
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
        "@example.com>"
    )
    assert "<the-digest.example.com>" in message["List-Id"]
    assert message["List-Unsubscribe"] == "<https://example.com/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for part, name in zip(parts, ("issue.txt", "issue.html"), strict=True):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        # MIME text is canonically CRLF; the files on disk use the platform's "\n".
        assert part.get_content().replace("\r\n", "\n") == (folder / name).read_text(
            encoding="utf-8"
        )


def test_a_second_render_has_nothing_new_and_writes_nothing(site: Path) -> None:
    assert digest("render", cwd=site).returncode == 0
    before = issue_folders(site)
    again = digest("render", cwd=site)
    assert again.returncode == 0
    assert again.stdout == ""
    assert "nothing new" in again.stderr
    assert issue_folders(site) == before


def test_all_republishes_and_numbers_on(site: Path) -> None:
    digest("render", "--date", "2026-11-24", cwd=site)
    result = digest("render", "--all", "--date", "2026-11-24", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / result.stdout.strip()).name == "2026-11-24-002"


def test_only_new_articles_go_into_the_next_issue(site: Path) -> None:
    digest("render", "--date", "2026-11-24", cwd=site)
    (site / "seeds" / "zz_new.txt").write_text(
        "Ferry Timetable Changes Next Week\n"
        "The harbour ferry will run every 20 minutes from Monday, the operator said.\n",
        encoding="utf-8",
    )
    folder = site / digest("render", "--date", "2026-11-25", cwd=site).stdout.strip()
    meta = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
    assert folder.name == "2026-11-25-002"
    assert [i["title"] for i in meta["items"]] == ["Ferry Timetable Changes Next Week"]


def test_broken_sources_are_reported_in_one_line_each_and_the_issue_is_still_made(
    site: Path,
) -> None:
    seeds = site / "seeds"
    (seeds / "empty.txt").write_text("")
    (seeds / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (seeds / "latin.txt").write_bytes(
        "Caf\u00e9 Opens on the Quay\nThe caf\u00e9 opened on Monday with 40 seats.\n".encode(
            "cp1252"
        )
    )
    (seeds / "huge.txt").write_text("A line of text that goes on.\n" * 400_000)
    result = digest("render", cwd=site)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len([w for w in warnings if "empty.txt" in w]) == 1
    assert len([w for w in warnings if "binary.txt" in w]) == 1
    assert len([w for w in warnings if "huge.txt" in w]) == 1
    assert any("latin.txt" in line and "cp1252" in line for line in result.stderr.splitlines())
    meta = json.loads((site / result.stdout.strip() / "issue.json").read_text(encoding="utf-8"))
    titles = [i["title"] for i in meta["items"]]
    assert "Café Opens on the Quay" in titles
    assert len(titles) == 11  # the ten seed articles and the cp1252 one
    assert "Traceback" not in result.stderr


def test_stdout_prints_each_format_and_writes_nothing(site: Path) -> None:
    text = digest("render", "--stdout", "--format", "text", cwd=site)
    html = digest("render", "--stdout", "--format", "html", cwd=site)
    eml = subprocess.run(
        [sys.executable, "-m", "digest", "render", "--stdout", "--format", "eml"],
        cwd=site,
        capture_output=True,
        timeout=120,
    )
    assert text.returncode == html.returncode == eml.returncode == 0
    assert "Western powers are not expected" in text.stdout
    assert html.stdout.lstrip().lower().startswith("<!doctype html")
    message = email.message_from_bytes(eml.stdout, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert not (site / "outbox").exists() or issue_folders(site) == []


def test_sources_flag_replaces_the_configured_sources(site: Path) -> None:
    result = digest("render", "--sources", f"seeds/{SEED_NAME}", "--outbox", "elsewhere", cwd=site)
    assert result.returncode == 0, result.stderr
    folder = site / result.stdout.strip()
    assert folder.parent == site / "elsewhere"
    meta = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
    assert [i["source"] for i in meta["items"]] == [f"seeds/{SEED_NAME}"]


def test_a_template_error_fails_cleanly_and_writes_nothing(site: Path) -> None:
    shutil.copytree(ROOT / "templates", site / "tpl")
    (site / "tpl" / "issue.txt.j2").write_text("{{ issue.number }\n", encoding="utf-8")
    result = digest("render", env={"DIGEST_TEMPLATES": str(site / "tpl")}, cwd=site)
    assert result.returncode == 1
    assert "issue.txt.j2" in result.stderr and "Traceback" not in result.stderr
    assert not (site / "outbox").exists() or issue_folders(site) == []


def test_an_outbox_path_that_is_a_file_is_a_usage_error(site: Path) -> None:
    (site / "blocked").write_text("a file where the outbox should be")
    result = digest("render", "--outbox", "blocked", cwd=site)
    assert result.returncode == 2
    assert "blocked" in result.stderr and "Traceback" not in result.stderr


def test_sources_that_all_fail_are_an_error_not_nothing_new(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "empty.txt").write_text("")
    (tmp_path / "digest.toml").write_text('sources = ["news", "missing"]\n')
    result = digest("render", cwd=tmp_path)
    assert result.returncode == 1
    assert "missing: not found" in result.stderr and "empty.txt" in result.stderr
    assert "no article could be read" in result.stderr
    assert "nothing new" not in result.stderr
    assert not (tmp_path / "outbox").exists()


def test_the_issue_records_the_backlog_it_leaves(site: Path) -> None:
    result = digest("render", "--max-items", "2", cwd=site)
    meta = json.loads((site / result.stdout.strip() / "issue.json").read_text("utf-8"))
    assert (len(meta["items"]), meta["backlog"]) == (2, 8)


def test_summarise_json_prints_one_item_per_line(site: Path) -> None:
    result = digest("summarise", "--json", "seeds", cwd=site)
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) == 10
    seed = next(i for i in items if i["source"].endswith(SEED_NAME))
    assert set(seed) >= {"id", "title", "lead", "headings", "word_count", "reading_minutes"}
    assert tuple(seed["headings"]) == SEED_HEADINGS


def test_summarise_prints_a_readable_item(site: Path) -> None:
    result = digest("summarise", f"seeds/{SEED_NAME}", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "lead:     Western powers are not expected" in result.stdout
    assert "headings: Strategic Discussions Ahead of the UN General Assembly" in result.stdout


def test_version_and_help(tmp_path: Path) -> None:
    version = digest("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("digest, version ")
    helptext = digest("render", "--help", cwd=tmp_path)
    assert helptext.returncode == 0
    for flag in ("--config", "--sources", "--outbox", "--date", "--all", "--stdout", "--format"):
        assert flag in helptext.stdout


def test_a_bad_date_is_a_usage_error(site: Path) -> None:
    result = digest("render", "--date", "24/11/2026", cwd=site)
    assert result.returncode == 2
    assert "--date" in result.stderr


def test_render_makes_each_configured_newsletter(site: Path) -> None:
    (site / "digest.toml").write_text(
        'sources = ["seeds"]\n'
        '[[newsletters]]\nname = "Morning"\n'
        '[[newsletters]]\nname = "Weekly"\nsources = ["seeds/005_library_hours.txt"]\n',
        encoding="utf-8",
    )
    result = digest("render", "--date", "2026-11-24", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "outbox/morning/2026-11-24-001",
        "outbox/weekly/2026-11-24-001",
    ]
    weekly = json.loads((site / "outbox/weekly/2026-11-24-001/issue.json").read_text("utf-8"))
    assert weekly["newsletter"] == "Weekly" and len(weekly["items"]) == 1

    only = digest("render", "--all", "--newsletter", "Weekly", cwd=site)
    assert only.returncode == 0, only.stderr
    assert only.stdout.strip().startswith("outbox/weekly/")

    unknown = digest("render", "--newsletter", "Daily", cwd=site)
    assert unknown.returncode == 2
    assert "no newsletter named 'Daily' (configured: 'Morning', 'Weekly')" in unknown.stderr
    ambiguous = digest("render", "--stdout", cwd=site)
    assert ambiguous.returncode == 2 and "--newsletter" in ambiguous.stderr


def test_summarise_strategy_and_budget_flags(site: Path) -> None:
    first = digest(
        "summarise", "--json", "--strategy", "first", "--lead-words", "20", "seeds", cwd=site
    )
    assert first.returncode == 0, first.stderr
    for item in map(json.loads, first.stdout.splitlines()):
        assert len(item["lead"].split()) <= 20


def test_lead_overrun_setting_reaches_the_summariser(site: Path) -> None:
    def lengths(env: dict[str, str]) -> list[int]:
        done = digest("summarise", "--json", "--lead-words", "40", "seeds", cwd=site, env=env)
        assert done.returncode == 0, done.stderr
        return [len(json.loads(line)["lead"].split()) for line in done.stdout.splitlines()]

    assert 40 < max(lengths({})) <= 50  # the default lets a lead end on its sentence
    assert max(lengths({"DIGEST_LEAD_OVERRUN": "0"})) <= 40


def test_a_reprint_with_all_has_no_backlog(site: Path) -> None:
    for _ in range(5):  # 10 seed articles, 2 per issue: five issues publish them all
        assert digest("render", "--max-items", "2", cwd=site).returncode == 0
    reprint = digest("render", "--all", "--max-items", "2", cwd=site)
    meta = json.loads((site / reprint.stdout.strip() / "issue.json").read_text("utf-8"))
    assert (len(meta["items"]), meta["backlog"]) == (2, 0)


def test_an_empty_sources_folder_says_no_articles_were_found_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "digest.toml").write_text('sources = "news"\n')
    result = digest("render", cwd=tmp_path)
    assert result.returncode == 1
    assert "digest: error: no articles found in news" in result.stderr.splitlines()
    assert "already in an earlier issue" not in result.stderr
    assert not (tmp_path / "outbox").exists() or not any((tmp_path / "outbox").iterdir())
    checked = digest("check", "--draft", cwd=tmp_path)
    assert checked.returncode == 1
    assert "no articles found in news" in checked.stderr
