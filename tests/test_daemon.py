"""`digest run`: on time, exactly once, and safe across crashes, restarts and races.

Two kinds of tests, both on real files and the real pipeline:

- the tick logic, in-process, with the clock driven by time-machine: slots, catch-up,
  restarts, daylight-saving days, failing jobs;
- real processes: two daemons on one outbox, daemons racing one-shot renders, SIGTERM,
  and SIGKILL at random moments of a large render (forked children of a small driver,
  so that each kill costs the render and not the interpreter's start-up).

Nothing here asserts on timings.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from digest import outbox, pipeline
from digest.config import ConfigError, Settings, bundled_templates, load_settings
from digest.daemon import Daemon, status

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WORDS = [
    "harbour",
    "council",
    "library",
    "budget",
    "school",
    "river",
    "train",
    "market",
    "festival",
    "orchestra",
    "bridge",
    "weather",
    "report",
    "minister",
    "vote",
    "park",
    "museum",
    "hospital",
    "road",
    "energy",
    "tram",
    "ferry",
    "garden",
]


# --- helpers -----------------------------------------------------------------------


def write_articles(
    folder: Path, count: int, tag: str, *, seed: int = 1, paragraphs: int = 3
) -> None:
    """``count`` plain-text articles whose text (and so whose ids) depend on ``tag``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{tag}-{seed}")
    for n in range(count):
        body = []
        for _ in range(paragraphs):
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(11)).capitalize() + "." for _ in range(4)
            ]
            body.append(" ".join(sentences))
        title = f"Story {tag} {n} about the {rng.choice(WORDS)}"
        (folder / f"{tag}-{n:03d}.txt").write_text(title + "\n\n" + "\n\n".join(body) + "\n")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)  # strings and lists of strings are valid TOML this way


