"""The pipeline: what goes into an issue, summarised once, and on every core when asked."""

from __future__ import annotations

import json
import random
from pathlib import Path

from digest.config import Settings
from digest.pipeline import summariser
from digest.sources import read_sources
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
