"""The preview server: every issue as readers will see it, live while you edit.

This module owns ``digest preview``: a local, read-only web app (Starlette on
uvicorn) that lists the outbox, shows each finished issue and a live draft of the
next one (rendered through ``pipeline.draft``, never written), watches templates,
sources, the config file and the outbox (watchfiles), and tells open pages to
refresh over server-sent events. With several newsletters (``[[newsletters]]``)
each has its own draft and its pages under ``/newsletters/<key>/issues/…``, so a
URL always names one outbox. The checks it shows come from ``digest.check``; its
own pages, CSS and JS live in ``digest/preview_assets/``.

Safety is part of the job, because a local server is reachable by any web page the
editor has open: only GET and HEAD are answered; the ``Host`` header must name the
address the server listens on (a DNS-rebinding page cannot read it); only finished
issue folders and the preview's own assets are served, never dotfiles, staging
folders, the lock file or anything a symlink points to outside the outbox. The email
HTML is served with a CSP sandbox and shown in a sandboxed frame without scripts.

The pure helpers (path, host and request checks, the dark-mode variant, page data)
sit at the top; the watcher, the routes and the server itself at the bottom.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import logging
import os
import re
import socket
import threading
import traceback
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from digest import clock
from digest.check import (
    GMAIL_CLIP_BYTES,
    SIZE_WARNING_BYTES,
    TEXT_WIDTH,
    Finding,
    preheader_of,
    run_checks,
)
from digest.outbox import (
    FILES,
    HTML_FILE,
    IssueFiles,
    files_from_rendered,
    issue_contents,
    issue_files_from,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from starlette.requests import Request
    from starlette.responses import Response

    from digest.config import Settings
    from digest.models import Issue, Problem, RenderedIssue

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parent / "preview_assets"
SERVED_ASSETS = {"preview.css": "text/css", "preview.js": "text/javascript"}
ISSUE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{3,}$")
DRAFT = "draft"
WIDTHS = {"phone": 375, "column": 600, "desktop": 1024}
WATCH_DEBOUNCE_MS = 150
KEEPALIVE_SECONDS = 15.0
# Percent-encodings of ".", "/", "\", NUL and "%" itself: no legitimate preview URL
# needs them, and each is a way to smuggle a traversal past a router.
_ENCODED_DANGER = re.compile(rb"%(2e|2f|5c|00|25)", re.IGNORECASE)
_ERROR_WHERE = re.compile(r"^(?P<file>.+?), line (?P<line>\d+): ")

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


# --------------------------------------------------------------------------- request safety


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


def _inside(path: Path, root: Path) -> bool:
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
    if not folder.is_dir() or not _inside(folder, outbox):
        return None
    return folder


def issue_file(outbox: Path, name: str, filename: str) -> Path | None:
    """One of an issue's four files, never anything a symlink takes elsewhere."""
    folder = issue_folder(outbox, name)
    if folder is None or filename not in FILES:
        return None
    path = folder / filename
    if not path.is_file() or not _inside(path, outbox):
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


# --------------------------------------------------------------------------- email views


_DARK_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.IGNORECASE)
_LIGHT_QUERY = re.compile(r"\(\s*prefers-color-scheme\s*:\s*light\s*\)", re.IGNORECASE)
_HEAD_OPEN = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
# Clients without authored dark styles (Gmail's apps, Outlook) invert the colours;
# images are inverted back so photos look right.
_INVERT_CSS = (
    "<style>html{filter:invert(1) hue-rotate(180deg);background:#fff}"
    "img,picture,video{filter:invert(1) hue-rotate(180deg)}</style>"
)


def dark_variant(html: str) -> tuple[str, str]:
    """The email as a dark-mode client shows it, and how that was done.

    Authored ``prefers-color-scheme: dark`` rules are switched on (the media feature
    becomes one that always matches); without any, the colour inversion that
    clients apply to emails without dark styles is simulated.
    """
    if _DARK_QUERY.search(html):
        html = _DARK_QUERY.sub("(min-width: 0px)", html)
        html = _LIGHT_QUERY.sub("(max-width: 0px)", html)
        return html, "the email's own dark-mode styles"
    return _inject_head(html, _INVERT_CSS), "simulated colour inversion (no dark styles)"


def frame_html(html: str, *, dark: bool) -> str:
    """The email for the preview frame: links open in a new tab, optionally dark."""
    if dark:
        html, _ = dark_variant(html)
    return _inject_head(html, '<base target="_blank">')


