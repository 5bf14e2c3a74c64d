"""What the preview answers at all, and which files it may ever serve.

This module owns the preview's safety rules, because a local server is reachable by
any web page the editor has open: the ``Host`` header must name the address the
server listens on (a DNS-rebinding page cannot read it), only GET and HEAD are
answered but for the link check (``LINK_CHECK``), which makes requests to the
network and so is POST only, and only from the preview's own pages
(``same_origin``: another site's page, a form or an image tag, cannot set it
off), paths that try to leave where they point are refused, and every answer
carries the common security headers (``Guard``, the ASGI middleware in front of
every route). It also decides which outbox files may be read: only finished issue
folders and their four files, never dotfiles, staging folders, the lock file or
anything a symlink points to outside the outbox, and which names the web archive
answers to (``archive_sources``: ``index.html``, ``feed.xml`` and a page per issue,
built from those same ``issue.json`` files; ``outbox/archive/`` itself is never
read). The CSPs for the preview's pages and for the email itself live here too.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest.archive import FEED_FILE, INDEX_FILE
from digest.outbox import FILES, JSON_FILE, IssueFiles, issue_files_from, issue_folders

ISSUE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{3,}$")
LINK_CHECK = re.compile(r"(?:/newsletters/[^/]+)?/issues/[^/]+/links\.json")
"""The link check's path: the one action, answered to a same-origin POST only."""
# Percent-encodings of ".", "/", "\", NUL and "%" itself: no legitimate preview URL
# needs them, and each is a way to smuggle a traversal past a router.
_ENCODED_DANGER = re.compile(rb"%(2e|2f|5c|00|25)", re.IGNORECASE)

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src-elem 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
# The email itself: its own inline styles and remote https images, nothing else, and
# a sandbox without scripts even when someone opens it outside the frame.
EMAIL_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https:; "
    "base-uri 'self'; form-action 'none'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# --------------------------------------------------------------------------- requests


def split_host(host: str) -> tuple[str, str | None] | None:
    """A ``Host`` header value as (name, port); port ``None`` when left out (as
    browsers do for port 80); ``None`` if malformed (IPv6 needs brackets)."""
    if host.startswith("["):
        name, bracket, rest = host.partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        return name + "]", rest[1:] if rest else None
    if host.count(":") > 1:
        return None
    name, colon, port = host.partition(":")
    return name, port if colon else None


def host_allowed(host: str | None, bind_host: str, port: int) -> bool:
    """``host`` names this server: a loopback name or the bound address, with our
    port (or none at all on port 80). For a wildcard bind, any IP literal is also
    fine: DNS rebinding needs a domain name, never an IP."""
    parts = split_host(host.strip().lower()) if host else None
    if parts is None:
        return False
    name, given = parts
    if given != str(port) and not (given is None and port == 80):
        return False
    bind_host = bind_host.lower()
    if name in {"127.0.0.1", "localhost", bind_host, f"[{bind_host.strip('[]')}]"}:
        return True
    if bind_host in ("0.0.0.0", "::"):
        try:
            ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
        except ValueError:
            return False
        return True
    return False


def suspicious_path(raw_path: bytes) -> bool:
    """A request path that tries to leave where it points: ``..``, encoded dots,
    slashes or backslashes, NUL, double encoding, empty segments."""
    if _ENCODED_DANGER.search(raw_path) or b"\\" in raw_path or b"\x00" in raw_path:
        return True
    decoded = unquote_to_bytes(raw_path)
    segments = decoded.split(b"/")[1:]
    if any(seg in (b".", b"..") or seg.startswith(b".") for seg in segments):
        return True
    return b"//" in decoded


def same_origin(headers: dict[str, str]) -> bool:
    """The request comes from one of the preview's own pages, by what the browser
    says (pages cannot forge either header): ``Sec-Fetch-Site: same-origin``, or
    without it (older browsers) an ``Origin`` that is this server as the ``Host``
    header names it. Anything else is refused: another site, a sandboxed frame
    (``Origin: null``, the email itself), or no word at all."""
    fetch_site = headers.get("sec-fetch-site")
    origin = headers.get("origin")
    own = "http://" + headers.get("host", "").strip().lower()
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    if origin is not None and origin != "null" and origin.lower() != own:
        return False
    return fetch_site == "same-origin" or (origin is not None and origin.lower() == own)