def write_config(
    folder: Path, newsletters: list[dict[str, Any]] | None = None, **values: Any
) -> Path:
    lines = [f"{key} = {toml_value(value)}" for key, value in values.items()]
    for table in newsletters or []:
        lines.append("\n[[newsletters]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    path = folder / "digest.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def finished_issues(folder: Path) -> list[dict[str, Any]]:
    """Every issue folder's ``issue.json``, after checking the folder is whole.

    Fails on a folder missing a file, an unreadable ``issue.json``, or a repeated
    number or slot.
    """
    records = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith(".") or entry.name == outbox.ARCHIVE_NAME or not entry.is_dir():
            continue  # the web archive is derived from the issues, not one of them
        present = sorted(p.name for p in entry.iterdir())
        assert present == sorted(outbox.FILES), f"half-written issue {entry}: {present}"
        record = json.loads((entry / "issue.json").read_text(encoding="utf-8"))
        assert entry.name == f"{record['date']}-{record['number']:03d}"
        records.append(record)
    numbers = [r["number"] for r in records]
    assert len(numbers) == len(set(numbers)), f"duplicate issue numbers: {sorted(numbers)}"
    slots = [_instant(r["slot"]) for r in records if r["slot"]]
    assert len(slots) == len(set(slots)), f"two issues for one slot: {sorted(slots)}"
    return sorted(records, key=lambda r: r["number"])


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def staging_left(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(outbox.STAGING_PREFIX)]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A newsletter folder with five articles and a daily 07:00 London schedule."""
    write_articles(tmp_path / "news", 5, "first")
    write_config(
        tmp_path,
        sources=["news"],
        outbox="outbox",
        timezone="Europe/London",
        schedule="daily at 07:00",
    )
    return tmp_path


def settings_of(folder: Path) -> Settings:
    return load_settings(folder / "digest.toml")


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 11, 23, 6, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def at(traveller: time_machine.Coordinates, moment: datetime) -> None:
    traveller.move_to(moment)


def digest_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "digest", *args]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}


# --- configuration -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        (
            "schedule",
            "dayly at 07:00",
            "bad setting schedule = 'dayly at 07:00': expected a schedule",
        ),
        (
            "schedule",
            "every 7 hours",
            "bad setting schedule = 'every 7 hours': expected a schedule",
        ),
        ("timezone", "Europe/Londn", "bad setting timezone = 'Europe/Londn': expected an IANA"),
    ],
)
def test_bad_schedule_or_zone_stops_with_one_line_and_exit_2(
    tmp_path: Path, setting: str, value: str, expected: str
) -> None:
    write_config(tmp_path, sources=["news"], **{setting: value})
    done = subprocess.run(
        digest_cmd("run", "--once"),
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("digest: error: digest.toml: " + expected)
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "outbox").exists()


def test_a_bad_newsletter_is_named_in_its_one_line_error(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        newsletters=[{"name": "Daily"}, {"name": "Weekly", "schedule": "fortnightly"}],
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "digest.toml")
    assert str(caught.value).startswith(
        f"{tmp_path / 'digest.toml'}: bad setting newsletters[1].schedule = 'fortnightly': "
        "expected a schedule such as"
    )
    assert "\n" not in str(caught.value)


def test_newsletters_inherit_override_and_resolve_paths_like_the_top_level(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    config = write_config(
        site,
        newsletters=[
            {"name": "Morning Brief", "schedule": "weekdays at 06:30"},
            {
                "name": "Weekly Review",
                "schedule": "monday at 07:00",
                "sources": ["weekly", "https://example.com/feed.xml"],
                "outbox": "out/weekly",
                "templates": "weekly-templates",
                "timezone": "America/New_York",
                "subject": "{name}, week of {date}: {title}",
            },
        ],
        sources=["news"],
        outbox="out",
        max_items=7,
    )
    shutil.copytree(bundled_templates(), site / "weekly-templates")
    daily, weekly = load_settings(config).each_newsletter()
    assert (daily.name, daily.schedule, daily.max_items) == (
        "Morning Brief",
        "weekdays at 06:30",
        7,
    )
    assert daily.sources == [str(site / "news")]
    assert daily.outbox == site / "out" / "morning-brief"  # a sub-folder of its own
    assert weekly.sources == [str(site / "weekly"), "https://example.com/feed.xml"]
    assert weekly.outbox == site / "out" / "weekly"
    assert weekly.templates == site / "weekly-templates"
    assert (weekly.timezone, weekly.max_items) == ("America/New_York", 7)
    single = load_settings(write_config(tmp_path, sources=["news"]))
    assert single.each_newsletter() == [single]


def test_two_newsletters_may_not_share_an_outbox(tmp_path: Path) -> None:
    tables = [{"name": "A", "outbox": "o"}, {"name": "B", "outbox": "o"}]
    write_config(tmp_path, newsletters=tables)
    with pytest.raises(
        ConfigError, match=r"newsletters\[1\]\.outbox .*expected a folder of its own"
    ):
        load_settings(tmp_path / "digest.toml")


# --- the tick, with the clock under control ----------------------------------------


def test_a_daily_slot_makes_one_issue_dated_by_its_slot(site: Path, clock: Any) -> None:
    daemon = Daemon(settings_of(site))
    at(clock, datetime(2026, 11, 24, 6, 59, tzinfo=LONDON))
    daemon.tick()
    daemon.tick()
    # Monday's 07:00 slot, a day old, is beyond the 12 h grace: not made.
    assert daemon.runs == 0 and finished_issues(site / "outbox") == []

    at(clock, datetime(2026, 11, 24, 7, 0, 20, tzinfo=LONDON))
    for minutes in range(0, 300, 7):
        at(clock, datetime(2026, 11, 24, 7, 0, 20, tzinfo=LONDON) + timedelta(minutes=minutes))
        daemon.tick()
    issues = finished_issues(site / "outbox")
    assert len(issues) == 1 and daemon.runs == 1
    assert issues[0]["slot"] == "2026-11-24T07:00:00+00:00"
    assert issues[0]["date"] == "2026-11-24"
    assert issues[0]["number"] == 1

    write_articles(site / "news", 2, "second")
    at(clock, datetime(2026, 11, 25, 7, 0, 5, tzinfo=LONDON))
    daemon.tick()
    issues = finished_issues(site / "outbox")
    assert [(i["number"], i["date"]) for i in issues] == [(1, "2026-11-24"), (2, "2026-11-25")]
    assert len(issues[1]["items"]) == 2


def test_a_restart_after_missed_slots_makes_one_catch_up_issue(site: Path, clock: Any) -> None:
    at(clock, datetime(2026, 11, 23, 7, 1, tzinfo=LONDON))
    Daemon(settings_of(site)).tick()
    write_articles(site / "news", 3, "while-down")
    # Down from Monday to Thursday 09:00: Tuesday, Wednesday and Thursday were missed.
    at(clock, datetime(2026, 11, 26, 9, 0, tzinfo=LONDON))
    restarted = Daemon(settings_of(site))
    for _ in range(3):
        restarted.tick()
    issues = finished_issues(site / "outbox")
    assert [i["slot"] for i in issues] == [
        "2026-11-23T07:00:00+00:00",
        "2026-11-26T07:00:00+00:00",  # only the latest missed slot
    ]
    assert issues[1]["date"] == "2026-11-26"
    assert restarted.runs == 1


def test_a_slot_older_than_the_grace_period_is_left_for_the_next(site: Path, clock: Any) -> None:
    at(clock, datetime(2026, 11, 24, 19, 30, tzinfo=LONDON))  # 12.5 h after 07:00
    daemon = Daemon(settings_of(site))
    daemon.tick()
    assert daemon.runs == 0 and finished_issues(site / "outbox") == []
    at(clock, datetime(2026, 11, 25, 7, 0, 30, tzinfo=LONDON))
    daemon.tick()
    assert [i["slot"] for i in finished_issues(site / "outbox")] == ["2026-11-25T07:00:00+00:00"]


def test_a_restart_just_after_an_issue_makes_no_duplicate(site: Path, clock: Any) -> None:
    at(clock, datetime(2026, 11, 24, 7, 0, 5, tzinfo=LONDON))
    Daemon(settings_of(site)).tick()
    write_articles(site / "news", 3, "fresh")  # new items would make a second issue
    at(clock, datetime(2026, 11, 24, 7, 0, 40, tzinfo=LONDON))
    restarted = Daemon(settings_of(site))
    restarted.tick()
    assert restarted.runs == 0
    assert len(finished_issues(site / "outbox")) == 1
    # The check that counts is the one under the outbox lock: a writer that got past
    # the daemon's early check still makes nothing for a slot that has its issue.
    slot = datetime(2026, 11, 24, 7, 0, tzinfo=LONDON)
    outcome = pipeline.publish(settings_of(site), now=datetime.now(UTC), slot=slot)
    assert outcome.issue is None and outcome.already is not None
    assert len(finished_issues(site / "outbox")) == 1


def test_a_late_run_is_still_dated_by_its_slot(tmp_path: Path, clock: Any) -> None:
    write_articles(tmp_path / "news", 2, "late")
    write_config(
        tmp_path, sources=["news"], timezone="America/New_York", schedule="daily at 23:30"
    )
    # The machine slept through 23:30 and wakes at 01:10 the next day (local time).
    at(clock, datetime(2026, 11, 25, 1, 10, tzinfo=NEW_YORK))
    Daemon(settings_of(tmp_path)).tick()
    (issue,) = finished_issues(tmp_path / "outbox")
    assert issue["date"] == "2026-11-24"
    assert issue["slot"] == "2026-11-24T23:30:00-05:00"
    assert issue["created_at"].startswith("2026-11-25T06:10")  # UTC: when it really ran
    assert (tmp_path / "outbox" / "2026-11-24-001").is_dir()


@pytest.mark.parametrize(
    ("zone", "start", "at_time", "expected_slots"),
    [
        (
            "Europe/London",
            datetime(2026, 3, 28, 0, 0, tzinfo=UTC),
            "01:30",
            [
                "2026-03-28T01:30:00+00:00",
                "2026-03-29T02:30:00+01:00",
                "2026-03-30T01:30:00+01:00",
            ],
        ),
        (
            "Europe/London",
            datetime(2026, 10, 24, 0, 0, tzinfo=UTC),
            "01:30",
            [
                "2026-10-24T01:30:00+01:00",
                "2026-10-25T01:30:00+01:00",
                "2026-10-26T01:30:00+00:00",
            ],
        ),
        (
            "America/New_York",
            datetime(2026, 3, 7, 5, 0, tzinfo=UTC),
            "02:30",
            [
                "2026-03-07T02:30:00-05:00",
                "2026-03-08T03:30:00-04:00",
                "2026-03-09T02:30:00-04:00",
            ],
        ),
        (
            "America/New_York",
            datetime(2026, 10, 31, 4, 0, tzinfo=UTC),
            "01:30",
            [
                "2026-10-31T01:30:00-04:00",
                "2026-11-01T01:30:00-04:00",
                "2026-11-02T01:30:00-05:00",
            ],
        ),
    ],
)
def test_change_days_get_one_issue_each_no_more_no_less(
    tmp_path: Path, clock: Any, zone: str, start: datetime, at_time: str, expected_slots: list[str]
) -> None:
    write_articles(tmp_path / "news", 6, "dst")
    write_config(
        tmp_path, sources=["news"], timezone=zone, schedule=f"daily at {at_time}", max_items=1
    )
    daemon = Daemon(settings_of(tmp_path))
    moment = start
    while moment < start + timedelta(days=3):  # a tick every ten minutes for three days
        at(clock, moment)
        daemon.tick()
        moment += timedelta(minutes=10)
    issues = finished_issues(tmp_path / "outbox")
    assert [i["slot"] for i in issues] == expected_slots
    assert [i["date"] for i in issues] == [s[:10] for s in expected_slots]
    assert daemon.runs == 3


def test_nothing_new_skips_the_slot_even_across_a_restart(
    site: Path, clock: Any, caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="digest")
    at(clock, datetime(2026, 11, 24, 7, 0, 5, tzinfo=LONDON))
    Daemon(settings_of(site)).tick()
    at(clock, datetime(2026, 11, 25, 7, 0, 5, tzinfo=LONDON))
    Daemon(settings_of(site)).tick()
    assert len(finished_issues(site / "outbox")) == 1
    assert "nothing new for slot 2026-11-25T07:00+00:00; skipped" in caplog.text
    write_articles(site / "news", 1, "after-the-slot")
    at(clock, datetime(2026, 11, 25, 9, 0, tzinfo=LONDON))
    restarted = Daemon(settings_of(site))
    restarted.tick()
    assert restarted.runs == 0  # the skipped slot is not tried again
    at(clock, datetime(2026, 11, 26, 7, 0, 5, tzinfo=LONDON))
    restarted.tick()
    assert [i["date"] for i in finished_issues(site / "outbox")] == ["2026-11-24", "2026-11-26"]


def test_send_empty_makes_an_issue_with_nothing_new(site: Path, clock: Any) -> None:
    at(clock, datetime(2026, 11, 24, 7, 0, 5, tzinfo=LONDON))
    Daemon(settings_of(site)).tick()
    write_config(site, sources=["news"], schedule="daily at 07:00", send_empty=True)
    at(clock, datetime(2026, 11, 25, 7, 0, 5, tzinfo=LONDON))
    Daemon(settings_of(site)).tick()
    issues = finished_issues(site / "outbox")
    assert [len(i["items"]) for i in issues] == [5, 0]
    assert issues[1]["slot"] == "2026-11-25T07:00:00+00:00"


def broken_templates(folder: Path) -> Path:
    shutil.copytree(bundled_templates(), folder)
    mjml = folder / "issue.mjml.j2"
    mjml.write_text(mjml.read_text(encoding="utf-8") + "\n{% if %}broken{% endif %}\n")
    return folder


def test_a_failing_job_retries_up_to_its_cap_without_holding_up_the_others(
    tmp_path: Path, clock: Any, caplog: Any
) -> None:
    caplog.set_level(logging.INFO, logger="digest")
    write_articles(tmp_path / "news", 3, "shared")
    broken_templates(tmp_path / "broken-templates")
    write_config(
        tmp_path,
        newsletters=[
            {"name": "Broken", "templates": "broken-templates"},  # first: fails first
            {"name": "Good", "subject": "{name} of {date}: {title}{more}"},
        ],
        sources=["news"],
        outbox="outbox",
        schedule="daily at 07:00",
    )
    daemon = Daemon(settings_of(tmp_path), max_attempts=3, retry_seconds=60, retry_cap_seconds=120)
    broken, _good = daemon.jobs
    slot_time = datetime(2026, 11, 24, 7, 0, 5, tzinfo=LONDON)
    at(clock, slot_time)
    daemon.tick()
    (issue,) = finished_issues(tmp_path / "outbox" / "good")
    assert issue["created_at"] == slot_time.astimezone(UTC).isoformat()  # on time
    assert issue["subject"].startswith("Good of 2026-11-24: Story shared")
    assert broken.attempts == 1
    assert "Broken: slot 2026-11-24T07:00+00:00 failed (attempt 1 of 3)" in caplog.text
    assert "retrying in 60 s" in caplog.text

    runs_at = {}
    for seconds in range(10, 3600, 10):  # an hour of ticks every 10 s
        at(clock, slot_time + timedelta(seconds=seconds))
        before = daemon.runs
        daemon.tick()
        if daemon.runs != before:
            runs_at[seconds] = daemon.runs - before
    # Retries after 60 s and then 120 s (the cap), then it gives up: 3 attempts in all.
    assert sorted(runs_at) == [60, 180]
    assert broken.attempts == 3
    assert "failed 3 times, giving up on it" in caplog.text
    assert finished_issues(tmp_path / "outbox" / "broken") == []
    assert not staging_left(tmp_path / "outbox" / "broken")

    # Fixed before the next slot: the next slot fires as usual, for both.
    shutil.rmtree(tmp_path / "broken-templates")
    shutil.copytree(bundled_templates(), tmp_path / "broken-templates")
    write_articles(tmp_path / "news", 2, "next-day")
    at(clock, slot_time + timedelta(days=1))
    daemon.tick()
    assert [i["date"] for i in finished_issues(tmp_path / "outbox" / "broken")] == ["2026-11-25"]
    assert [i["date"] for i in finished_issues(tmp_path / "outbox" / "good")] == [
        "2026-11-24",
        "2026-11-25",
    ]


def test_status_lists_last_issue_what_is_due_and_the_next_slot(site: Path, clock: Any) -> None:
    at(clock, datetime(2026, 11, 24, 8, 0, tzinfo=LONDON))
    (row,) = status(settings_of(site), datetime.now(UTC))
    assert row["last_issue"] is None
    assert row["due_now"] == "2026-11-24T07:00:00+00:00"
    assert row["next_slot"] == "2026-11-25T07:00:00+00:00"
    Daemon(settings_of(site)).tick()
    (row,) = status(settings_of(site), datetime.now(UTC))
    assert row["last_issue"]["number"] == 1 and row["due_now"] is None


# --- real processes ----------------------------------------------------------------


def start_daemon(site: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        digest_cmd("run", "--check-every", "0.2", *extra),
        cwd=site,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(process: subprocess.Popen[str], text: str) -> str:
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"the process ended without logging {text!r}:\n{''.join(seen)}")


def test_two_daemons_on_one_outbox_exactly_one_runs(site: Path) -> None:
    first, second = start_daemon(site), start_daemon(site)
    try:
        # Whichever lost the lock exits at once; the other keeps running.
        deadline = time.monotonic() + 60
        while first.poll() is None and second.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        loser, winner = (first, second) if first.poll() is not None else (second, first)
        _, err = loser.communicate(timeout=30)
        assert loser.returncode == 1
        assert "another digest daemon is already running for this outbox" in err
        assert err.count("\n") == 1  # one clear line
        assert winner.poll() is None
        wait_for_line(winner, "next slot")
        # A third one, started while the winner runs, is refused the same way.
        third = subprocess.run(
            digest_cmd("run"),
            cwd=site,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert third.returncode == 1
        assert f"(pid {winner.pid})" in third.stderr
        assert winner.poll() is None
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
    _, err = winner.communicate(timeout=30)
    assert winner.returncode == 0
    assert "stopping (SIGTERM)" in err


def test_sigterm_and_sigint_stop_the_daemon_cleanly(site: Path) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        daemon = start_daemon(site, "--log-format", "json")
        wait_for_line(daemon, "next slot")
        daemon.send_signal(sig)
        _, err = daemon.communicate(timeout=30)
        assert daemon.returncode == 0
        records = [json.loads(line) for line in err.splitlines()]
        assert records[-1]["message"] == f"stopping ({sig.name})"
        assert all({"time", "level", "message"} <= set(r) for r in records)
        assert not staging_left(site / "outbox")


def test_sigterm_during_a_render_finishes_that_issue_and_a_second_abandons_it(
    tmp_path: Path,
) -> None:
    write_config(
        tmp_path, sources=["news"], outbox="outbox", schedule="every 1 minutes", max_items=200
    )
    write_articles(tmp_path / "news", 400, "finish", paragraphs=4)
    daemon = start_daemon(tmp_path)
    wait_for_line(daemon, "making the issue")
    daemon.send_signal(signal.SIGTERM)
    _, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0
    assert "stopped after finishing the issue in progress" in err
    (issue,) = finished_issues(tmp_path / "outbox")
    assert len(issue["items"]) == 200

    write_articles(tmp_path / "news", 400, "abandon", paragraphs=4)
    shutil.rmtree(tmp_path / "outbox")
    daemon = start_daemon(tmp_path)
    wait_for_line(daemon, "making the issue")
    daemon.send_signal(signal.SIGTERM)
    daemon.send_signal(signal.SIGTERM)
    _, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0
    # Abandoned or (if the render won the race) finished: never half-written.
    assert len(finished_issues(tmp_path / "outbox")) <= 1
    assert not staging_left(tmp_path / "outbox")


def test_daemons_and_one_shot_renders_racing_never_duplicate_or_skip(tmp_path: Path) -> None:
    # Real clock: "every 1 minutes" makes the current minute's slot due at once.
    write_config(
        tmp_path, sources=["news"], outbox="outbox", schedule="every 1 minutes", max_items=3
    )
    for round_number in range(4):
        write_articles(tmp_path / "news", 12, f"round{round_number}")
        commands = [digest_cmd("run", "--once")] * 2
        commands += [digest_cmd("render")] * 3
        random.Random(round_number).shuffle(commands)
        processes = [
            subprocess.Popen(
                command,
                cwd=tmp_path,
                env=clean_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for command in commands
        ]
        for command, process in zip(commands, processes, strict=True):
            _, err = process.communicate(timeout=120)
            if "run" in command and process.returncode != 0:
                # The only allowed failure: the other daemon held the outbox.
                assert "another digest daemon is already running" in err, err
            else:
                assert process.returncode == 0, err
        issues = finished_issues(tmp_path / "outbox")  # no repeated number or slot
        assert [i["number"] for i in issues] == list(range(1, len(issues) + 1))  # no gap
        assert not staging_left(tmp_path / "outbox")
    slots = [i["slot"] for i in finished_issues(tmp_path / "outbox") if i["slot"]]
    assert slots, "no daemon ever made its slot's issue"
    assert len(finished_issues(tmp_path / "outbox")) > len(slots)  # renders wrote too


def run_once_in_child(config: Path, now: datetime) -> int:
    """Fork a child that runs `digest run --once` logic at ``now``; returns its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 3
    try:
        logging.getLogger().handlers[:] = [logging.NullHandler()]
        with time_machine.travel(now, tick=True):
            daemon = Daemon(load_settings(config))
            with daemon.locked():
                code = 1 if daemon.run_once() else 0
    except BaseException:
        code = 3
    finally:
        os._exit(code)


def test_sigkill_at_random_moments_never_leaves_a_partial_or_duplicate_issue(
    tmp_path: Path,
) -> None:
    rng = random.Random(20261124)
    sources = tmp_path / "news"
    config = write_config(
        tmp_path, sources=["news"], outbox="outbox", schedule="daily at 07:00", max_items=200
    )
    first_slot = datetime(2026, 11, 2, 7, 0, tzinfo=LONDON)

    def one_run(now: datetime) -> tuple[int, float]:
        started = time.monotonic()
        pid = run_once_in_child(config, now)
        _, status_code = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status_code), time.monotonic() - started

    kills, round_number, completed, mid_write = 0, 0, [], 0
    work_seconds = None
    while kills < 50:
        slot = first_slot + timedelta(days=round_number)
        shutil.rmtree(sources, ignore_errors=True)
        write_articles(sources, 400, f"r{round_number}", paragraphs=4)
        if work_seconds is None:
            # Measure the length of one render; later kills fall anywhere inside it.
            code, work_seconds = one_run(slot + timedelta(minutes=1))
            assert code == 0
        else:
            for _attempt in range(rng.randint(2, 5)):
                pid = run_once_in_child(config, slot + timedelta(minutes=1))
                # Half anywhere in the job, half in its last quarter, where the issue
                # is rendered and written (the write itself is a few milliseconds).
                low = 0.0 if rng.random() < 0.5 else 0.75 * work_seconds
                time.sleep(rng.uniform(low, work_seconds))
                os.kill(pid, signal.SIGKILL)
                _, wait_status = os.waitpid(pid, 0)
                # Count only kills that hit a running job, not a child already done.
                kills += os.WIFSIGNALED(wait_status)
                mid_write += bool(staging_left(tmp_path / "outbox"))
                finished_issues(tmp_path / "outbox")  # whole folders, no repeats
            code, _ = one_run(slot + timedelta(minutes=2))  # the next run completes it
            assert code == 0
        issues = finished_issues(tmp_path / "outbox")
        assert [i["number"] for i in issues] == list(range(1, round_number + 2))
        assert _instant(issues[-1]["slot"]) == slot.astimezone(UTC)
        assert len(issues[-1]["items"]) == 200
        assert not staging_left(tmp_path / "outbox")  # the restart cleared the crash's
        completed.append(slot)
        round_number += 1
    assert kills >= 50 and len(completed) == round_number
    # For the record (-s): how many kills caught a half-written staging folder.
    print(f"{kills} kills in {round_number} rounds; {mid_write} left a staging folder")