def _inject_head(html: str, snippet: str) -> str:
    match = _HEAD_OPEN.search(html)
    if match is None:
        return snippet + html
    return html[: match.end()] + snippet + html[match.end() :]


def eml_headers(eml: bytes) -> list[tuple[str, str]]:
    """The message's top-level headers, decoded, in order."""
    if not eml.strip():
        return []
    message = message_from_bytes(eml, policy=policy.default)
    return [(name, str(value)) for name, value in message.items()]


def kilobytes(size: int) -> str:
    return f"{size / 1024:.1f} KB"


# --------------------------------------------------------------------------- page data


@dataclass(frozen=True)
class IssueRow:
    """One line of the start page's list."""

    name: str
    number: int
    date: str
    subject: str
    items: int
    html_bytes: int

    @property
    def size(self) -> str:
        return kilobytes(self.html_bytes)


def list_issues(outbox: Path) -> list[IssueRow]:
    """Every finished issue, newest first."""
    from digest.outbox import history

    rows = []
    for published in reversed(history(outbox)):
        if issue_folder(outbox, published.folder.name) is None:
            continue  # a symlink to somewhere else is not ours to describe
        html = published.folder / HTML_FILE
        rows.append(
            IssueRow(
                name=published.folder.name,
                number=published.number,
                date=published.date.isoformat(),
                subject=published.subject,
                items=len(published.item_ids),
                html_bytes=html.stat().st_size if html.is_file() else 0,
            )
        )
    return rows


@dataclass(frozen=True)
class IndexSection:
    """One newsletter on the start page: its draft and its published issues."""

    newsletter: Newsletter
    rows: list[IssueRow]
    draft_files: IssueFiles | None
    draft_findings: list[Finding]


@dataclass
class Draft:
    """The latest render of the next issue, or why there is none."""

    issue: Issue | None = None
    rendered: RenderedIssue | None = None
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    """A template, configuration or other error, one readable line (file, line)."""
    detail: str | None = None
    reprint: bool = False
    """Nothing new to publish, so the draft re-uses already published items."""


def render_draft(settings: Settings, now: datetime | None = None) -> Draft:
    """A fresh draft of one newsletter's next issue; every failure becomes a
    ``Draft.error``.

    Nothing is written. When every item is already published the draft shows them
    again (marked), so templates can still be previewed.
    """
    from digest import pipeline
    from digest.render import TemplateProblem

    now = now or clock.now()
    try:
        outcome = pipeline.draft(settings, now=now, reprint_when_empty=True)
    except TemplateProblem as exc:
        return Draft(error=f"template error: {exc}")
    except Exception as exc:
        # The server must outlive any error the editor is in the middle of fixing.
        detail = "".join(traceback.format_exception(exc)[-6:])
        return Draft(error=f"{type(exc).__name__}: {exc}", detail=detail)
    return Draft(
        issue=outcome.issue,
        rendered=outcome.rendered,
        problems=list(outcome.problems),
        reprint=outcome.reprint,
    )


@dataclass(frozen=True)
class Newsletter:
    """One newsletter the preview shows: its settings, its draft, and where its pages
    live: ``/issues/…`` when it is the only one, ``/newsletters/<key>/issues/…`` when
    there are several, so an issue's URL always names one outbox."""

    key: str
    settings: Settings
    draft: Draft
    base: str = ""

    def url(self, name: str) -> str:
        return f"{self.base}/issues/{name}"


def newsletters_for(
    chosen: list[Settings], drafts: Callable[[Settings], Draft]
) -> list[Newsletter]:
    """``Newsletter``s for the newsletters shown, each with a URL key of its own."""
    newsletters, keys = [], set()
    for settings in chosen:
        key, n = settings.slug, 1
        while key in keys:  # two newsletters may share a name, never a URL
            n += 1
            key = f"{settings.slug}-{n}"
        keys.add(key)
        base = f"/newsletters/{key}" if len(chosen) > 1 else ""
        newsletters.append(Newsletter(key, settings, drafts(settings), base))
    return newsletters


@dataclass(frozen=True)
class ErrorExcerpt:
    file: str
    line: int
    lines: list[tuple[int, str]]