def refusal(scope: Scope, bind_host: str, port: int) -> Response | None:
    """The answer to a request the preview will not serve, or ``None`` to serve it."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    if not host_allowed(headers.get("host"), bind_host, port):
        return PlainTextResponse("Bad Request: unknown Host\n", status_code=400)
    if LINK_CHECK.fullmatch(scope["path"]):
        # It fetches every link of an issue: a GET (a link or an <img> on any page)
        # must not start that, nor a POST from anywhere but the preview itself.
        if scope["method"] != "POST":
            return PlainTextResponse(
                "Method Not Allowed: the link check is started with POST\n",
                status_code=405,
                headers={"Allow": "POST"},
            )
        if not same_origin(headers):
            return PlainTextResponse(
                "Forbidden: the link check runs only from the preview's own page\n",
                status_code=403,
            )
    elif scope["method"] not in ("GET", "HEAD"):
        return PlainTextResponse(
            "Method Not Allowed: the preview is read-only\n",
            status_code=405,
            headers={"Allow": "GET, HEAD"},
        )
    if suspicious_path(scope.get("raw_path") or scope["path"].encode("utf-8")):
        return PlainTextResponse("Not Found\n", status_code=404)
    return None


def with_common_headers(send: Send) -> Send:
    """``send``, adding ``COMMON_HEADERS`` to a response that does not set them."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [
                (k.lower().encode(), v.encode())
                for k, v in COMMON_HEADERS.items()
                if k.lower().encode() not in present
            ]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers


class Guard:
    """ASGI middleware in front of every route: Host check (400), read-only methods
    (405) but for the link check (same-origin POST only, else 405 or 403), paths
    that try to escape (404), and security headers on every answer."""

    def __init__(self, app: ASGIApp, *, bind_host: str, port: int) -> None:
        self.app = app
        self.bind_host = bind_host
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan start and stop: nothing to guard
            await self.app(scope, receive, send)
            return
        answer = refusal(scope, self.bind_host, self.port)
        send = with_common_headers(send)
        if answer is not None:
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


# --------------------------------------------------------------------------- files


def inside(path: Path, root: Path) -> bool:
    """``path`` resolves (symlinks followed) to somewhere inside ``root``."""
    try:
        real = Path(os.path.realpath(path))
        return real.is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return False


def issue_folder(outbox: Path, name: str) -> Path | None:
    """The finished issue folder ``name`` in ``outbox``, or ``None``.

    Only names shaped like an issue qualify, so staging folders, the lock file and
    dotfiles can never be reached; the folder must really be inside the outbox.
    """
    if not ISSUE_NAME.fullmatch(name):
        return None
    folder = outbox / name
    if not folder.is_dir() or not inside(folder, outbox):
        return None
    return folder


def issue_file(outbox: Path, name: str, filename: str) -> Path | None:
    """One of an issue's four files, never anything a symlink takes elsewhere."""
    folder = issue_folder(outbox, name)
    if folder is None or filename not in FILES:
        return None
    path = folder / filename
    if not path.is_file() or not inside(path, outbox):
        return None
    return path


def finished_issue_files(outbox: Path, name: str) -> IssueFiles | None:
    """A finished issue's files, each read only if ``issue_file`` allows it."""
    if issue_folder(outbox, name) is None:
        return None

    def read(filename: str) -> bytes:
        path = issue_file(outbox, name, filename)
        try:
            return path.read_bytes() if path is not None else b""
        except OSError:
            return b""

    return issue_files_from(read)


def archive_sources(outbox: Path, name: str) -> list[Path] | None:
    """The issue folders the web archive's file ``name`` is built from, or ``None``
    for a name the archive does not have.

    ``index.html`` and ``feed.xml`` come from every finished issue, a page
    (``2026-11-25-001.html``) from its own; only folders whose ``issue.json``
    ``issue_file`` allows count, so nothing a symlink points to outside is shown.
    """
    if name in (INDEX_FILE, FEED_FILE):
        return [f for f in issue_folders(outbox) if issue_file(outbox, f.name, JSON_FILE)]
    issue = name.removesuffix(".html")
    if issue == name or issue_file(outbox, issue, JSON_FILE) is None:
        return None
    return [outbox / issue]
