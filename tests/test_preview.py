"""`digest preview`: the real server on 127.0.0.1 (port 0), asked real HTTP questions.

Every test starts a real uvicorn in a thread over a real site in ``tmp_path``
(config, sources, a copy of the templates, an outbox with finished issues and the
things that must never be served: staging folders, the lock, dotfiles, symlinks to
a secret outside). Live-reload tests edit files on disk and wait for the server to
notice; the waits have generous limits and are never what a test asserts.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar, TypeVar

import feedparser
import httpx
import lxml.html
import pytest

from digest import archive, outbox
from digest.config import load_settings
from digest.issue import assemble
from digest.preview import (
    LinkPolicy,
    PreviewServer,
    dark_variant,
    host_allowed,
    light_variant,
    pretty_html,
    suspicious_path,
)
from digest.render import render_issue
from tests.helpers import QuietHandler, local_http_server, make_item, self_signed

ROOT = Path(__file__).resolve().parent.parent
SECRET = "TOP-SECRET-DO-NOT-SERVE"
FIRST, SECOND = "2026-11-20-001", "2026-11-21-002"
T = TypeVar("T")


# --------------------------------------------------------------------------- the site


def make_site(root: Path) -> Path:
    """A newsletter folder: config, two sources, templates, an outbox with two
    issues, and bait that must never be served. Returns the config file."""
    root.mkdir(parents=True, exist_ok=True)
    news = root / "news"
    news.mkdir()
    for name in ("004_harbour_bridge_reopens.txt", "005_library_hours.txt"):
        shutil.copy(ROOT / "seeds" / name, news / name)
    shutil.copytree(ROOT / "templates", root / "templates")
    config = root / "digest.toml"
    config.write_text(
        'name = "Harbour Weekly"\n'
        'sender = "Harbour Weekly <news@example.com>"\n'
        'sources = ["news"]\noutbox = "outbox"\ntemplates = "templates"\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    for number, count in ((1, 2), (2, 3)):
        items = [make_item(number * 10 + n) for n in range(count)]
        day = date(2026, 11, 19 + number)
        issue = assemble(
            items,
            newsletter=settings.name,
            number=number,
            day=day,
            created_at=datetime(2026, 11, 19 + number, 7, tzinfo=UTC),
        )
        outbox.write_issue(settings.outbox, issue, render_issue(issue, settings))

    # Bait: none of this may ever come back from the server.
    box = settings.outbox
    outside = root / "outside"
    outside.mkdir()
    (outside / "issue.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    (outside / "issue.json").write_text(f'{{"subject": "{SECRET}"}}', encoding="utf-8")
    (outside / "issue.txt").write_text(SECRET, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    staging = box / ".staging-abc123"
    staging.mkdir()
    (staging / "issue.html").write_text(SECRET, encoding="utf-8")
    (box / ".lock").write_text(SECRET, encoding="utf-8")
    (box / ".env").write_text(SECRET, encoding="utf-8")
    (box / FIRST / ".notes").write_text(SECRET, encoding="utf-8")
    (box / "2026-11-18-000").symlink_to(outside, target_is_directory=True)
    (box / SECOND / "issue.txt").rename(box / SECOND / "issue.txt.orig")
    (box / SECOND / "issue.txt").symlink_to(outside / "issue.txt")
    return config


class Live:
    """A running preview server and a client that speaks to it."""

    def __init__(self, server: PreviewServer, config: Path) -> None:
        self.server = server
        self.config = config
        self.site = config.parent
        self.base = server.url.rstrip("/")
        self.client = httpx.Client(base_url=self.base, timeout=10)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def check_links(self, path: str) -> httpx.Response:
        """The link check as the preview's page starts it: a same-origin POST."""
        return self.client.post(
            path, headers={"Origin": self.base, "Sec-Fetch-Site": "same-origin"}
        )


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    config = make_site(tmp_path / "site")
    with running(config) as handle:
        yield handle


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server for the tests that only read."""
    config = make_site(tmp_path_factory.mktemp("shared") / "site")
    with running(config) as handle:
        yield handle


class running:
    def __init__(self, config: Path, **options: object) -> None:
        self.server = PreviewServer(config, **options)  # type: ignore[arg-type]
        self.config = config

    def __enter__(self) -> Live:
        self.server.start()
        self.live = Live(self.server, self.config)
        return self.live

    def __exit__(self, *exc: object) -> None:
        self.live.client.close()
        self.server.stop()


def eventually(probe: Callable[[], T | None], what: str, limit: float = 15.0) -> T:
    """``probe()`` once it is truthy; fails (naming ``what``) if it never becomes so."""
    deadline = time.monotonic() + limit
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def raw_request(
    port: int, target: str, *, method: str = "GET", host: str | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """A request with exactly this target and Host (http.client does not tidy paths)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if host != "":
            conn.putheader("Host", host or f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


# --------------------------------------------------------------------------- pages


def test_start_page_lists_issues_newest_first_and_the_draft(shared: Live) -> None:
    page = shared.get("/")
    assert page.status_code == 200
    body = page.text
    assert "Harbour Weekly" in body
    assert body.index(f"/issues/{SECOND}") < body.index(f"/issues/{FIRST}")
    assert "Harbour Weekly #2: Item number 20 has a title (+2 more)" in body
    assert "2026-11-21" in body and "#2" in body
    rows = body.split("<tbody>")[1]
    assert ">3</td>" in rows and ">2</td>" in rows  # item counts
    assert "KB</td>" in rows
    # The draft comes from the sources, numbered after the outbox, and nothing is written.
    assert "Harbour Weekly #3: Harbour Bridge Reopens" in body
    assert 'href="/issues/draft"' in body
    assert 'href="/archive/"' in body
    assert sorted(p.name for p in (shared.site / "outbox").iterdir()) == [
        ".env",
        ".lock",
        ".staging-abc123",
        "2026-11-18-000",
        FIRST,
        SECOND,
    ]
    assert SECRET not in body  # the symlinked folder is not even listed


def test_issue_page_shows_the_email_in_a_sandboxed_frame(shared: Live) -> None:
    page = shared.get(f"/issues/{FIRST}")
    assert page.status_code == 200
    body = page.text
    frames = [chunk.split(">")[0] for chunk in body.split("<iframe")[1:]]
    assert len(frames) == 2
    for frame in frames:
        assert 'sandbox="' in frame and "allow-scripts" not in frame
        assert "allow-same-origin" not in frame
    for control in ("width:phone", "width:column", "width:desktop", "mode:dark"):
        assert f'data-set="{control}"' in body
    for tab in ("email", "text", "source", "headers", "eml"):
        assert f'data-panel="{tab}"' in body
    # Inbox row: sender, subject, preheader.
    assert "Harbour Weekly #1: Item number 10 has a title (+1 more)" in body
    assert '<span class="inbox-sender">Harbour Weekly</span>' in body
    assert 'id="inbox-preheader">Item number 10 has a title · Item number 11 has a title' in body
    assert 'class="sizebar' in body and "of 102 KB" in body
    assert "No problems found." in body
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_plain_text_tab_marks_lines_over_78_columns(shared: Live) -> None:
    body = shared.get(f"/issues/{FIRST}").text
    assert 'class="plain"' in body and "column 78" in body
    assert 'class="line over"' not in body
    headers = body.split('data-panel="headers"')[1].split("</table>")[0]
    assert "List-Unsubscribe" in headers and "Message-ID" in headers


def test_email_is_served_sandboxed_and_has_a_dark_view(shared: Live) -> None:
    light = shared.get(f"/issues/{FIRST}/email.html")
    dark = shared.get(f"/issues/{FIRST}/email.html?mode=dark")
    assert light.status_code == dark.status_code == 200
    csp = light.headers["content-security-policy"]
    assert "sandbox" in csp and "allow-scripts" not in csp and "script-src" not in csp
    assert '<base target="_blank">' in light.text
    assert "Item number 10 has a title" in light.text
    # The bundled template styles dark mode, so the dark view switches those rules on
    # rather than simulating a client's colour inversion; the light view switches them
    # off, so a browser in dark mode still shows the light email there.
    on_disk = (shared.site / "outbox" / FIRST / "issue.html").read_text(encoding="utf-8")
    assert "prefers-color-scheme: dark" in on_disk
    assert "prefers-color-scheme: dark" not in dark.text and "invert(1)" not in dark.text
    assert "prefers-color-scheme" not in light.text
    assert "color-scheme:light only" in light.text


def test_issue_files_are_served_as_text(shared: Live) -> None:
    on_disk = (shared.site / "outbox" / FIRST / "issue.eml").read_bytes()
    eml = shared.get(f"/issues/{FIRST}/issue.eml")
    assert eml.status_code == 200 and eml.content == on_disk
    assert eml.headers["content-type"].startswith("text/plain")
    assert eml.headers["x-content-type-options"] == "nosniff"
    head = shared.client.head(f"/issues/{FIRST}/issue.eml")
    assert head.status_code == 200 and head.content == b""
    assert shared.get("/issues/draft/issue.json").json()["number"] == 3
    assert shared.get("/assets/preview.css").status_code == 200


def test_draft_page_renders_without_writing(shared: Live) -> None:
    page = shared.get("/issues/draft")
    assert page.status_code == 200
    assert "Draft of issue #3" in page.text and "not written" in page.text
    assert "Harbour Bridge Reopens" in shared.get("/issues/draft/email.html").text
    assert not (shared.site / "outbox" / "2026-11-25-003").exists()


# --------------------------------------------------------------------------- safety


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_only_get_and_head(shared: Live, method: str) -> None:
    for target in ("/", f"/issues/{FIRST}", "/nowhere"):
        status, _, headers = raw_request(shared.server.port, target, method=method)
        assert status == 405
        assert headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "attacker.test", "127.0.0.1:{other}", "localhost", "", "127.0.0.1"],
)
def test_foreign_host_headers_are_refused(shared: Live, host: str) -> None:
    port = shared.server.port
    status, body, _ = raw_request(port, "/", host=host.format(port=port, other=port + 1))
    assert status == 400
    assert b"Harbour" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_own_host_headers_are_served(shared: Live, host: str) -> None:
    port = shared.server.port
    assert raw_request(port, "/", host=host.format(port=port))[0] == 200


