"""Pipeline speed: summarising, rendering, a whole `digest render`, and start-up.

Prints figures against the targets of the one-shot pipeline issue and of issue 11
("summarise only what gets published"); it asserts nothing (timings never belong in
pass/fail tests). Run it from the repository root:

    python benchmarks/bench_pipeline.py [--articles 1000] [--repeat 5]
        [--sizes 1000,10000,100000]

Targets on the project machine: summarising ≥ 2,000 articles/s on one core,
rendering a 30-item issue (HTML + text + .eml) < 20 ms, `digest render` of the
seeds < 250 ms, `digest --help` < 300 ms; a first `digest render` of 100,000
articles < 10 s and < 200 MB peak, and of 10,000 within 10× the read floor.

The floor is the least any `digest render` must do: start Python and read every
file of the folder, nothing else (`floor` rows, measured in the same run). Wall
time and peak RSS are the child process's own (``os.wait4``).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import Settings  # noqa: E402
from digest.issue import assemble  # noqa: E402
from digest.models import Article, Block  # noqa: E402
from digest.render import render_issue  # noqa: E402
from digest.summarise import summarise  # noqa: E402

SEED = ROOT / "seeds" / "000_006ba6bf699a03f5.txt"


def generated_articles(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct plain-text articles shaped like the seed (same length, mix)."""
    rng = random.Random(seed)
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    body, tail = lines[:-5], lines[-5:]
    texts = []
    for n in range(count):
        shuffled = body[1:]
        rng.shuffle(shuffled)
        first = f"Report {n}: {body[0]}"
        texts.append("\n".join([first, *shuffled, *tail]) + "\n")
    return texts


def as_article(n: int, text: str) -> Article:
    """What the plain-text reader makes of ``text`` (without touching the disk)."""
    lines = (line for line in text.splitlines() if line)
    return Article(source=f"gen/{n}.txt", blocks=tuple(Block(line) for line in lines))


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_summarise(texts: list[str], repeat: int) -> float:
    articles = [as_article(n, text) for n, text in enumerate(texts)]
    seconds = best_of(repeat, lambda: [summarise(a) for a in articles])
    return len(articles) / seconds


def bench_render(texts: list[str], repeat: int) -> float:
    items = [
        summarise(as_article(n, text)).model_copy(update={"url": f"https://example.com/a/{n}"})
        for n, text in enumerate(texts[:30])
    ]
    issue = assemble(
        items,
        newsletter="The Digest",
        number=1,
        day=date(2026, 11, 25),
        created_at=datetime(2026, 11, 25, 7, tzinfo=UTC),
    )
    settings = Settings()
    render_issue(issue, settings)  # warm the template cache, as a daemon would be
    return best_of(repeat, lambda: render_issue(issue, settings)) * 1000


def bench_cli(
    args: list[str], cwd: Path, repeat: int, setup: Callable[[], None] | None = None
) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


_FLOOR = """
import sys
from pathlib import Path
total = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    total += len(path.read_bytes())
"""


# Run from a small launcher: a child forked from this process would count the
# benchmark's own memory (the generated articles) in its peak RSS until it execs.
_LAUNCH = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measure(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of ``args`` as a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    out = subprocess.run(
        [sys.executable, "-c", _LAUNCH, *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    wall, peak_kib, code = float(out[-3]), int(out[-2]), int(out[-1])
    if code != 0:
        raise SystemExit(f"{' '.join(args)} failed with exit code {code}")
    return wall, peak_kib / 1024  # ru_maxrss is in KiB on Linux


def bench_first_runs(digest_cmd: str, sizes: list[int]) -> list[tuple[str, str, str, bool]]:
    """A first ``digest render`` of each size (nothing published yet), and the floor."""
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "articles").mkdir()
            for n, text in enumerate(generated_articles(size)):
                (work / "articles" / f"{n:06d}.txt").write_text(text, encoding="utf-8")
            floor_s, floor_mb = measure([sys.executable, "-c", _FLOOR, "articles"], work)
            (work / "digest.toml").write_text('sources = ["articles"]\n')
            wall, peak = measure([digest_cmd, "--log-level", "warning", "render"], work)
        ratio = wall / floor_s
        if size >= 100_000:
            target, met = "< 10 s, < 200 MB", wall < 10 and peak < 200
        elif size >= 10_000:
            target, met = "<= 10x the floor", ratio <= 10
        else:
            target, met = "< 2 s", wall < 2
        rows.append((f"floor, {size:,} files", f"{floor_s:.2f} s {floor_mb:5.0f} MB", "", True))
        rows.append(
            (
                f"digest render, {size:,} articles",
                f"{wall:.2f} s {peak:5.0f} MB",
                f"{target} ({ratio:.1f}x floor)",
                met,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="Comma-separated article counts for first `digest render` runs ('' for none).",
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]

    texts = generated_articles(options.articles)
    digest_cmd = shutil.which("digest") or str(Path(sys.executable).parent / "digest")
    rate = bench_summarise(texts, options.repeat)
    render_ms = bench_render(texts, options.repeat * 4)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "articles").mkdir()
        for n, text in enumerate(texts):
            (work / "articles" / f"{n:05d}.txt").write_text(text, encoding="utf-8")
        (work / "digest.toml").write_text('sources = ["articles"]\nmax_items = 30\n')
        fresh = lambda: shutil.rmtree(work / "outbox", True)  # noqa: E731
        render_s = bench_cli([digest_cmd, "render"], work, 3, setup=fresh)
        help_s = bench_cli([digest_cmd, "--help"], work, options.repeat)
        shutil.copytree(ROOT / "seeds", work / "seeds")
        (work / "digest.toml").write_text('sources = ["seeds"]\n')
        seeds_s = bench_cli([digest_cmd, "render"], work, options.repeat, fresh)

    rows = [
        ("summarise", f"{rate:,.0f} articles/s", ">= 2,000 articles/s", rate >= 2000),
        ("render 30-item issue", f"{render_ms:.1f} ms", "< 20 ms", render_ms < 20),
        (f"digest render, {len(texts)} articles", f"{render_s:.2f} s", "< 2 s", render_s < 2),
        ("digest render, the seeds", f"{seeds_s * 1000:.0f} ms", "< 250 ms", seeds_s < 0.25),
        ("digest --help", f"{help_s * 1000:.0f} ms", "< 300 ms", help_s < 0.3),
        *bench_first_runs(digest_cmd, sizes),
    ]
    print(f"{'measure':<32} {'result':>18}  {'target':<34} ")
    for name, result, target, met in rows:
        verdict = ("met" if met else "MISSED") if target else ""
        print(f"{name:<32} {result:>18}  {target:<34} {verdict}")


if __name__ == "__main__":
    main()
