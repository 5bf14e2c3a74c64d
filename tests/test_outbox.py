"""The outbox: atomic, never overwriting, readable history, and the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest import outbox
from digest.config import load_settings
from digest.issue import assemble
from digest.models import Issue, RenderedIssue
from digest.render import render_issue
from tests.helpers import make_item

RENDERED = RenderedIssue(
    html="<!doctype html><p>hi</p>\n", text="hi\n", eml=b"Subject: x\r\n\r\nhi\r\n"
)


def make_issue(number: int = 1, day: date = date(2026, 11, 24), items: int = 2) -> Issue:
    return assemble(
        [make_item(n) for n in range(1, items + 1)],
        newsletter="The Digest",
        number=number,
        day=day,
        created_at=datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    )


def test_write_issue_creates_a_dated_numbered_folder_with_four_files(tmp_path: Path) -> None:
    folder = outbox.write_issue(tmp_path / "outbox", make_issue(3), RENDERED)
    assert folder == tmp_path / "outbox" / "2026-11-24-003"
    assert sorted(p.name for p in folder.iterdir()) == sorted(outbox.FILES)
    assert (folder / "issue.html").read_text() == RENDERED.html
    assert (folder / "issue.eml").read_bytes() == RENDERED.eml
    meta = json.loads((folder / "issue.json").read_text())
    assert meta["number"] == 3
    assert meta["date"] == "2026-11-24"
    assert meta["subject"].startswith("The Digest #3: ")
    assert [i["id"] for i in meta["items"]] == [make_item(1).id, make_item(2).id]
    assert meta["sources"] == ["seeds/001.txt", "seeds/002.txt"]
    assert datetime.fromisoformat(meta["created_at"]).tzinfo is not None
    assert not [p for p in (tmp_path / "outbox").iterdir() if p.name.startswith(".staging")]


def test_an_existing_issue_is_never_overwritten(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    folder = outbox.write_issue(box, make_issue(1), RENDERED)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    other = RenderedIssue(html="<p>other</p>", text="other", eml=b"other")
    with pytest.raises(outbox.IssueExists, match="will not overwrite"):
        outbox.write_issue(box, make_issue(1), other)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in box.iterdir() if p.name.startswith(".staging")] == []


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    """A write that fails half-way (here: a file-size limit, as on a full disk)
    leaves neither the issue folder nor its staging folder."""
    box = tmp_path / "outbox"
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
        from digest import outbox
        from digest.models import RenderedIssue
        from tests.test_outbox import make_issue
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))
        big = RenderedIssue(html="x" * 10_000, text="y" * 10_000, eml=b"z" * 200_000)
        try:
            outbox.write_issue(Path({str(box)!r}), make_issue(1), big)
        except OSError as exc:
            print("failed:", exc.errno)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.startswith("failed:"), result.stderr
    assert list(box.iterdir()) == []


def test_history_reads_numbers_ids_and_ignores_staging_and_junk(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    outbox.write_issue(box, make_issue(1, items=2), RENDERED)
    outbox.write_issue(box, make_issue(2, day=date(2026, 11, 25), items=3), RENDERED)
    (box / ".staging-abc").mkdir()
    (box / "notes").mkdir()
    (box / "README.md").write_text("hello")
    past = outbox.history(box)
    assert [p.number for p in past] == [1, 2]
    assert outbox.next_number(past) == 3
    assert outbox.published_ids(past) == {make_item(n).id for n in (1, 2, 3)}


def test_a_damaged_issue_json_still_counts_for_numbering(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    folder = outbox.write_issue(box, make_issue(5), RENDERED)
    (folder / "issue.json").write_text("{ not json")
    assert outbox.next_number(outbox.history(box)) == 6


def test_history_of_a_missing_outbox_is_empty(tmp_path: Path) -> None:
    assert outbox.history(tmp_path / "nowhere") == []
    assert outbox.next_number([]) == 1


def test_clean_staging_removes_only_staging_folders(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    folder = outbox.write_issue(box, make_issue(1), RENDERED)
    (box / ".staging-dead").mkdir()
    (box / ".staging-dead" / "issue.html").write_text("half")
    removed = outbox.clean_staging(box)
    assert [p.name for p in removed] == [".staging-dead"]
    assert folder.is_dir() and len(list(folder.iterdir())) == 4


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    busy = pytest.raises(outbox.OutboxBusy, match="another digest process")
    with outbox.lock(box), busy, outbox.lock(box, wait=False):
        pass
    with outbox.lock(box, wait=False):
        pass


def test_the_lock_dies_with_its_process(tmp_path: Path) -> None:
    """A crashed holder leaves no stale lock: the kernel releases flock on exit."""
    box = tmp_path / "outbox"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
            from pathlib import Path
            from digest import outbox
            with outbox.lock(Path({str(box)!r})):
                print("locked", flush=True)
                time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(outbox.OutboxBusy), outbox.lock(box, wait=False):
            pass
        holder.kill()
        holder.wait()
        with outbox.lock(box, wait=False):
            pass
    finally:
        holder.kill()


def test_a_published_folder_is_readable_like_any_other(tmp_path: Path) -> None:
    folder = outbox.write_issue(tmp_path / "outbox", make_issue(1), RENDERED)
    mask = os.umask(0)
    os.umask(mask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~mask


def test_history_ignores_impossible_dates_and_survives_odd_json(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    outbox.write_issue(box, make_issue(1), RENDERED)
    (box / "2026-02-30-007").mkdir()
    odd = box / "2026-11-25-002"
    odd.mkdir()
    (odd / "issue.json").write_text("[]")
    assert [p.number for p in outbox.history(box)] == [1, 2]


def test_the_daemon_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    with outbox.daemon_lock(tmp_path):
        assert (tmp_path / outbox.DAEMON_LOCK_NAME).read_text().strip() == str(os.getpid())
        with (
            pytest.raises(
                outbox.DaemonBusy, match=f"already running for this outbox \\(pid {os.getpid()}\\)"
            ),
            outbox.daemon_lock(tmp_path),
        ):
            pass
    with outbox.daemon_lock(tmp_path):
        pass


# --- one issue's files -----------------------------------------------------------


def test_a_written_issue_reads_back_the_same(tmp_path: Path) -> None:
    cfg = load_settings(None, outbox=tmp_path / "outbox")
    issue = make_issue(1, items=3)
    rendered = render_issue(issue, cfg)
    folder = outbox.write_issue(cfg.outbox, issue, rendered)
    assert outbox.load_issue_files(folder) == outbox.files_from_rendered(issue, rendered)
    assert outbox.find_issue(cfg.outbox, None) == folder
    assert outbox.find_issue(cfg.outbox, "1") == folder
    assert outbox.find_issue(cfg.outbox, folder.name) == folder
    assert outbox.find_issue(cfg.outbox, "7") is None


def test_a_drafts_files_are_what_write_issue_stores(tmp_path: Path) -> None:
    issue = make_issue(2)
    files = outbox.files_from_rendered(issue, RENDERED)
    assert (files.html, files.text, files.eml) == (RENDERED.html, RENDERED.text, RENDERED.eml)
    folder = outbox.write_issue(tmp_path, issue, RENDERED)
    assert files.meta == json.loads((folder / outbox.JSON_FILE).read_text("utf-8"))
    assert files.meta["backlog"] == 0 and files.backlog == 0
    assert [item["id"] for item in files.items] == [item.id for item in issue.items]


def test_find_issue_takes_a_path_to_an_issue_folder_and_the_newest_by_default(
    tmp_path: Path,
) -> None:
    box = tmp_path / "outbox"
    assert outbox.find_issue(box, None) is None
    first = outbox.write_issue(box, make_issue(1), RENDERED)
    second = outbox.write_issue(box, make_issue(2, day=date(2026, 11, 25)), RENDERED)
    assert outbox.find_issue(box, None) == second
    assert outbox.find_issue(box, "2026-11-24-001") == first
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    (elsewhere / outbox.HTML_FILE).write_text("<p>hi</p>")
    assert outbox.find_issue(box, str(elsewhere)) == elsewhere
    assert outbox.find_issue(box, str(tmp_path)) is None  # a folder without issue.html


def test_missing_or_damaged_issue_files_read_as_empty(tmp_path: Path) -> None:
    folder = tmp_path / "2026-11-24-001"
    folder.mkdir()
    (folder / outbox.TEXT_FILE).write_bytes(b"caf\xe9\n")  # not UTF-8
    (folder / outbox.JSON_FILE).write_text("[1, 2]")  # JSON, but not a record
    files = outbox.load_issue_files(folder)
    assert files == outbox.IssueFiles(html="", text="caf\ufffd\n", eml=b"", meta={})
    assert files.items == [] and files.backlog == 0 and files.html_bytes == 0
    (folder / outbox.JSON_FILE).write_text("{not json")
    assert outbox.load_issue_files(folder).meta == {}
    assert outbox.load_issue_files(tmp_path / "gone") == outbox.IssueFiles("", "", b"", {})


def test_issue_files_are_read_only_through_the_callers_reader() -> None:
    asked: list[str] = []

    def read(name: str) -> bytes:
        asked.append(name)
        record = b'{"items": [{"title": "A"}, "junk"], "backlog": true}'
        return record if name == outbox.JSON_FILE else b""

    files = outbox.issue_files_from(read)
    assert sorted(asked) == sorted(outbox.FILES)
    assert files.items == [{"title": "A"}] and files.backlog == 0


# --- the archive folder and files replaced in place ------------------------------


def test_issue_discovery_ignores_the_archive_folder(tmp_path: Path) -> None:
    box = tmp_path / "outbox"
    first = outbox.write_issue(box, make_issue(1), RENDERED)
    archive = box / outbox.ARCHIVE_NAME
    archive.mkdir()
    # Even with files that look like an issue's, the archive is not one.
    for name in (*outbox.FILES, "2026-11-24-001.html", "index.html"):
        (archive / name).write_text("{}")
    (box / outbox.ARCHIVE_LOCK_NAME).touch()
    assert outbox.issue_folders(box) == [first]
    assert [p.folder for p in outbox.history(box)] == [first]
    assert outbox.find_issue(box, None) == first
    assert outbox.find_issue(box, outbox.ARCHIVE_NAME) is None
    assert outbox.clean_staging(box) == []
    assert archive.is_dir() and len(list(archive.iterdir())) == 6


def test_replace_file_swaps_whole_files_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    outbox.replace_file(path, b"first")
    outbox.replace_file(path, b"second")
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.xml"]  # no temporary left
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_replace_file_that_fails_keeps_the_old_file_and_no_leftover(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    outbox.replace_file(path, b"old")
    with pytest.raises(TypeError):
        outbox.replace_file(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_read_issue_gives_back_the_issue_or_says_which_file_is_damaged(tmp_path: Path) -> None:
    issue = make_issue(3, items=2)
    folder = outbox.write_issue(tmp_path, issue, RENDERED)
    assert outbox.read_issue(folder) == issue
    (folder / outbox.JSON_FILE).write_text('{"number": "three"}')
    with pytest.raises(outbox.DamagedIssue) as damaged:
        outbox.read_issue(folder)
    assert damaged.value.path == folder / outbox.JSON_FILE
    assert str(damaged.value).startswith(f"{folder / outbox.JSON_FILE}: not a readable issue")
    assert "\n" not in str(damaged.value)
    (folder / outbox.JSON_FILE).unlink()
    with pytest.raises(outbox.DamagedIssue, match="cannot read it"):
        outbox.read_issue(folder)


def test_history_reads_fingerprints_and_issues_from_before_them(tmp_path: Path) -> None:
    items = [make_item(1, fingerprint="a1b2c3d4e5f60718", section="World"), make_item(2)]
    issue = make_issue(1).model_copy(update={"items": items})
    outbox.write_issue(tmp_path, issue, RENDERED)
    old = make_issue(2, day=date(2026, 11, 25))  # items without fingerprint or section
    folder = outbox.write_issue(tmp_path, old, RENDERED)
    record = json.loads((folder / outbox.JSON_FILE).read_text())
    assert all("fingerprint" not in item and "section" not in item for item in record["items"])
    first, second = outbox.history(tmp_path)
    assert first.fingerprints == {"a1b2c3d4e5f60718"} and second.fingerprints == frozenset()
    assert outbox.published_fingerprints([first, second]) == {"a1b2c3d4e5f60718"}
    assert outbox.read_issue(first.folder).items == items