TRAVERSALS = [
    "/issues/../digest.toml",
    "/issues/../../secret.txt",
    f"/issues/{FIRST}/../../secret.txt",
    "/issues/..%2f..%2fsecret.txt",
    "/issues/%2e%2e/%2e%2e/secret.txt",
    "/issues/%2E%2E%2Fsecret.txt",
    "/issues/%252e%252e/secret.txt",
    f"/issues/{FIRST}%2fissue.json",
    f"/issues/{FIRST}/..%5c..%5csecret.txt",
    "/issues/..\\..\\secret.txt",
    "/assets/..%2f..%2fpreview.py",
    "/assets/%2e%2e/preview.py",
    "/assets/base.html.j2",
    "/assets/.secret",
    "//etc/passwd",
    "/etc/passwd",
    "/issues//etc/passwd",
    "/issues/%2fetc%2fpasswd",
    f"/issues/{FIRST}/%00",
    f"/issues/{FIRST}/issue.json%00.txt",
    "/issues/.staging-abc123/issue.html",
    "/issues/.staging-abc123",
    "/issues/.lock",
    "/issues/.env",
    "/.lock",
    "/outbox/.lock",
    f"/issues/{FIRST}/.notes",
    f"/issues/{FIRST}/issue.html/../../.lock",
    "/issues/2026-11-18-000",
    "/issues/2026-11-18-000/issue.html",
    "/issues/2026-11-18-000/email.html",
    f"/issues/{SECOND}/issue.txt",
    # The web archive: index.html, feed.xml and DATE-NNN.html, nothing else.
    "/archive/../.lock",
    "/archive/.env",
    "/archive/.lock",
    "/archive/.archive.lock",
    "/archive/%2e%2e/.lock",
    "/archive/..%2f..%2fsecret.txt",
    "/archive/../../secret.txt",
    "/archive/.staging-abc123.html",
    "/archive/2026-11-18-000.html",
    f"/archive/{FIRST}",
    f"/archive/{FIRST}.json",
    f"/archive/{FIRST}/issue.json",
    f"/archive/{FIRST}.html/../../.lock",
    "/archive/digest.toml",
    "/archive/issue.json",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_paths_that_leave_the_outbox_get_404(shared: Live, target: str) -> None:
    status, body, _ = raw_request(shared.server.port, target)
    assert status == 404
    assert SECRET.encode() not in body


def test_a_raw_nul_in_the_request_line_is_never_served(shared: Live) -> None:
    with socket.create_connection(("127.0.0.1", shared.server.port), timeout=10) as sock:
        sock.sendall(
            f"GET /issues/{FIRST}/issue.json\x00 HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{shared.server.port}\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404)
    assert b'"number"' not in answer


def test_a_symlinked_file_is_not_read_into_the_page(shared: Live) -> None:
    page = shared.get(f"/issues/{SECOND}")
    assert page.status_code == 200  # the issue itself is fine…
    assert SECRET not in page.text  # …but its symlinked issue.txt is not shown


# --------------------------------------------------------------------------- live reload


def test_template_syntax_error_names_file_and_line_and_the_server_keeps_running(
    live: Live,
) -> None:
    template = live.site / "templates" / "issue.mjml.j2"
    good = template.read_text(encoding="utf-8")
    lines = good.splitlines()
    marked = '{{ _("In this issue") }}'
    broken_line = next(i for i, line in enumerate(lines, 1) if f"{marked}</h2>" in line)
    lines[broken_line - 1] = lines[broken_line - 1].replace(marked, "{% if %}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")

    page = eventually(
        lambda: (r := live.get("/issues/draft")).status_code == 500 and r,
        "the draft page reports the broken template",
    )
    assert "The draft cannot be rendered" in page.text
    assert "issue.mjml.j2" in page.text
    assert f'id="error-lineno">{broken_line}<' in page.text
    assert 'class="hit"' in page.text  # the offending line, highlighted in an excerpt
    # Still serving: the start page (with the error) and the published issues.
    start = live.get("/")
    assert start.status_code == 200 and "template error" in start.text
    assert live.get(f"/issues/{FIRST}").status_code == 200

    template.write_text(good, encoding="utf-8")
    eventually(
        lambda: live.get("/issues/draft").status_code == 200, "the fixed template renders again"
    )


def test_a_source_that_fails_to_parse_is_reported_and_the_rest_still_renders(
    live: Live,
) -> None:
    news = live.site / "news"
    (news / "bad.md").write_text("---\ntitle: [unclosed\n---\nBody text.\n", encoding="utf-8")
    (news / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>Bro")
    (news / "binary.txt").write_bytes(b"abc\x00\x01\x02def")

    def reported() -> str | None:
        text = live.get("/issues/draft").text
        return text if "bad.md" in text and "binary.txt" in text else None

    page = eventually(reported, "the draft lists the broken sources")
    assert "bad front matter" in page
    assert "binary file" in page
    assert "Harbour Bridge Reopens" in page  # the good sources are still in the draft
    assert live.get("/").status_code == 200


def test_events_announce_every_change(live: Live) -> None:
    url = f"{live.base}/events"
    with httpx.stream("GET", url, timeout=15) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        first = next(line for line in lines if line.startswith("data:"))
        (live.site / "news" / "003_new.txt").write_text(
            "Ferry timetable changes\n\nThe ferry will leave earlier from Monday. Riders "
            "should check the new times.\n",
            encoding="utf-8",
        )
        second = next(line for line in lines if line.startswith("data:"))
    assert int(second.removeprefix("data:")) > int(first.removeprefix("data:"))
    assert "Ferry timetable changes" in live.get("/issues/draft").text


def test_a_config_change_rerenders(live: Live) -> None:
    config = live.config
    config.write_text(
        config.read_text(encoding="utf-8").replace("Harbour Weekly", "Quay Letter"),
        encoding="utf-8",
    )
    page = eventually(
        lambda: "Quay Letter #3" in (t := live.get("/").text) and t, "the new name shows"
    )
    assert "<h1>Quay Letter</h1>" in page


def test_a_new_issue_in_the_outbox_appears(live: Live) -> None:
    settings = load_settings(live.config)
    issue = assemble(
        [make_item(99)],
        newsletter=settings.name,
        number=3,
        day=date(2026, 11, 22),
        created_at=datetime(2026, 11, 22, tzinfo=UTC),
    )
    outbox.write_issue(settings.outbox, issue, render_issue(issue, settings))
    # Listed at once, and the draft moves on to the next number once re-rendered.
    eventually(
        lambda: "2026-11-22-003" in (t := live.get("/").text) and "Harbour Weekly #4" in t,
        "the new issue is listed and the draft renumbered",
    )


def test_wildcard_bind_still_refuses_domain_names(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site")
    with running(config, host="0.0.0.0") as live:
        port = live.server.port
        assert raw_request(port, "/", host=f"127.0.0.1:{port}")[0] == 200
        assert raw_request(port, "/", host=f"rebind.attacker.test:{port}")[0] == 400


# --------------------------------------------------------------------------- the web archive


def subjects(site: Path) -> dict[str, str]:
    """Each issue folder's subject, as its issue.json records it."""
    box = site / "outbox"
    return {name: outbox.read_issue(box / name).subject for name in (FIRST, SECOND)}


def test_archive_lists_issues_newest_first_and_serves_their_pages(shared: Live) -> None:
    index = shared.get("/archive/")
    assert index.status_code == 200
    assert index.headers["content-type"] == "text/html; charset=utf-8"
    # Email HTML, so served like the email: sandboxed, no scripts.
    csp = index.headers["content-security-policy"]
    assert "sandbox" in csp and "allow-scripts" not in csp and "script-src" not in csp
    assert shared.get("/archive/index.html").text == index.text
    hrefs = lxml.html.fromstring(index.text).xpath("//a/@href")
    assert [href for href in hrefs if href != "feed.xml"] == [f"{SECOND}.html", f"{FIRST}.html"]
    unsubscribe = load_settings(shared.config).unsubscribe_url
    for name, subject in subjects(shared.site).items():
        page = shared.get(f"/archive/{name}.html")
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == csp
        tree = lxml.html.fromstring(page.text)
        assert tree.findtext(".//title") == subject
        assert tree.xpath("//a[@href='index.html']")  # back to the index, relatively
        assert unsubscribe not in page.text and "Unsubscribe" not in page.text
    # Built in memory: the preview writes nothing into the outbox.
    assert not (shared.site / "outbox" / "archive").exists()


def test_archive_feed_has_one_entry_per_issue(shared: Live) -> None:
    feed = shared.get("/archive/feed.xml")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = subjects(shared.site)
    assert [e.title for e in parsed.entries] == [titles[SECOND], titles[FIRST]]
    assert [e.link for e in parsed.entries] == [f"{SECOND}.html", f"{FIRST}.html"]
    assert shared.client.head("/archive/feed.xml").status_code == 200


def test_the_preview_archive_is_what_digest_archive_writes(live: Live) -> None:
    settings = load_settings(live.config)
    result = archive.write_archive(settings)  # (the bait's issue.json is a problem)
    assert result.issues == 2 and len(result.written) == 4
    for path in result.written:
        assert live.get(f"/archive/{path.name}").content == path.read_bytes(), path.name
    # A stale page on disk is not what the preview shows: it builds afresh.
    stale = result.folder / f"{FIRST}.html"
    stale.write_text("<p>stale</p>", encoding="utf-8")
    assert "stale" not in live.get(f"/archive/{FIRST}.html").text


def test_the_archive_never_shows_an_issue_a_symlink_brings_in(live: Live) -> None:
    box = live.site / "outbox"
    elsewhere = live.site / "elsewhere"
    shutil.copytree(box / FIRST, elsewhere)
    record = (elsewhere / outbox.JSON_FILE).read_text(encoding="utf-8")
    subject = outbox.read_issue(elsewhere).subject
    (elsewhere / outbox.JSON_FILE).write_text(record.replace(subject, SECRET), encoding="utf-8")
    (box / "2026-11-17-000").symlink_to(elsewhere, target_is_directory=True)
    (box / "2026-11-16-000").mkdir()
    (box / "2026-11-16-000" / outbox.JSON_FILE).symlink_to(elsewhere / outbox.JSON_FILE)
    for target in ("/archive/", "/archive/feed.xml"):
        answer = live.get(target)
        assert answer.status_code == 200 and SECRET not in answer.text
    assert live.get("/archive/2026-11-17-000.html").status_code == 404
    assert live.get("/archive/2026-11-16-000.html").status_code == 404


def test_an_archive_template_error_is_reported_and_the_rest_keeps_working(live: Live) -> None:
    template = live.site / "templates" / archive.ARCHIVE_TEMPLATE
    template.write_text("{% for %}\n", encoding="utf-8")
    index = live.get("/archive/")
    assert index.status_code == 500
    assert "template error" in index.text and "archive.html.j2" in index.text
    assert live.get(f"/archive/{FIRST}.html").status_code == 200
    assert live.get("/").status_code == 200


def test_an_outbox_without_issues_has_no_archive(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site")
    for name in (FIRST, SECOND):
        shutil.rmtree(config.parent / "outbox" / name)
    with running(config) as live:
        assert 'href="/archive/"' not in live.get("/").text
        for target in ("/archive/", "/archive/feed.xml", f"/archive/{FIRST}.html"):
            assert live.get(target).status_code == 404


# --------------------------------------------------------------------------- several newsletters

MORNING, REVIEW = "/newsletters/harbour-morning", "/newsletters/harbour-review"


def make_newsletters_site(root: Path) -> Path:
    """Two [[newsletters]] sharing sources and templates, each with an issue of the
    same folder name in its own outbox (one nested in the top-level outbox), and
    bait in both. Returns the config file."""
    config = make_site(root)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text + '\n[[newsletters]]\nname = "Harbour Morning"\n'
        '\n[[newsletters]]\nname = "Harbour Review"\noutbox = "review"\n',
        encoding="utf-8",
    )
    for each in load_settings(config).each_newsletter():
        issue = assemble(
            [make_item(50 if "Morning" in each.name else 60)],
            newsletter=each.name,
            number=1,
            day=date(2026, 11, 20),
            created_at=datetime(2026, 11, 20, 7, tzinfo=UTC),
        )
        outbox.write_issue(each.outbox, issue, render_issue(issue, each))
        (each.outbox / ".env").write_text(SECRET, encoding="utf-8")
        (each.outbox / "2026-11-18-000").symlink_to(root / "outside", target_is_directory=True)
    return config


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    config = make_newsletters_site(tmp_path_factory.mktemp("several") / "site")
    with running(config) as handle:
        yield handle


def test_start_page_groups_issues_and_drafts_by_newsletter(several: Live) -> None:
    body = several.get("/").text
    assert "<h1>2 newsletters</h1>" in body
    morning, review = body.index(">Harbour Morning</h2>"), body.index(">Harbour Review</h2>")
    assert morning < review
    # Each section holds its own draft and issues, under its own URLs.
    assert body.index(f'href="{MORNING}/issues/draft"') in range(morning, review)
    assert body.index(f'href="{MORNING}/issues/{FIRST}"') in range(morning, review)
    assert body.index(f'href="{REVIEW}/issues/draft"') > review
    assert body.index(f'href="{REVIEW}/issues/{FIRST}"') > review
    assert "Harbour Morning #1: Item number 50 has a title" in body
    assert "Harbour Review #1: Item number 60 has a title" in body
    assert "Harbour Morning #2: Harbour Bridge Reopens" in body
    assert "Harbour Review #2: Harbour Bridge Reopens" in body
    assert 'href="/issues/' not in body  # no URL that could mean either
    assert SECRET not in body


def test_each_newsletters_issue_and_draft_has_its_own_url(several: Live) -> None:
    morning = several.get(f"{MORNING}/issues/{FIRST}")
    review = several.get(f"{REVIEW}/issues/{FIRST}")
    assert morning.status_code == review.status_code == 200
    assert "Harbour Morning #1" in morning.text
    assert "Item number 50 has a title" in morning.text
    assert "Item number 60 has a title" not in morning.text
    assert "Item number 60 has a title" in review.text
    assert f'src="{REVIEW}/issues/{FIRST}/email.html?v=' in review.text
    assert "digest check 2026-11-20-001 --newsletter &#39;Harbour Review&#39;" in review.text
    email = several.get(f"{REVIEW}/issues/{FIRST}/email.html")
    assert "Item number 60 has a title" in email.text
    assert several.get(f"{MORNING}/issues/{FIRST}/issue.json").json()["newsletter"] == (
        "Harbour Morning"
    )
    draft = several.get(f"{REVIEW}/issues/draft")
    assert draft.status_code == 200 and "Draft of issue #2" in draft.text
    assert several.get(f"{REVIEW}/issues/draft/issue.json").json()["newsletter"] == (
        "Harbour Review"
    )
    assert not (several.site / "review" / "2026-11-25-002").exists()


def test_each_newsletter_has_its_own_archive(several: Live) -> None:
    body = several.get("/").text
    links = [body.index(f'href="{base}/archive/"') for base in (MORNING, REVIEW)]
    assert links[0] < body.index(">Harbour Review</h2>") < links[1]
    morning = several.get(f"{MORNING}/archive/")
    assert morning.status_code == 200
    assert "Harbour Morning #1" in morning.text and "Harbour Review" not in morning.text
    page = several.get(f"{REVIEW}/archive/{FIRST}.html")
    assert "Item number 60 has a title" in page.text
    entries = feedparser.parse(several.get(f"{REVIEW}/archive/feed.xml").content).entries
    assert [e.title for e in entries] == ["Harbour Review #1: Item number 60 has a title"]


NEWSLETTER_TRAVERSALS = [
    f"/issues/{FIRST}",  # ambiguous with several newsletters
    "/issues/draft",
    f"/newsletters/harbour-evening/issues/{FIRST}",
    f"/newsletters/../issues/{FIRST}",
    f"/newsletters/%2e%2e/issues/{FIRST}",
    f"/newsletters/.env/issues/{FIRST}",
    f"{MORNING}/issues/.env",
    f"{REVIEW}/issues/.env",
    f"{MORNING}/issues/2026-11-18-000",
    f"{REVIEW}/issues/2026-11-18-000/issue.html",
    f"{REVIEW}/issues/2026-11-18-000/email.html",
    f"{MORNING}/issues/../../review/{FIRST}/issue.json",
    f"{MORNING}/issues/{FIRST}/../../../secret.txt",
    f"{REVIEW}/issues/{FIRST}/.notes",
    "/archive/",  # ambiguous with several newsletters
    "/archive/feed.xml",
    "/newsletters/harbour-evening/archive/",
    f"{MORNING}/archive/.env",
    f"{REVIEW}/archive/2026-11-18-000.html",
    f"{MORNING}/archive/../../review/{FIRST}/issue.json",
]


@pytest.mark.parametrize("target", NEWSLETTER_TRAVERSALS)
def test_every_newsletters_outbox_is_guarded(several: Live, target: str) -> None:
    status, body, _ = raw_request(several.server.port, target)
    assert status == 404
    assert SECRET.encode() not in body


def test_preview_of_one_newsletter(tmp_path: Path) -> None:
    config = make_newsletters_site(tmp_path / "site")
    with running(config, newsletter="Harbour Review") as live:
        body = live.get("/").text
        assert "<h1>Harbour Review</h1>" in body and "Harbour Morning" not in body
        assert f'href="/issues/{FIRST}"' in body and 'href="/issues/draft"' in body
        assert "Item number 60 has a title" in live.get(f"/issues/{FIRST}").text
        assert live.get(f"{REVIEW}/issues/{FIRST}").status_code == 404


def test_cli_preview_refuses_an_unknown_newsletter(tmp_path: Path) -> None:
    config = make_newsletters_site(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    args = ["preview", "--config", str(config), "--newsletter", "Harbour Evening"]
    result = subprocess.run(
        [sys.executable, "-m", "digest", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "configured: 'Harbour Morning', 'Harbour Review'" in result.stderr


# --------------------------------------------------------------------------- the command


def test_cli_preview_prints_its_url_serves_and_stops(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "digest", "preview", "--config", str(config), "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("digest preview: http://127.0.0.1:")
        url = line.split()[2]
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and "Harbour Weekly" in page.text
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "warning" not in proc.stderr.read() if proc.stderr else True


def test_cli_preview_warns_when_asked_to_listen_beyond_loopback(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    args = ["preview", "--config", str(config), "--port", "0", "--host", "0.0.0.0"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "digest", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().startswith("digest preview: http://0.0.0.0:")
        warning = proc.stderr.readline()
        assert "warning: listening on 0.0.0.0" in warning
        assert "read your issues and drafts" in warning
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- pure helpers


def test_host_allowed() -> None:
    assert host_allowed("127.0.0.1:8400", "127.0.0.1", 8400)
    assert host_allowed("localhost:8400", "127.0.0.1", 8400)
    assert not host_allowed("127.0.0.1:8401", "127.0.0.1", 8400)
    assert not host_allowed("evil.test:8400", "127.0.0.1", 8400)
    assert not host_allowed(None, "127.0.0.1", 8400)
    assert host_allowed("[::1]:8400", "::1", 8400)
    assert host_allowed("192.168.1.20:8400", "0.0.0.0", 8400)
    assert not host_allowed("nas.local:8400", "0.0.0.0", 8400)


def test_host_allowed_without_a_port_on_port_80() -> None:
    """Browsers leave ":80" out of the Host header; that must not be a 400."""
    assert host_allowed("127.0.0.1", "127.0.0.1", 80)
    assert host_allowed("localhost", "127.0.0.1", 80)
    assert host_allowed("127.0.0.1:80", "127.0.0.1", 80)
    assert host_allowed("[::1]", "::1", 80)
    assert host_allowed("10.0.0.5", "0.0.0.0", 80)
    # Still only on port 80, and still only our own names.
    assert not host_allowed("127.0.0.1", "127.0.0.1", 8400)
    assert not host_allowed("evil.test", "127.0.0.1", 80)
    assert not host_allowed("evil.test:80", "127.0.0.1", 80)
    assert not host_allowed("nas.local", "0.0.0.0", 80)
    assert not host_allowed("::1", "::1", 80)  # IPv6 without brackets is malformed
    assert not host_allowed("127.0.0.1:", "127.0.0.1", 80)


def test_suspicious_path() -> None:
    assert not suspicious_path(b"/issues/2026-11-20-001/issue.eml")
    for raw in (b"/a/../b", b"/%2e%2e/x", b"/a%2Fb", b"/a%5cb", b"/a%00", b"/%252e", b"//x"):
        assert suspicious_path(raw), raw
    assert suspicious_path(b"/issues/.lock")


def test_dark_variant_prefers_the_emails_own_dark_styles() -> None:
    authored = (
        "<html><head><style>@media (prefers-color-scheme: dark) { body { background: #000 } }"
        "</style></head><body>x</body></html>"
    )
    html, how = dark_variant(authored)
    assert "(min-width: 0px)" in html and "prefers-color-scheme" not in html
    assert how == "the email's own dark-mode styles"
    html, how = dark_variant("<html><head></head><body>x</body></html>")
    assert "invert(1)" in html and "inversion" in how


def test_a_bad_config_is_shown_and_the_server_keeps_running(live: Live) -> None:
    live.config.write_text(
        live.config.read_text(encoding="utf-8") + 'timezone = "Europe/Londn"\n', encoding="utf-8"
    )
    page = eventually(
        lambda: (r := live.get("/issues/draft")).status_code == 500 and r.text,
        "the draft page reports the configuration error",
    )
    assert "bad setting timezone = &#39;Europe/Londn&#39;" in page
    assert live.get(f"/issues/{FIRST}").status_code == 200


def test_light_variant_switches_the_emails_dark_styles_off() -> None:
    authored = (
        "<html><head><style>@media (prefers-color-scheme: dark) { body { background: #000 } }"
        "@media (prefers-color-scheme: light) { body { color: #111 } }"
        "</style></head><body>x</body></html>"
    )
    html = light_variant(authored)
    assert "prefers-color-scheme" not in html
    assert "@media (max-width: 0px) { body { background: #000 } }" in html  # never matches
    assert "@media (min-width: 0px) { body { color: #111 } }" in html  # always matches


# --------------------------------------------------------------------------- the HTML source


def tree(html: str) -> list[tuple[object, ...]]:
    """A document as the browser builds it: each node (elements, comments, the
    doctype) in order, with its attributes and its text; whitespace-only text, which
    never shows between block elements, counts as none."""
    document = lxml.html.document_fromstring(html)

    def text(value: str | None) -> str:
        return value if value and value.strip() else ""

    nodes: list[tuple[object, ...]] = [("doctype", document.getroottree().docinfo.doctype)]
    for node in document.iter():
        attributes = sorted(node.attrib.items()) if isinstance(node.tag, str) else []
        nodes.append((str(node.tag), attributes, text(node.text), text(node.tail)))
    return nodes


def test_pretty_html_is_the_same_document_indented() -> None:
    original = (ROOT / "tests" / "fixtures" / "golden" / "seeds_issue.html").read_text("utf-8")
    pretty = pretty_html(original)
    assert tree(pretty) == tree(original)
    lines = pretty.splitlines()
    assert len(lines) > 5 * len(original.splitlines())
    # One block element a line, indented by depth; text and inline markup untouched.
    assert "\n  <head>\n    <meta " in pretty
    tables = [len(line) - len(line.lstrip(" ")) for line in lines if "<table " in line]
    assert tables and max(tables) >= 16 and all(depth % 2 == 0 for depth in tables)
    assert "<a href=" in original
    assert not any(line.lstrip().startswith("<a ") for line in lines), "a link moved"
    # Whitespace that can show stays as it was, and so does a pre's content.
    inline = "<div><p>Hello <b>big</b> <i>world</i></p><pre> a\n  <b>b</b> </pre></div>"
    assert pretty_html(inline) == (
        "<div>\n  <p>Hello <b>big</b> <i>world</i></p>\n  <pre> a\n  <b>b</b> </pre>\n</div>\n"
    )


def test_the_source_tab_shows_the_email_pretty_printed_and_highlighted(shared: Live) -> None:
    on_disk = (shared.site / "outbox" / FIRST / "issue.html").read_text(encoding="utf-8")
    page = lxml.html.document_fromstring(shared.get(f"/issues/{FIRST}").text)
    [source] = page.xpath('//pre[@id="html-source"]')
    shown = source.text_content()
    assert shown == pretty_html(on_disk)
    assert tree(shown) == tree(on_disk)
    # Highlighted: tag names, attribute names and values each in a span of their own.
    assert source.xpath('.//span[@class="nt" and text()="table"]')
    assert source.xpath('.//span[@class="na" and text()="role"]')
    assert source.xpath('.//span[@class="s" and text()=\'"presentation"\']')


# --------------------------------------------------------------------------- the link check

LINKED = "2026-11-22-003"


class Pages(QuietHandler):
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        if self.path in ("/ok", "/unsubscribe"):
            self.send("text/html", b"<p>fine</p>")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def linked(tmp_path: Path) -> Iterator[tuple[Path, str, ssl.SSLContext]]:
    """A site whose third issue links to a real HTTPS server on 127.0.0.1: one page
    that is there, one moved there, one missing, and a port nobody listens on."""
    server_tls, certificate = self_signed(tmp_path)
    Pages.asked = []
    with local_http_server(Pages, tls=server_tls) as base:
        config = make_site(tmp_path / "site")
        # Every link on the local server: the test never reaches the internet.
        with config.open("a", encoding="utf-8") as toml:
            toml.write(f'unsubscribe_url = "{base}/unsubscribe"\n')
        settings = load_settings(config)
        urls = [f"{base}/ok", f"{base}/moved", f"{base}/missing"]
        urls.append(f"https://127.0.0.1:{closed_port()}/nobody")
        items = [make_item(30 + n, url=url) for n, url in enumerate(urls)]
        issue = assemble(
            items,
            newsletter=settings.name,
            number=3,
            day=date(2026, 11, 22),
            created_at=datetime(2026, 11, 22, 7, tzinfo=UTC),
        )
        outbox.write_issue(settings.outbox, issue, render_issue(issue, settings))
        yield config, base, ssl.create_default_context(cafile=str(certificate))


def test_the_link_check_lists_every_link_with_its_status(
    linked: tuple[Path, str, ssl.SSLContext],
) -> None:
    config, base, trust = linked
    policy = LinkPolicy(allow_private=True, verify=trust, timeout=5)
    with running(config, link_policy=policy) as live:
        assert live.get(f"/issues/{LINKED}").status_code == 200
        assert Pages.asked == [], "links are checked on demand, not on every page load"

        answer = live.check_links(f"/issues/{LINKED}/links.json")
        assert answer.status_code == 200
        found = {row["url"]: row for row in answer.json()["links"]}
    html = (config.parent / "outbox" / LINKED / "issue.html").read_text(encoding="utf-8")
    hrefs = lxml.html.document_fromstring(html).xpath("//a/@href")
    jumps = [href for href in hrefs if href.startswith("#")]
    assert jumps == [f"#item-{n}" for n in range(1, 5)]  # the contents' links to the items...
    outward = {href for href in hrefs if not href.startswith("#")}
    assert sorted(found) == sorted(outward), "...are not checked; every other link, once"
    assert (found[f"{base}/ok"]["status"], found[f"{base}/ok"]["ok"]) == (200, True)
    assert (found[f"{base}/moved"]["status"], found[f"{base}/moved"]["ok"]) == (200, True)
    missing = found[f"{base}/missing"]
    assert (missing["status"], missing["ok"], missing["note"]) == (
        404,
        False,
        "HTTP 404 Not Found",
    )
    [refused] = [row for url, row in found.items() if url.endswith("/nobody")]
    assert (refused["status"], refused["ok"], refused["label"]) == (None, False, "failed")
    assert "refused" in refused["note"]
    assert found[f"{base}/unsubscribe"]["status"] == 200
    assert sorted(Pages.asked) == ["/missing", "/moved", "/ok", "/ok", "/unsubscribe"]
    # The issue's title link text comes with its URL.
    assert found[f"{base}/ok"]["text"] == "Item number 30 has a title"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port or subdomain of this host
        {"Origin": "null"},  # a sandboxed frame: the email itself
        {"Origin": "http://127.0.0.1:1"},  # another local server
        {},  # no word from a browser at all
    ],
)
def test_the_link_check_runs_only_on_a_post_from_the_preview_itself(
    linked: tuple[Path, str, ssl.SSLContext], headers: dict[str, str]
) -> None:
    config, _, trust = linked
    policy = LinkPolicy(allow_private=True, verify=trust, timeout=5)
    path = f"/issues/{LINKED}/links.json"
    with running(config, link_policy=policy) as live:
        # A GET (any page's link or <img> can send one) starts nothing.
        got = live.get(path)
        assert (got.status_code, got.headers["allow"]) == (405, "POST")
        foreign = live.client.post(path, headers=headers)
        assert foreign.status_code == 403, foreign.text
        assert "preview's own page" in foreign.text
        assert Pages.asked == [], "a refused check fetched nothing"
        # The same request from the preview's page works; so does one from a browser
        # too old for Sec-Fetch-Site, by its Origin alone.
        own = live.check_links(path)
        assert own.status_code == 200 and own.json()["links"]
        older = live.client.post(path, headers={"Origin": live.base})
        assert older.status_code == 200
    assert Pages.asked, "the same-origin check fetched the links"


def test_the_link_check_refuses_private_addresses_unless_allowed(
    linked: tuple[Path, str, ssl.SSLContext],
) -> None:
    config, base, trust = linked
    with running(config, link_policy=LinkPolicy(verify=trust, timeout=5)) as live:
        found = {
            row["url"]: row
            for row in live.check_links(f"/issues/{LINKED}/links.json").json()["links"]
        }
    assert found[f"{base}/ok"]["status"] is None
    assert "private address" in found[f"{base}/ok"]["note"]
    assert Pages.asked == [], "no request reached the private server"