def test_sources_that_all_fail_are_retried_not_skipped(
    tmp_path: Path, clock: Any, caplog: Any
) -> None:
    """A feed host that is down at 07:00 must not cost the day's issue."""
    caplog.set_level(logging.INFO, logger="digest")
    write_config(tmp_path, sources=["news"], outbox="outbox", schedule="daily at 07:00")
    daemon = Daemon(settings_of(tmp_path), max_attempts=3, retry_seconds=60)
    slot_time = datetime(2026, 11, 24, 7, 0, 5, tzinfo=LONDON)
    at(clock, slot_time)
    assert daemon.tick() == 1
    assert "no article could be read" in caplog.text
    assert "skipped" not in caplog.text
    write_articles(tmp_path / "news", 2, "back")  # the source comes back
    at(clock, slot_time + timedelta(seconds=70))
    daemon.tick()
    (issue,) = finished_issues(tmp_path / "outbox")
    assert issue["date"] == "2026-11-24"


def test_a_serving_daemon_is_on_time_even_with_no_catch_up(site: Path, clock: Any) -> None:
    """catch_up_hours = 0 means "no catch-up after downtime", not "never publish"."""
    text = (site / "digest.toml").read_text(encoding="utf-8")
    (site / "digest.toml").write_text(text + "catch_up_hours = 0\n", encoding="utf-8")
    daemon = Daemon(settings_of(site))
    daemon.on_time = timedelta(seconds=2 * 30 + 60)  # what serve() sets for 30 s ticks
    at(clock, datetime(2026, 11, 24, 7, 0, 25, tzinfo=LONDON))  # the first wake-up after
    daemon.tick()
    assert len(finished_issues(site / "outbox")) == 1


def test_a_missed_slot_is_reported_once_across_runs(site: Path, clock: Any, caplog: Any) -> None:
    """`digest run --once` from cron every few minutes must not repeat the warning."""
    caplog.set_level(logging.INFO, logger="digest")
    for minute in (30, 35, 40):  # three cron runs, 12.5 h after the 07:00 slot
        at(clock, datetime(2026, 11, 24, 19, minute, tzinfo=LONDON))
        Daemon(settings_of(site)).tick()
    assert caplog.text.count("was missed by more than") == 1
    assert finished_issues(site / "outbox") == []
