"""Tests for fetching URLs: a real HTTP server on 127.0.0.1, counted on its side.

The cache (ETag, Last-Modified, max-age, Retry-After, across a restart), the address
rules (redirects to private addresses, DNS rebinding, TLS by name to a checked
address), the limits (size, time, requests per host) and connection reuse.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore
import pytest

from digest import pipeline
from digest.config import Settings
from digest.pipeline import collect, http_cache
from digest.sources import read_linked, read_sources
from digest.sources.fetch import Fetcher, FetchError
from tests.helpers import self_signed

FEED = (Path(__file__).parent / "fixtures" / "sources" / "feed.rss").read_bytes()
SECRET = b"Internal only: the admin password is hunter2\n"
LAST_MODIFIED = "Wed, 20 Nov 2024 08:00:00 GMT"


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    host: str
    headers: dict[str, str]
    status: int = 0
    body_bytes: int = 0


@dataclass
class Site:
    """What the test server serves and what it saw, counted on its side."""

    port: int = 0
    routes: dict[str, Callable[[Handler], None]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    connections: int = 0
    open_connections: int = 0
    most_connections: int = 0
    active: int = 0
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so that reuse shows
    site: Site

    def setup(self) -> None:
        super().setup()
        with self.site.lock:
            self.site.connections += 1
            self.site.open_connections += 1
            self.site.most_connections = max(
                self.site.most_connections, self.site.open_connections
            )

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.site.lock:
            self.site.open_connections -= 1

    def do_GET(self) -> None:
        self.seen = Seen(self.path, self.headers.get("Host", ""), dict(self.headers.items()))
        with self.site.lock:
            self.site.requests.append(self.seen)
            self.site.active += 1
            self.site.most_active = max(self.site.most_active, self.site.active)
        try:
            route = self.site.routes.get(self.path.split("?")[0])
            if route is None:
                self.reply(404, b"not here\n")
            else:
                route(self)
        finally:
            with self.site.lock:
                self.site.active -= 1

    def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.seen.status = status
        self.send_response(status)
        headers.setdefault("Content-Type", "text/plain")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
            self.seen.body_bytes = len(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serving(site: Site, tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    handler = type("SiteHandler", (Handler,), {"site": site})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    site.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


def feed_with_etag(handler: Handler) -> None:
    if handler.headers.get("If-None-Match") == '"v1"':
        handler.reply(304, ETag='"v1"')
    else:
        handler.reply(200, FEED, Content_Type="application/rss+xml", ETag='"v1"')


def feed_with_date(handler: Handler) -> None:
    if handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
        handler.reply(304)
    else:
        handler.reply(200, FEED, Content_Type="application/rss+xml", Last_Modified=LAST_MODIFIED)


def fresh_for_an_hour(handler: Handler) -> None:
    handler.reply(200, FEED, Content_Type="application/rss+xml", Cache_Control="max-age=3600")


def slowly(handler: Handler) -> None:
    time.sleep(0.3)
    handler.reply(200, b"A line of text.\n")


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    site.routes.update(
        {
            "/feed": feed_with_etag,
            "/dated-feed": feed_with_date,
            "/fresh-feed": fresh_for_an_hour,
            "/slow": slowly,
            "/secret": lambda h: h.reply(200, SECRET),
            "/plain-feed": lambda h: h.reply(200, FEED, Content_Type="application/rss+xml"),
        }
    )
    with _serving(site):
        yield site


def titles(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [article.title for article in report.articles]


# --- the cache ----------------------------------------------------------------------


def test_an_unchanged_feed_costs_one_304_without_a_body(site: Site, tmp_path: Path) -> None:
    url = f"{site.url}/feed"

    first = read_sources([url], cache_dir=tmp_path)
    second = read_sources([url], cache_dir=tmp_path)

    assert first.problems == [] and second.problems == []
    assert second.articles == first.articles and len(first.articles) == 3
    first_seen, second_seen = site.requests
    assert "If-None-Match" not in first_seen.headers
    assert (first_seen.status, first_seen.body_bytes) == (200, len(FEED))
    assert second_seen.headers["If-None-Match"] == '"v1"'
    assert (second_seen.status, second_seen.body_bytes) == (304, 0)


def test_a_304_leaves_its_connection_open_for_the_next_request(site: Site, tmp_path: Path) -> None:
    urls = [f"{site.url}/feed?{n}" for n in range(5)]
    read_sources(urls, cache_dir=tmp_path)
    before = site.connections

    again = read_sources(urls, cache_dir=tmp_path)

    assert [r.status for r in site.requests[-5:]] == [304] * 5
    assert len(again.articles) == 15
    # Closing each 304 unread made every unchanged feed a new connection (and over
    # https a new handshake): a warm run is exactly what the cache is for.
    assert site.connections - before <= 2


def test_the_304_holds_across_a_restart(site: Site, tmp_path: Path) -> None:
    url = f"{site.url}/feed"
    first = read_sources([url], cache_dir=tmp_path)
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from digest.sources import read_sources\n"
        "report = read_sources([sys.argv[1]], cache_dir=Path(sys.argv[2]))\n"
        "print(json.dumps([[a.title, a.url] for a in report.articles] + [str(p) for p in"
        " report.problems]))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code, url, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert json.loads(result.stdout) == [[a.title, a.url] for a in first.articles]
    assert [(s.status, s.body_bytes) for s in site.requests] == [(200, len(FEED)), (304, 0)]
    assert site.requests[1].headers["If-None-Match"] == '"v1"'


def test_last_modified_is_sent_back_as_if_modified_since(site: Site, tmp_path: Path) -> None:
    url = f"{site.url}/dated-feed"

    read_sources([url], cache_dir=tmp_path)
    again = read_sources([url], cache_dir=tmp_path)

    assert len(again.articles) == 3 and again.problems == []
    assert site.requests[1].headers["If-Modified-Since"] == LAST_MODIFIED
    assert (site.requests[1].status, site.requests[1].body_bytes) == (304, 0)


def test_a_feed_without_validators_or_lifetime_is_fetched_in_full_each_time(
    site: Site, tmp_path: Path
) -> None:
    url = f"{site.url}/plain-feed"

    read_sources([url], cache_dir=tmp_path)
    read_sources([url], cache_dir=tmp_path)

    assert [(s.status, s.body_bytes) for s in site.requests] == [(200, len(FEED))] * 2
    assert not {"If-None-Match", "If-Modified-Since"} & set(site.requests[1].headers)


def test_a_fresh_max_age_means_no_request_at_all(site: Site, tmp_path: Path) -> None:
    url = f"{site.url}/fresh-feed"

    first = read_sources([url], cache_dir=tmp_path)
    second = read_sources([url], cache_dir=tmp_path)

    assert second.articles == first.articles and second.problems == []
    assert len(site.requests) == 1


def test_once_max_age_has_passed_the_feed_is_asked_for_again(site: Site, tmp_path: Path) -> None:
    url = f"{site.url}/fresh-feed"
    now = [1_000_000.0]

    def fetcher() -> Fetcher:
        return Fetcher(max_bytes=1_000_000, timeout=5, cache_dir=tmp_path, clock=lambda: now[0])

    with fetcher() as one:
        one.fetch(url)
    now[0] += 3599
    with fetcher() as two:
        two.fetch(url)
    assert len(site.requests) == 1
    now[0] += 2
    with fetcher() as three:
        three.fetch(url)
    assert len(site.requests) == 2


def test_without_a_cache_folder_nothing_is_kept(site: Site) -> None:
    read_sources([f"{site.url}/feed"])
    read_sources([f"{site.url}/feed"])

    assert [s.status for s in site.requests] == [200, 200]


def test_pipeline_keeps_the_cache_beside_the_outbox(site: Site, tmp_path: Path) -> None:
    settings = Settings(sources=[f"{site.url}/feed"], outbox=tmp_path / "outbox")

    first = collect(settings)
    second = collect(settings)

    assert [c.id for c in second.candidates] == [c.id for c in first.candidates]
    assert [s.status for s in site.requests] == [200, 304]
    assert http_cache(settings.outbox) == tmp_path / "outbox" / ".cache" / "http"
    assert len(list(http_cache(settings.outbox).glob("*.http"))) == 1


def test_an_unreadable_cache_entry_costs_a_full_fetch_not_the_source(
    site: Site, tmp_path: Path
) -> None:
    url = f"{site.url}/feed"
    read_sources([url], cache_dir=tmp_path)
    for entry in [*tmp_path.glob("*.http"), *tmp_path.glob("parsed/*")]:
        entry.write_bytes(b"{not json\n")

    report = read_sources([url], cache_dir=tmp_path)

    assert len(report.articles) == 3 and report.problems == []
    assert [s.status for s in site.requests] == [200, 200]


def test_an_unchanged_feed_is_not_parsed_again_but_a_changed_one_is(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digest.sources.feed import FeedReader

    parsed: list[str] = []
    read = FeedReader.read
    monkeypatch.setattr(
        FeedReader, "read", lambda self, raw: parsed.append(raw.source) or read(self, raw)
    )
    url = f"{site.url}/feed"

    first = read_sources([url], cache_dir=tmp_path)
    second = read_sources([url], cache_dir=tmp_path)
    assert [s.status for s in site.requests] == [200, 304]
    assert second == first and len(parsed) == 1

    changed = FEED.replace(
        b"<item>",
        b"<item><title>Fresh news</title><description>New.</description></item><item>",
        1,
    )
    site.routes["/feed"] = lambda h: h.reply(
        200, changed, Content_Type="application/rss+xml", ETag='"v2"'
    )
    third = read_sources([url], cache_dir=tmp_path)
    assert len(parsed) == 2
    assert titles(third)[0] == "Fresh news" and len(third.articles) == 4


def test_no_store_is_not_kept(site: Site, tmp_path: Path) -> None:
    site.routes["/private"] = lambda h: h.reply(
        200, b"Mine.\n", ETag='"x"', Cache_Control="no-store"
    )

    read_sources([f"{site.url}/private"], cache_dir=tmp_path)

    assert list(tmp_path.iterdir()) == []


# --- Retry-After --------------------------------------------------------------------


def test_retry_after_on_503_uses_the_cached_copy_and_waits(site: Site, tmp_path: Path) -> None:
    url = f"{site.url}/feed"
    first = read_sources([url], cache_dir=tmp_path)
    site.routes["/feed"] = lambda h: h.reply(503, b"busy\n", Retry_After="120")

    busy = read_sources([url], cache_dir=tmp_path)
    waiting = read_sources([url], cache_dir=tmp_path)

    assert busy.articles == first.articles == waiting.articles
    [problem] = busy.problems
    assert problem.level == "warning"
    assert problem.message.startswith("HTTP 503 Service Unavailable: retry after 20")
    assert "UTC; used the copy of 20" in problem.message
    [later] = waiting.problems
    assert later.level == "warning"
    assert later.message.startswith("not fetched: the server asked to wait until 20")
    assert len(site.requests) == 2, "asked again before Retry-After"


def test_retry_after_without_a_cached_copy_is_an_error(site: Site, tmp_path: Path) -> None:
    site.routes["/busy"] = lambda h: h.reply(429, b"slow down\n", Retry_After="60")

    report = read_sources([f"{site.url}/busy"], cache_dir=tmp_path)
    again = read_sources([f"{site.url}/busy"], cache_dir=tmp_path)

    assert report.articles == []
    [problem] = report.problems
    assert problem.level == "error"
    assert problem.message.startswith("HTTP 429 Too Many Requests: retry after 20")
    assert again.problems[0].message.startswith("not fetched: the server asked to wait")
    assert len(site.requests) == 1


# --- addresses: redirects, rebinding, TLS -------------------------------------------


class Network:
    """A stand-in for DNS and the internet: public names and addresses, all answered
    by the local server, with every address connected to written down."""

    def __init__(self, port: int, names: dict[str, list[list[str]]]) -> None:
        self.port = port
        self.names = names
        """Each name's answers, one list per lookup (the last one repeats)."""
        self.asked: list[str] = []
        self.connected: list[str] = []

    def resolve(self, host: str) -> list[str]:
        self.asked.append(host)
        answers = self.names[host]
        return answers[min(self.asked.count(host), len(answers)) - 1]

    def connect(self, address: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
        self.connected.append(address)
        return httpcore.SyncBackend().connect_tcp("127.0.0.1", self.port, timeout=timeout)

    def fetcher(self, **options: object) -> Fetcher:
        return Fetcher(
            max_bytes=1_000_000,
            timeout=5,
            resolve=self.resolve,
            connect=self.connect,
            **options,  # type: ignore[arg-type]
        )


PUBLIC = {
    "news.example.org": [["93.184.216.34"]],
    "cdn.example.net": [["93.184.216.35"]],
    "sneaky.example.org": [["93.184.216.36", "192.168.0.7"]],
    # Public for the check, loopback for the connection: DNS rebinding.
    "rebind.example.org": [["93.184.216.37"], ["127.0.0.1"]],
}


def test_a_public_feed_redirecting_to_a_private_address_is_refused(site: Site) -> None:
    secret = f"{site.url}/secret"
    site.routes["/moved"] = lambda h: h.reply(302, Location=secret)
    network = Network(site.port, PUBLIC)

    with network.fetcher() as fetcher, pytest.raises(FetchError) as refused:
        fetcher.fetch("http://news.example.org/moved")

    assert str(refused.value) == f"refused redirect to a private address {secret}"
    assert site.paths() == ["/moved"]  # never /secret
    assert network.connected == ["93.184.216.34"]


@pytest.mark.parametrize("target", ["http://localhost/secret", "http://sneaky.example.org/"])
def test_a_redirect_to_a_name_with_a_private_address_is_refused(site: Site, target: str) -> None:
    site.routes["/moved"] = lambda h: h.reply(302, Location=target)
    network = Network(site.port, {**PUBLIC, "localhost": [["127.0.0.1"]]})

    with network.fetcher() as fetcher, pytest.raises(FetchError, match="refused redirect"):
        fetcher.fetch("http://news.example.org/moved")

    assert network.connected == ["93.184.216.34"]


def test_a_public_feed_redirecting_to_a_public_host_is_followed(site: Site) -> None:
    site.routes["/elsewhere"] = lambda h: h.reply(301, Location="http://cdn.example.net/feed")
    network = Network(site.port, PUBLIC)

    with network.fetcher() as fetcher:
        response = fetcher.fetch("http://news.example.org/elsewhere")

    assert response.url == "http://cdn.example.net/feed"
    assert response.body == FEED
    assert [s.host for s in site.requests] == ["news.example.org", "cdn.example.net"]
    assert network.connected == ["93.184.216.34", "93.184.216.35"]


def test_a_local_feed_may_redirect_to_a_private_address(site: Site) -> None:
    site.routes["/moved"] = lambda h: h.reply(302, Location="http://intranet.example.org/secret")
    network = Network(site.port, {"intranet.example.org": [["10.1.2.3"]]})

    with network.fetcher() as fetcher:
        assert fetcher.fetch(f"{site.url}/moved").body == SECRET

    assert network.connected == ["127.0.0.1", "10.1.2.3"]


def test_dns_rebinding_cannot_reach_the_address_it_was_not_checked_for(site: Site) -> None:
    site.routes["/moved"] = lambda h: h.reply(302, Location="http://rebind.example.org/feed")
    site.routes["/feed"] = lambda h: h.reply(200, FEED, Content_Type="application/rss+xml")
    network = Network(site.port, PUBLIC)

    with network.fetcher() as fetcher:
        response = fetcher.fetch("http://news.example.org/moved")

    # The name was looked up once: the connection went to the address that was checked.
    assert response.body == FEED
    assert network.asked.count("rebind.example.org") == 1
    assert network.connected == ["93.184.216.34", "93.184.216.37"]
    assert "127.0.0.1" not in network.connected


def test_a_rebinding_name_seen_private_first_is_refused(site: Site) -> None:
    site.routes["/moved"] = lambda h: h.reply(302, Location="http://flip.example.org/feed")
    names = {**PUBLIC, "flip.example.org": [["127.0.0.1"], ["93.184.216.38"]]}
    network = Network(site.port, names)

    with network.fetcher() as fetcher, pytest.raises(FetchError, match="refused redirect"):
        fetcher.fetch("http://news.example.org/moved")

    assert network.connected == ["93.184.216.34"]


def test_https_goes_to_the_checked_address_and_verifies_the_name(tmp_path: Path) -> None:
    server_tls, certificate = self_signed(tmp_path, "news.example.org")
    names_asked: list[str | None] = []
    server_tls.sni_callback = lambda _sock, name, _ctx: names_asked.append(name)
    trust = ssl.create_default_context(cafile=str(certificate))
    site = Site(routes={"/feed": feed_with_etag})

    with _serving(site, tls=server_tls):
        network = Network(site.port, {**PUBLIC, "other.example.org": [["93.184.216.39"]]})
        with network.fetcher(verify=trust) as fetcher:
            response = fetcher.fetch("https://news.example.org/feed")
            with pytest.raises(FetchError, match="certificate"):
                fetcher.fetch("https://other.example.org/feed")

    assert response.body == FEED
    assert names_asked == ["news.example.org", "other.example.org"]
    assert network.connected == ["93.184.216.34", "93.184.216.39"]


def test_proxy_variables_are_not_used(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # Through a proxy the address connected to would be the proxy's, not one checked.
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)

    report = read_sources([f"{site.url}/feed"])

    assert report.problems == [] and len(report.articles) == 3


# --- many URLs: parsed in worker processes --------------------------------------------


def test_many_urls_read_as_their_files_would_be(site: Site, tmp_path: Path) -> None:
    """Enough URLs for their bodies to be parsed in worker processes: every article
    and problem comes back, in the order of the sources, as from the files."""
    fixtures = Path(__file__).parent / "fixtures" / "sources"
    names = ["feed.rss", "feed.atom", "links.rss", "links.atom", "same-link.rss"] * 4
    files = []
    for n, name in enumerate(names):
        path = tmp_path / f"{n:02}-{name}"
        path.write_bytes((fixtures / name).read_bytes())
        files.append(path)
    (tmp_path / "99-broken.rss").write_bytes(b"<rss><channel><item><title>Half")
    files.append(tmp_path / "99-broken.rss")
    for path in files:
        body = path.read_bytes()
        site.routes[f"/{path.name}"] = lambda h, body=body: h.reply(
            200, body, Content_Type="application/xml"
        )
    urls = [f"{site.url}/{path.name}" for path in files]

    fetched = read_sources(urls, cache_dir=tmp_path / "cache")
    local = read_sources([str(path) for path in files])

    def shape(report, sources: list[str]):  # type: ignore[no-untyped-def]
        where = {source: n for n, source in enumerate(sources)}
        articles = [(where[a.source], a.title, a.url, a.blocks) for a in report.articles]
        return articles, [(where[p.source], p.message) for p in report.problems]

    assert len(fetched.articles) > 40
    assert shape(fetched, urls) == shape(local, [str(path) for path in files])


# --- limits -------------------------------------------------------------------------


def test_the_size_limit_counts_decoded_bytes(site: Site) -> None:
    bomb = gzip.compress(b"\n" * 2_000_000)
    site.routes["/bomb"] = lambda h: h.reply(200, bomb, Content_Encoding="gzip")

    report = read_sources([f"{site.url}/bomb"], max_bytes=100_000)

    assert len(bomb) < 100_000
    assert [p.message for p in report.problems] == ["skipped: response is over the 100.0 kB limit"]


def test_a_trickling_server_is_stopped_by_the_deadline(site: Site) -> None:
    def trickle(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(100):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)

    site.routes["/trickle"] = trickle
    start = time.perf_counter()

    report = read_sources([f"{site.url}/trickle"], timeout=0.5)

    assert time.perf_counter() - start < 2.5
    assert [p.message for p in report.problems] == ["cannot fetch: timed out after 0.5 s"]


def test_too_many_redirects(site: Site) -> None:
    site.routes["/loop"] = lambda h: h.reply(302, Location="/loop")

    report = read_sources([f"{site.url}/loop"])

    assert [p.message for p in report.problems] == ["cannot fetch: more than 10 redirects"]
    assert len(site.requests) == 11


def test_requests_per_host_are_limited_and_connections_reused(site: Site) -> None:
    urls = [f"{site.url}/slow?{n}" for n in range(6)]

    report = read_sources(urls)

    assert [a.source for a in report.articles] == urls  # in the order given
    assert site.most_active == 2, "two requests to the host at a time, no more, no fewer"
    assert site.most_connections <= 2
    assert site.connections == 2, "each connection is reused"


def test_other_hosts_are_not_held_up_by_a_busy_one(site: Site) -> None:
    together = threading.Barrier(4, timeout=5)  # broken, and the test fails, unless 4 meet

    def meet(handler: Handler) -> None:
        together.wait()
        handler.reply(200, b"A line of text.\n")

    site.routes["/slow"] = meet
    port = site.port
    urls = [
        f"http://{host}:{port}/slow?{n}" for host in ("127.0.0.1", "localhost") for n in (1, 2)
    ]

    report = read_sources(urls)

    assert [a.source for a in report.articles] == urls
    assert site.most_active == 4


def test_the_cli_and_the_pipeline_do_not_import_httpx_until_a_url_is_read() -> None:
    code = (
        "import sys, digest.cli, digest.pipeline, digest.sources\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'httpx', 'httpcore'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )

    assert result.stdout.strip() == "[]"


# --- fetch_linked: a link-only feed's pages read for a lead --------------------------

LINK_FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Links</title><link>http://example.com/</link>
<item><title>Bridge reopens after repairs</title><link>{base}/page</link>
<guid>link-1</guid></item>
<item><title>Library hours change</title><link>{base}/gone</link>
<guid>link-2</guid></item>
</channel></rss>
"""

PAGE = b"""<!doctype html><html><head><title>Bridge reopens</title></head><body>
<article><h1>Bridge reopens after repairs</h1>
<p>The old river bridge reopened to traffic on Monday after eight months of repairs,
the city council said, two weeks ahead of the schedule set last spring.</p>
<p>Engineers replaced the deck and strengthened the piers, and cyclists now have a
lane of their own in each direction across the river.</p>
<h2>What changes for drivers</h2>
<p>The speed limit on the bridge stays at thirty, and heavy lorries are still
banned from crossing it during the morning and evening rush hours.</p>
</article></body></html>
"""


def _link_site(site: Site) -> None:
    feed = LINK_FEED.replace(b"{base}", site.url.encode())
    site.routes["/links"] = lambda h: h.reply(200, feed, Content_Type="application/rss+xml")
    site.routes["/page"] = lambda h: h.reply(200, PAGE, Content_Type="text/html")
    site.routes["/gone"] = lambda h: h.reply(404, b"not here")


def _draft_links(site: Site, tmp_path: Path, *, fetch_linked: bool) -> pipeline.Outcome:
    _link_site(site)
    source = {"url": f"{site.url}/links", "fetch_linked": fetch_linked}
    settings = Settings(sources=[source], outbox=tmp_path / "outbox")
    return pipeline.draft(settings, now=datetime(2026, 12, 7, 7, tzinfo=UTC))


def test_without_fetch_linked_link_entries_go_out_as_links_and_no_page_is_fetched(
    site: Site, tmp_path: Path
) -> None:
    outcome = _draft_links(site, tmp_path, fetch_linked=False)

    assert outcome.issue is not None
    items = outcome.issue.items
    assert [(i.title, i.kind, i.lead) for i in items] == [
        ("Bridge reopens after repairs", "link", ""),
        ("Library hours change", "link", ""),
    ]
    assert site.paths() == ["/links"]
    # The loopback server speaks http, so each link is noted as not shown; nothing else.
    assert [p.message for p in outcome.problems] == [
        f"item 1 'Bridge reopens after repairs': link {site.url}/page is not shown (not https)",
        f"item 2 'Library hours change': link {site.url}/gone is not shown (not https)",
    ]


def test_fetch_linked_gives_a_link_the_lead_and_headings_of_its_page(
    site: Site, tmp_path: Path
) -> None:
    outcome = _draft_links(site, tmp_path, fetch_linked=True)

    assert outcome.issue is not None and outcome.rendered is not None
    bridge, library = outcome.issue.items
    assert bridge.title == "Bridge reopens after repairs"
    assert bridge.url == f"{site.url}/page"
    assert bridge.lead.startswith("The old river bridge reopened to traffic on Monday")
    assert "What changes for drivers" in bridge.headings
    assert "eight months of repairs" in " ".join(outcome.rendered.text.split())
    # The page that 404s leaves its entry as a link, with one note naming the page.
    assert (library.title, library.kind, library.lead) == ("Library hours change", "link", "")
    # (Besides the notes that the loopback server's http links are not shown.)
    problems = [p for p in outcome.problems if "is not shown (not https)" not in p.message]
    assert [(p.source, p.level) for p in problems] == [(f"{site.url}/links", "warning")]
    assert f"{site.url}/gone" in problems[0].message
    assert "404" in problems[0].message
    assert sorted(site.paths()) == ["/gone", "/links", "/page"]


def test_a_public_feed_may_not_link_digest_to_a_private_address(site: Site) -> None:
    from digest.models import Article

    link = Article(
        source="http://news.example.org/feed",
        blocks=(),
        title="Inside job",
        url=f"{site.url}/page",
        kind="link",
    )

    [kept], problems = read_linked([link], resolve=Network(site.port, PUBLIC).resolve)

    assert kept == link
    assert len(problems) == 1 and "private address" in problems[0].message
    assert site.requests == []
