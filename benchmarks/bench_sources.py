"""Reading feeds: 50 feeds of 100 entries from a loopback HTTP server, cold then warm.

Prints figures against the targets of the sources issue; it asserts nothing (timings
never belong in pass/fail tests). Run it from the repository root:

    python benchmarks/bench_sources.py [--feeds 50] [--entries 100] [--repeat 3]

Targets: a warm run (every feed unchanged, so every answer a ``304``) sends no body
and is at least 5x faster than the cold run (empty cache); entries parsed and
summarised per second are printed beside the rate of the same corpus read from
local files, the way to read feeds without the network (and of summarising alone).

The server is ``http.server`` on 127.0.0.1 in a separate process (so that it does not
share the reader's GIL), HTTP/1.1 with keep-alive, serving generated RSS 2.0 feeds
with an ``ETag`` and a ``Last-Modified`` (no ``Cache-Control``, so every run asks),
and counting on its side the requests, the ``304``s and the body bytes it sent.
``read_sources`` connects to the address named, which may be loopback (only a
redirect from a public host to a private address is refused), and never uses
environment proxies, so no ``no_proxy`` is needed.

Each run is timed twice: ``read_sources`` alone (fetch, cache, parse: the figure
the 5x target is about), and then summarising its articles with the settings'
summariser (``pipeline.summariser``). The `fetch only` rows time the same URLs
through a ``Fetcher`` without parsing, to show where a run's time goes. `restart`
is a warm run in a fresh Python process (what the daemon or cron meets), timed
inside it, so without the interpreter's start-up (but with the first use of httpx
and feedparser, which ``digest.sources`` imports when first needed).

A warm run still parses every feed: ``read_sources`` returns articles, and a ``304``
saves only the download and the cache write. The `parsing's share` row says how much
of a warm read that is; it bounds the warm/cold speed-up at 1 / (that share), well
under 5x on loopback, where a download costs next to nothing. The `connections` check
says whether connections were reused across ``304``s as across ``200``s.

Other work on the machine shows in every figure: the load average is printed before
and after.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting_server import CountingServer  # noqa: E402

from digest.config import Settings  # noqa: E402
from digest.pipeline import summariser  # noqa: E402
from digest.sources import read_sources  # noqa: E402
from digest.sources.fetch import PARALLEL, PER_HOST, Fetcher  # noqa: E402

SPEED_UP = 5.0
"""Warm runs at least this many times faster than cold."""
RATE = 1000.0
"""Entries parsed and summarised a second."""

# The server process: serves the feeds in argv[1] (a folder of NN.xml) at /feeds/NN.xml,
# prints its port, then answers each line on stdin ("count", "reset") with one JSON
# line of what it sent since the last reset; stops at the end of stdin.
_SERVER = """
import contextlib, hashlib, json, sys, threading
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MODIFIED = "Wed, 20 Nov 2024 08:00:00 GMT"
feeds = {}
for path in sorted(Path(sys.argv[1]).glob("*.xml")):
    body = path.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    feeds["/feeds/" + path.name] = (body, etag)
lock = threading.Lock()
fresh = lambda: {"requests": 0, "200": 0, "304": 0, "other": 0, "bytes": 0, "connections": 0}
counts = fresh()

