"""Golden files: the product's own output for the sample seeds, byte for byte.

The seed article's digest item, and the HTML and plain text of the issue made from
``seeds/``, are compared with committed copies in ``tests/fixtures/golden/``; so is the
issue made from ``tests/fixtures/sections/`` (named sources in three sections, through
the whole pipeline), in ``tests/fixtures/golden/sections/``. After a
deliberate change to the summariser or the templates, look at the new output, then
refresh the copies with ``pytest tests/test_golden.py --update-golden``.

The seed item's ``id`` is pinned here on purpose: a new version that changes ids makes
every article already in users' outboxes look new and go out again.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest.config import Settings, load_settings
from digest.issue import assemble
from digest.models import Issue
from digest.pipeline import draft, summariser
from digest.render import render_issue
from digest.sources import read_sources
from digest.summarise import summarise

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
SEED = ROOT / "seeds" / "000_006ba6bf699a03f5.txt"


def check_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing: run pytest --update-golden to create it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden copy (see --update-golden)"


def relative_source(path: str) -> str:
    # Golden files must not depend on where the repository is checked out.
    return str(Path(path).resolve().relative_to(ROOT))


def seed_items() -> list:
    """Every seed's item, summarised as ``digest render`` does (``pipeline.summariser``:
    a page's site name comes along for its byline)."""
    report = read_sources([str(ROOT / "seeds")], max_bytes=5_000_000)
    assert report.problems == []
    summarise_one = summariser(Settings())
    return [
        summarise_one(a).model_copy(update={"source": relative_source(a.source)})
        for a in report.articles
    ]


def test_seed_item_matches_golden(update_golden: bool) -> None:
    report = read_sources([str(SEED)], max_bytes=5_000_000)
    (article,) = report.articles
    item = summarise(article).model_copy(update={"source": relative_source(article.source)})
    actual = json.dumps(item.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    check_golden("seed_item.json", actual, update_golden)


def seeds_issue() -> Issue:
    """The issue the golden files hold: every seed, issue 1 of 24 November 2026."""
    return assemble(
        seed_items(),
        newsletter="The Digest",
        number=1,
        day=date(2026, 11, 24),
        created_at=datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("form", ["html", "txt"])
def test_seeds_issue_matches_golden(form: str, update_golden: bool) -> None:
    rendered = render_issue(seeds_issue(), Settings())
    check_golden(
        f"seeds_issue.{form}", rendered.html if form == "html" else rendered.text, update_golden
    )


SECTIONS = Path(__file__).resolve().parent / "fixtures" / "sections"


@pytest.mark.parametrize("form", ["html", "txt"])
def test_sections_issue_matches_golden(form: str, update_golden: bool, tmp_path: Path) -> None:
    """Named sources in three sections, read, chosen and grouped by the pipeline."""
    settings = load_settings(SECTIONS / "digest.toml", outbox=tmp_path / "outbox")
    outcome = draft(settings, now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    assert outcome.problems == [] and outcome.rendered is not None
    rendered = outcome.rendered
    check_golden(
        f"sections/issue.{form}",
        rendered.html if form == "html" else rendered.text,
        update_golden,
    )


LANGUAGES = Path(__file__).resolve().parent / "fixtures" / "languages"


def language_issue(language: str, outbox: Path):
    """The issue of ``tests/fixtures/languages/LANGUAGE/``, through the whole pipeline."""
    settings = load_settings(LANGUAGES / language / "digest.toml", outbox=outbox)
    outcome = draft(settings, now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    assert outcome.problems == [] and outcome.rendered is not None
    return outcome.rendered


@pytest.mark.parametrize("form", ["html", "txt"])
@pytest.mark.parametrize("language", ["de", "ar"])
def test_language_issue_matches_golden(
    language: str, form: str, update_golden: bool, tmp_path: Path
) -> None:
    """A German and an Arabic issue: fixed words, dates and reading times translated,
    the Arabic one right to left."""
    rendered = language_issue(language, tmp_path / "outbox")
    check_golden(
        f"languages/{language}.{form}",
        rendered.html if form == "html" else rendered.text,
        update_golden,
    )