def error_excerpt(message: str, roots: Iterable[Path]) -> ErrorExcerpt | None:
    """The file and line an error names, with the lines around it when that file
    is one of ours to show (inside one of ``roots``: templates, config)."""
    text = message.split(": ", 1)[-1] if message.startswith(("template error", "config")) else ""
    match = _ERROR_WHERE.match(text or message)
    if match is None:
        return None
    path, line = Path(match.group("file")), int(match.group("line"))
    shown: list[tuple[int, str]] = []
    if any(_inside(path, root) for root in roots) and path.is_file():
        try:
            source = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            source = []
        start = max(line - 4, 1)
        shown = [(n, source[n - 1]) for n in range(start, min(line + 3, len(source)) + 1)]
    return ErrorExcerpt(str(path), line, shown)


@dataclass(frozen=True)
class IssueView:
    """Everything an issue page shows."""

    name: str
    title: str
    is_draft: bool
    subject: str
    sender: str
    preheader: str
    date: str
    item_count: int
    html_bytes: int
    findings: list[Finding]
    problems: list[Problem]
    text_lines: list[str]
    html_source: str
    headers: list[tuple[str, str]]
    eml_text: str
    frame_version: str
    reprint: bool = False
    url: str = ""
    """Where the page lives (``/issues/<name>`` or ``/newsletters/<key>/issues/<name>``)."""
    newsletter: str | None = None
    """The newsletter's name, when several are shown."""

    @property
    def size(self) -> str:
        return kilobytes(self.html_bytes)

    @property
    def check_command(self) -> str:
        import shlex

        command = "digest check " + ("--draft" if self.is_draft else self.name)
        if self.newsletter:
            command += f" --newsletter {shlex.quote(self.newsletter)}"
        return command

    @property
    def size_percent(self) -> float:
        return min(100.0, 100.0 * self.html_bytes / GMAIL_CLIP_BYTES)

    @property
    def size_level(self) -> str:
        if self.html_bytes > GMAIL_CLIP_BYTES:
            return "error"
        return "warning" if self.html_bytes > SIZE_WARNING_BYTES else "ok"

    @property
    def warn_percent(self) -> float:
        return 100.0 * SIZE_WARNING_BYTES / GMAIL_CLIP_BYTES

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def issue_view(
    name: str,
    files: IssueFiles,
    settings: Settings,
    *,
    is_draft: bool,
    problems: list[Problem] | None = None,
    reprint: bool = False,
    url: str | None = None,
    newsletter: str | None = None,
) -> IssueView:
    headers = eml_headers(files.eml)
    header = {k.lower(): v for k, v in headers}
    number = files.meta.get("number", "?")
    return IssueView(
        name=name,
        title=f"Draft of issue #{number}" if is_draft else f"Issue #{number}",
        is_draft=is_draft,
        subject=header.get("subject") or str(files.meta.get("subject", "")),
        sender=header.get("from") or settings.sender,
        preheader=preheader_of(files.html),
        date=str(files.meta.get("date", "")),
        item_count=len(files.items),
        html_bytes=files.html_bytes,
        findings=run_checks(files, settings),
        problems=problems or [],
        text_lines=files.text.splitlines(),
        html_source=files.html,
        headers=headers,
        eml_text=files.eml.decode("utf-8", errors="replace"),
        frame_version=hashlib.sha256(files.html.encode("utf-8")).hexdigest()[:12],
        reprint=reprint,
        url=url or f"/issues/{name}",
        newsletter=newsletter,
    )


def sender_name(sender: str) -> str:
    from email.utils import parseaddr

    name, address = parseaddr(sender)
    return name or address


# --------------------------------------------------------------------------- live state


@dataclass(frozen=True)
class WatchGroup:
    paths: tuple[Path, ...]
    recursive: bool