def unchanged(headers, etag):
    match = headers.get("If-None-Match")
    if match is not None:
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(MODIFIED)
    except (TypeError, ValueError):
        return False

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            counts["connections"] += 1

    def do_GET(self):
        found = feeds.get(self.path)
        if found is None:
            status, body, etag = 404, b"not here\\n", None
        else:
            body, etag = found
            status = 304 if unchanged(self.headers, etag) else 200
        self.send_response(status)
        if etag is not None:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", MODIFIED)
        if status != 304:
            kind = "application/rss+xml" if status == 200 else "text/plain"
            self.send_header("Content-Type", kind + "; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        sent = 0
        if status != 304:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
                sent = len(body)
        with lock:
            counts["requests"] += 1
            key = str(status) if status in (200, 304) else "other"
            counts[key] += 1
            counts["bytes"] += sent

    def log_message(self, format, *args):
        pass

httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
httpd.daemon_threads = True
threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
print(httpd.server_address[1], flush=True)
for line in sys.stdin:
    with lock:
        print(json.dumps(counts), flush=True)
        if line.strip() == "reset":
            counts = fresh()
httpd.shutdown()
"""

# A warm run in a fresh process: argv[1] the cache folder, then the URLs.
_RESTART = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from digest.sources import read_sources
imported = time.perf_counter()
report = read_sources(sys.argv[2:], cache_dir=Path(sys.argv[1]))
done = time.perf_counter()
print(json.dumps({"import": imported - start, "read": done - imported,
                  "articles": len(report.articles), "problems": len(report.problems)}))
"""


class Server(CountingServer):
    """The counting HTTP server; ``take_count`` gives requests, 200s, 304s, other
    answers, body bytes and connections opened."""

    def __init__(self, folder: Path) -> None:
        super().__init__(_SERVER, str(folder))


# --- the corpus ------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def seed_sentences() -> list[str]:
    """Every sentence of the seed articles: real prose to make entries from."""
    found = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [s.strip() for s in _SENTENCE.split(line) if len(s.split()) >= 6]
    return found


def feed_xml(number: int, entries: int, sentences: list[str], rng: random.Random) -> bytes:
    """One RSS 2.0 feed of ``entries`` entries, each a title, a link, a unique guid,
    a date and a description of a few sentences (escaped HTML, as most feeds send)."""
    site = f"https://news{number:02d}.example.org"
    start = datetime(2024, 11, 20, 8, tzinfo=UTC)
    items = []
    for n in range(entries):
        words = rng.choice(sentences).rstrip('.!?”"').split()
        title = " ".join(words[: rng.randint(6, 11)])
        paragraphs = [
            " ".join(rng.sample(sentences, rng.randint(2, 3))) for _ in range(rng.randint(1, 3))
        ]
        body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        when = format_datetime(start - timedelta(hours=3 * n))
        link = f"{site}/{2024 - n // 300}/{n:04d}-{'-'.join(words[:4]).lower()}"
        items.append(
            "    <item>\n"
            f"      <title>{html.escape(title)}</title>\n"
            f"      <link>{html.escape(link)}</link>\n"
            f'      <guid isPermaLink="false">{site}/entry/{number:02d}-{n:04d}</guid>\n'
            f"      <pubDate>{when}</pubDate>\n"
            f"      <description>{html.escape(body)}</description>\n"
            "    </item>\n"
        )
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
        f"    <title>News {number:02d}</title>\n    <link>{site}/</link>\n"
        f"    <description>Generated feed {number:02d}</description>\n"
    )
    return (head + "".join(items) + "  </channel>\n</rss>\n").encode("utf-8")


def write_corpus(folder: Path, feeds: int, entries: int, seed: int = 7) -> int:
    """``feeds`` feeds as ``folder``/NN.xml; their total size in bytes."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    folder.mkdir(parents=True)
    total = 0
    for number in range(feeds):
        data = feed_xml(number, entries, sentences, rng)
        (folder / f"{number:02d}.xml").write_bytes(data)
        total += len(data)
    return total


# --- the runs --------------------------------------------------------------------------


@dataclass
class Run:
    read_s: float
    """``read_sources`` alone: fetching (or reading files), the cache, parsing."""
    summarise_s: float
    articles: int
    problems: int
    sent: dict[str, int]
    """What the server counted during the run (empty for local files)."""

    @property
    def total_s(self) -> float:
        return self.read_s + self.summarise_s

    @property
    def rate(self) -> float:
        """Entries parsed and summarised a second."""
        return self.articles / self.total_s


def timed_read(
    specs: list[str], cache: Path | None, settings: Settings, server: Server | None
) -> Run:
    summarise_one = summariser(settings)
    start = time.perf_counter()
    report = read_sources(specs, cache_dir=cache)
    read_s = time.perf_counter() - start
    sent = server.take_count() if server is not None else {}
    start = time.perf_counter()
    for article in report.articles:
        summarise_one(article)
    summarise_s = time.perf_counter() - start
    return Run(read_s, summarise_s, len(report.articles), len(report.problems), sent)


def timed_fetch(urls: list[str], cache: Path, server: Server) -> tuple[float, dict[str, int]]:
    """Wall seconds to fetch every URL (as ``read_sources`` would: one ``Fetcher``,
    threads), nothing parsed; and what the server sent."""
    start = time.perf_counter()
    with (
        Fetcher(max_bytes=5_000_000, timeout=10.0, cache_dir=cache) as fetcher,
        ThreadPoolExecutor(max_workers=min(len(urls), 32)) as threads,
    ):
        list(threads.map(fetcher.fetch, urls))
    return time.perf_counter() - start, server.take_count()


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda run: run.read_s)


def restart_run(urls: list[str], cache: Path, server: Server) -> tuple[dict, dict[str, int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    out = subprocess.run(
        [sys.executable, "-c", _RESTART, str(cache), *urls],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.splitlines()[-1]), server.take_count()


def sent_text(sent: dict[str, int]) -> str:
    if not sent:
        return "(local files)"
    other = f" {sent['other']} other" if sent["other"] else ""
    return (
        f"{sent['requests']} req, {sent['200']}x200 {sent['304']}x304{other}, "
        f"{sent['bytes']:,} B body, {sent['connections']} conn"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50, help="Feeds served (default 50).")
    parser.add_argument(
        "--entries", type=int, default=100, help="Entries in each feed (default 100)."
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="Runs of each kind (each cold run on a new, empty cache); the best is shown.",
    )
    options = parser.parse_args()
    settings = Settings()
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="bench-sources-") as tmp:
        work = Path(tmp)
        size = write_corpus(work / "feeds", options.feeds, options.entries)
        files = [str(path) for path in sorted((work / "feeds").glob("*.xml"))]
        server = Server(work / "feeds")
        try:
            urls = [f"http://127.0.0.1:{server.port}/feeds/{Path(f).name}" for f in files]
            # Imports, the template and regex caches: paid once, by neither run.
            timed_read(files[:1], None, settings, None)

            local = best([timed_read(files, None, settings, None) for _ in range(options.repeat)])
            colds, warms = [], []
            for n in range(options.repeat):
                cache = work / f"cache-{n}"
                colds.append(timed_read(urls, cache, settings, server))
                warms.append(timed_read(urls, cache, settings, server))
            cold, warm = best(colds), best(warms)
            restart, restart_sent = restart_run(urls, work / "cache-0", server)

            fetch_cold, fetch_warm = [], []
            for n in range(options.repeat):
                cache = work / f"fetch-cache-{n}"
                fetch_cold.append(timed_fetch(urls, cache, server))
                fetch_warm.append(timed_fetch(urls, cache, server))
            fetch_cold_s, fetch_cold_sent = min(fetch_cold)
            fetch_warm_s, fetch_warm_sent = min(fetch_warm)
        finally:
            server.stop()

    entries = options.feeds * options.entries
    speed_up = cold.read_s / warm.read_s
    restart_speed_up = cold.read_s / restart["read"]
    no_body = (
        all(
            run.sent["bytes"] == 0 and run.sent["304"] == run.sent["requests"] == options.feeds
            for run in warms
        )
        and restart_sent["bytes"] == 0
        and restart_sent["304"] == options.feeds
    )
    rows: list[tuple[str, str, str, bool | None]] = [
        (
            "read, local files",
            f"{local.read_s:.2f} s",
            sent_text(local.sent),
            None,
        ),
        ("read, cold (empty cache)", f"{cold.read_s:.2f} s", sent_text(cold.sent), None),
        ("read, warm (all 304)", f"{warm.read_s:.2f} s", sent_text(warm.sent), None),
        (
            "read, warm after a restart",
            f"{restart['read']:.2f} s",
            f"{sent_text(restart_sent)}; +{restart['import']:.2f} s imports",
            None,
        ),
        (
            "fetch only, cold",
            f"{fetch_cold_s:.2f} s",
            sent_text(fetch_cold_sent),
            None,
        ),
        (
            "fetch only, warm",
            f"{fetch_warm_s:.2f} s",
            sent_text(fetch_warm_sent),
            None,
        ),
        ("warm sends no body", "yes" if no_body else "NO", "0 B body, every answer 304", no_body),
        (
            "speed-up, warm over cold",
            f"{speed_up:.1f}x",
            f">= {SPEED_UP:g}x (restart: {restart_speed_up:.1f}x)",
            speed_up >= SPEED_UP,
        ),
        (
            "speed-up, fetch only",
            f"{fetch_cold_s / fetch_warm_s:.1f}x",
            "(nothing parsed: the network's share)",
            None,
        ),
        (
            "parsing's share of a warm read",
            f"{1 - fetch_warm_s / warm.read_s:.0%}",
            "(read, warm less fetch only, warm)",
            None,
        ),
    ]
    for name, run in (("local files", local), ("cold", cold), ("warm", warm)):
        rows.append(
            (
                f"parsed + summarised, {name}",
                f"{run.rate:,.0f} entries/s",
                f">= {RATE:,.0f} entries/s (summarise {run.summarise_s:.2f} s)",
                run.rate >= RATE,
            )
        )
    print(
        f"{options.feeds} feeds x {options.entries} entries ({entries:,} entries, "
        f"{size / 1e6:.1f} MB) from 127.0.0.1; fetcher: {PARALLEL} requests at a time, "
        f"{PER_HOST} a host; best of {options.repeat}; {os.cpu_count()} cores, "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(f"{'measure':<32} {'result':>18}  {'target / what the server sent':<50}")
    for name, result, target, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"{name:<32} {result:>18}  {target:<50} {verdict}")
    print()
    checks = [
        (
            f"every run read {entries:,} entries",
            all(run.articles == entries for run in [local, *colds, *warms])
            and restart["articles"] == entries,
        ),
        (
            "no problems in any run",
            all(run.problems == 0 for run in [local, *colds, *warms]) and restart["problems"] == 0,
        ),
        (
            f"connections reused, 304s too (at most {PER_HOST} a run)",
            all(run.sent["connections"] <= PER_HOST for run in [*colds, *warms])
            and restart_sent["connections"] <= PER_HOST,
        ),
        (
            f"every cold run: {options.feeds} requests, all 200",
            all(run.sent["200"] == run.sent["requests"] == options.feeds for run in colds),
        ),
    ]
    for name, ok in checks:
        print(f"{'ok    ' if ok else 'FAILED'} {name}")


if __name__ == "__main__":
    main()