class PreviewState:
    """The newsletters shown, each with its current draft, and the change counter
    open pages follow."""

    def __init__(self, config: Path | None, newsletter: str | None = None) -> None:
        self.config = config.resolve() if config else None
        self.only = newsletter
        """Show only this newsletter (``--newsletter``); all of them when ``None``."""
        self.newsletters: list[Newsletter] = []
        self.error: Draft | None = None
        """The configuration cannot be read: why. The last good newsletters stay."""
        self.version = 0
        self.stopping = False
        self._changed: asyncio.Condition | None = None

    @property
    def config_file(self) -> Path:
        from digest.config import DEFAULT_CONFIG_FILE

        return self.config or DEFAULT_CONFIG_FILE.resolve()

    def newsletter(self, base: str) -> Newsletter | None:
        """The newsletter whose pages live under ``base`` ("" or ``/newsletters/<key>``)."""
        return next((n for n in self.newsletters if n.base == base), None)

    def refresh_sync(self) -> None:
        from digest.config import ConfigError, editions_named, load_settings

        now = clock.now()  # one instant for every newsletter's draft
        try:
            chosen = editions_named(load_settings(self.config), self.only)
        except ConfigError as exc:
            error = Draft(error=f"configuration: {exc}")
            log.warning("draft: %s", error.error)
            # Published issues stay browsable; every draft shows the error.
            self.error = error
            self.newsletters = [replace(n, draft=error) for n in self.newsletters]
            return
        newsletters = newsletters_for(chosen, lambda settings: render_draft(settings, now))
        for newsletter in newsletters:
            if newsletter.draft.error:
                prefix = f"{newsletter.settings.name}: " if newsletter.base else ""
                log.warning("draft: %s%s", prefix, newsletter.draft.error)
        self.error, self.newsletters = None, newsletters

    async def refresh(self) -> None:
        """Re-render the draft off the event loop, then tell every open page."""
        await asyncio.to_thread(self.refresh_sync)
        await self.bump()

    async def bump(self) -> None:
        self.version += 1
        async with self.changed:
            self.changed.notify_all()

    @property
    def changed(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def stop(self) -> None:
        self.stopping = True
        async with self.changed:
            self.changed.notify_all()

    def watch_groups(self) -> list[WatchGroup]:
        """What to watch: templates, local sources and the outbox recursively; the
        config file's folder flat (editors replace files by renaming)."""
        deep: list[Path] = []
        for newsletter in self.newsletters:
            settings = newsletter.settings
            deep.append(Path(settings.templates_dir))
            deep += [Path(s) for s in settings.sources if "://" not in s]
            deep.append(Path(settings.outbox))
        deep_existing = tuple(sorted({p.resolve() for p in deep if p.exists()}))
        flat = (self.config_file.parent,) if self.config_file.parent.is_dir() else ()
        return [WatchGroup(deep_existing, True), WatchGroup(flat, False)]

    def relevant(self, path: Path, group: WatchGroup) -> bool:
        """A change worth a re-render: not a dotfile (lock, staging, editor swap)
        below a watched root, and in the flat group only the config file itself
        or an outbox (or a folder on the way to one) appearing."""
        if not group.recursive:
            outboxes = [Path(n.settings.outbox).resolve() for n in self.newsletters]
            return path == self.config_file or any(o.is_relative_to(path) for o in outboxes)
        for root in group.paths:
            if path == root or path.is_relative_to(root):
                parts = path.relative_to(root).parts
                return not any(p.startswith(".") or p.endswith("~") for p in parts)
        return False


async def _pump(
    state: PreviewState, group: WatchGroup, queue: asyncio.Queue[bool], stop: asyncio.Event
) -> None:
    from watchfiles import awatch

    # watchfiles logs every change at INFO; a log file inside a watched folder would
    # then feed itself forever.
    logging.getLogger("watchfiles").setLevel(logging.WARNING)

    if not group.paths:
        await stop.wait()
        return
    async for changes in awatch(
        *group.paths,
        recursive=group.recursive,
        debounce=WATCH_DEBOUNCE_MS,
        step=30,
        stop_event=stop,
        watch_filter=None,
    ):
        if any(state.relevant(Path(path), group) for _, path in changes):
            await queue.put(True)


async def watch(state: PreviewState) -> None:
    """Re-render on every relevant change; re-aim the watchers if the settings now
    name other folders (a new templates path, say)."""
    while not state.stopping:
        groups = state.watch_groups()
        stop = asyncio.Event()
        queue: asyncio.Queue[bool] = asyncio.Queue()
        pumps = [asyncio.create_task(_pump(state, g, queue, stop)) for g in groups]
        try:
            while not state.stopping:
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait([getter, *pumps], return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    # A watcher died (say, its folder was deleted): start afresh.
                    getter.cancel()
                    log.debug("file watcher stopped; watching again")
                    await asyncio.sleep(0.5)
                    await state.refresh()
                    break
                while not queue.empty():  # one render for a burst of saves
                    queue.get_nowait()
                await state.refresh()
                if state.watch_groups() != groups:
                    break
        finally:
            stop.set()
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)


# --------------------------------------------------------------------------- the web app


def page_environment() -> Environment:
    """The preview's own pages: the issue templates' Jinja setup, with the page
    helpers and limits as globals."""
    from digest.render import template_environment

    env = template_environment(ASSETS)
    env.globals.update(
        widths=WIDTHS,
        text_width=TEXT_WIDTH,
        clip_kb=GMAIL_CLIP_BYTES // 1024,
        kilobytes=kilobytes,
        sender_name=sender_name,
    )
    return env


class Guard:
    """ASGI middleware in front of every route: Host check (400), read-only methods
    (405), paths that try to escape (404), and security headers on every answer."""

    def __init__(self, app: Any, *, bind_host: str, port: int) -> None:
        self.app = app
        self.bind_host = bind_host
        self.port = port

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from starlette.responses import PlainTextResponse

        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal: Response | None = None
        if not host_allowed(headers.get("host"), self.bind_host, self.port):
            refusal = PlainTextResponse("Bad Request: unknown Host\n", status_code=400)
        elif scope["method"] not in ("GET", "HEAD"):
            refusal = PlainTextResponse(
                "Method Not Allowed: the preview is read-only\n",
                status_code=405,
                headers={"Allow": "GET, HEAD"},
            )
        elif suspicious_path(scope.get("raw_path") or scope["path"].encode("utf-8")):
            refusal = PlainTextResponse("Not Found\n", status_code=404)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.lower().encode(), v.encode())
                    for k, v in COMMON_HEADERS.items()
                    if k.lower().encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def create_app(
    state: PreviewState,
    *,
    bind_host: str,
    port: int,
    on_ready: Callable[[], None] | None = None,
) -> Guard:
    """The preview as an ASGI app, guarded; ``state`` is refreshed at start-up."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Route

    env = page_environment()

    def page(template: str, status: int = 200, **context: Any) -> Response:
        body = env.get_template(template).render(**context)
        # Pages follow changes by comparing this fingerprint, so a change elsewhere
        # (the draft, while a finished issue is open) does not reload the frame.
        fingerprint = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
        body = body.replace("__FINGERPRINT__", fingerprint, 1)
        return HTMLResponse(
            body, status_code=status, headers={"Content-Security-Policy": PAGE_CSP}
        )

    def not_found() -> Response:
        return PlainTextResponse("Not Found\n", status_code=404)

    def newsletter_of(request: Request) -> Newsletter | None:
        """The newsletter a URL names: ``/newsletters/<key>/…`` when several are
        shown, the only one for ``/issues/…``; ``None`` for any other."""
        key = request.path_params.get("key")
        return state.newsletter("" if key is None else f"/newsletters/{key}")

    def draft_files(newsletter: Newsletter) -> IssueFiles | None:
        draft = newsletter.draft
        if draft.error or draft.issue is None or draft.rendered is None:
            return None
        return files_from_rendered(draft.issue, draft.rendered)

    def files_for(newsletter: Newsletter, name: str) -> IssueFiles | None:
        if name == DRAFT:
            return draft_files(newsletter)
        return finished_issue_files(Path(newsletter.settings.outbox), name)

    async def index(request: Request) -> Response:
        sections = []
        for newsletter in state.newsletters:
            files = draft_files(newsletter)
            sections.append(
                IndexSection(
                    newsletter=newsletter,
                    rows=list_issues(Path(newsletter.settings.outbox)),
                    draft_files=files,
                    draft_findings=run_checks(files, newsletter.settings) if files else [],
                )
            )
        return page("index.html.j2", sections=sections, error=state.error)

    async def issue_page(request: Request) -> Response:
        name = request.path_params["name"]
        newsletter = newsletter_of(request)
        if newsletter is None and name == DRAFT and state.error and not state.newsletters:
            # The configuration was never readable: there is only the error to show.
            where = error_excerpt(state.error.error or "", [state.config_file.parent])
            return page(
                "error.html.j2", status=500, draft=state.error, newsletter=None, where=where
            )
        if newsletter is None:
            return not_found()
        several = bool(newsletter.base)
        if name == DRAFT and newsletter.draft.error:
            roots = [Path(newsletter.settings.templates_dir), state.config_file.parent]
            return page(
                "error.html.j2",
                status=500,
                draft=newsletter.draft,
                newsletter=newsletter if several else None,
                where=error_excerpt(newsletter.draft.error, roots),
            )
        files = files_for(newsletter, name)
        if files is None:
            if name == DRAFT:
                return page(
                    "error.html.j2",
                    status=404,
                    draft=newsletter.draft,
                    newsletter=newsletter if several else None,
                    where=None,
                )
            return not_found()
        view = issue_view(
            name,
            files,
            newsletter.settings,
            is_draft=name == DRAFT,
            problems=newsletter.draft.problems if name == DRAFT else None,
            reprint=newsletter.draft.reprint if name == DRAFT else False,
            url=newsletter.url(name),
            newsletter=newsletter.settings.name if several else None,
        )
        return page("issue.html.j2", view=view, newsletter=newsletter if several else None)

    async def email(request: Request) -> Response:
        newsletter = newsletter_of(request)
        files = files_for(newsletter, request.path_params["name"]) if newsletter else None
        if files is None:
            return not_found()
        dark = request.query_params.get("mode") == "dark"
        return HTMLResponse(
            frame_html(files.html, dark=dark), headers={"Content-Security-Policy": EMAIL_CSP}
        )

    async def raw(request: Request) -> Response:
        name, filename = request.path_params["name"], request.path_params["file"]
        newsletter = newsletter_of(request)
        if filename not in FILES or newsletter is None:
            return not_found()
        if name == DRAFT:
            draft = newsletter.draft
            if draft.error or draft.issue is None or draft.rendered is None:
                return not_found()
            body = issue_contents(draft.issue, draft.rendered)[filename]
        else:
            path = issue_file(Path(newsletter.settings.outbox), name, filename)
            if path is None:
                return not_found()
            body = path.read_bytes()
        # Shown as text, never as a page: an issue's HTML here cannot run anything.
        kind = "application/json" if filename.endswith(".json") else "text/plain; charset=utf-8"
        return Response(body, media_type=kind, headers={"Content-Security-Policy": EMAIL_CSP})

    async def asset(request: Request) -> Response:
        name = request.path_params["file"]
        kind = SERVED_ASSETS.get(name)
        if kind is None:
            return not_found()
        return Response((ASSETS / name).read_bytes(), media_type=kind)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen = state.version
            yield f"retry: 1000\nevent: version\ndata: {seen}\n\n"
            while not state.stopping:
                if await _wait_for_change(state, seen, KEEPALIVE_SECONDS):
                    if state.stopping:
                        return
                    seen = state.version
                    yield f"event: version\ndata: {seen}\n\n"
                else:
                    yield ": keep-alive\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        await asyncio.to_thread(state.refresh_sync)
        watcher = asyncio.create_task(watch(state))
        if on_ready is not None:
            asyncio.get_running_loop().run_in_executor(None, on_ready)
        try:
            yield
        finally:
            await state.stop()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    routes = [
        Route("/", index),
        Route("/events", events),
        Route("/assets/{file}", asset),
        Route("/issues/{name}", issue_page),
        Route("/issues/{name}/email.html", email),
        Route("/issues/{name}/{file}", raw),
        # Several newsletters: each one's issues under its own prefix.
        Route("/newsletters/{key}/issues/{name}", issue_page),
        Route("/newsletters/{key}/issues/{name}/email.html", email),
        Route("/newsletters/{key}/issues/{name}/{file}", raw),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    return Guard(app, bind_host=bind_host, port=port)


async def _wait_for_change(state: PreviewState, seen: int, timeout: float) -> bool:
    async with state.changed:
        try:
            await asyncio.wait_for(
                state.changed.wait_for(lambda: state.version != seen or state.stopping), timeout
            )
        except TimeoutError:
            return False
    return True


# --------------------------------------------------------------------------- the server


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class PreviewServer:
    """``digest preview``: bind now, serve in the foreground (``serve``) or in a
    background thread (``start``/``stop``, for tests and embedding)."""

    def __init__(
        self,
        config: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        newsletter: str | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.host = host
        self.socket = bind(host, port)
        self.port: int = self.socket.getsockname()[1]
        self.state = PreviewState(config, newsletter)
        self.app = create_app(self.state, bind_host=host, port=self.port, on_ready=on_ready)
        self._server = self._make_server()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def _make_server(self) -> Any:
        import uvicorn

        state = self.state

        class _Server(uvicorn.Server):
            async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
                # End the event streams first, or shutdown waits for them to time out.
                await state.stop()
                await super().shutdown(sockets)

        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
            server_header=False,
        )
        return _Server(config)

    def serve(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self._server.run(sockets=[self.socket])

    def start(self, timeout: float = 30.0) -> None:
        self._thread = threading.Thread(target=self.serve, name="digest-preview", daemon=True)
        self._thread.start()
        ready = threading.Event()

        def poll() -> None:
            while not self._server.started and self._thread and self._thread.is_alive():
                threading.Event().wait(0.02)
            ready.set()

        threading.Thread(target=poll, daemon=True).start()
        if not ready.wait(timeout) or not self._server.started:
            raise RuntimeError("the preview server did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()
