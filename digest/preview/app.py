"""The preview as a web app: one route table, its handlers, and ``create_app``.

This module owns the HTTP side: which URL answers with what (``ROUTES``), turning
page data into responses (the HTML pages with their CSP and fingerprint, the email
for the frame, an issue's raw files as text, the on-demand link check as JSON, the
web archive's pages and feed, the preview's own assets, the server-sent event
stream), and the app's lifespan (first render, the watcher).
Handlers are plain module-level functions; what they need (the live state, the
page templates) they take from ``request.app.state.preview``, a ``Context``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from digest.archive import FEED_FILE, INDEX_FILE
from digest.outbox import JSON_FILE
from digest.preview.guard import EMAIL_CSP, PAGE_CSP, Guard
from digest.preview.links import LinkPolicy, check_links, issue_links
from digest.preview.pages import (
    ASSETS,
    error_excerpt,
    frame_html,
    index_sections,
    issue_view,
    page_environment,
)
from digest.preview.state import DRAFT, Draft, Newsletter, PreviewState, watch
from digest.render import TemplateProblem

if TYPE_CHECKING:
    from jinja2 import Environment
    from starlette.requests import Request

SERVED_ASSETS = {"preview.css": "text/css", "preview.js": "text/javascript"}
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class Context:
    """What the handlers share, kept on ``app.state.preview``."""

    state: PreviewState
    pages: Environment
    on_ready: Callable[[], None] | None = None
    link_policy: LinkPolicy = field(default_factory=LinkPolicy)


def context(app: Starlette) -> Context:
    ctx: Context = app.state.preview
    return ctx


# --------------------------------------------------------------------------- responses


def page(ctx: Context, template: str, status: int = 200, **values: Any) -> Response:
    """One of the preview's pages, rendered, under ``PAGE_CSP``."""
    body = ctx.pages.get_template(template).render(**values)
    # Pages follow changes by comparing this fingerprint, so a change elsewhere
    # (the draft, while a finished issue is open) does not reload the frame.
    fingerprint = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    body = body.replace("__FINGERPRINT__", fingerprint, 1)
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


def not_found() -> Response:
    return PlainTextResponse("Not Found\n", status_code=404)


def newsletter_of(request: Request) -> Newsletter | None:
    """The newsletter a URL names: ``/newsletters/<key>/…`` when several are
    shown, the only one for ``/issues/…``; ``None`` for any other."""
    key = request.path_params.get("key")
    return context(request.app).state.newsletter("" if key is None else f"/newsletters/{key}")


def breadcrumb(newsletter: Newsletter | None) -> Newsletter | None:
    """The newsletter a page names in its breadcrumbs: only when there are several."""
    return newsletter if newsletter is not None and newsletter.base else None


def draft_error_page(
    ctx: Context, draft: Draft, newsletter: Newsletter | None, status: int
) -> Response:
    """Why there is no draft to show, with the lines the error names if it names any."""
    roots = [ctx.state.config_file.parent]
    if newsletter is not None:
        roots[:0] = newsletter.settings.template_folders
    where = error_excerpt(draft.error, roots) if draft.error else None
    return page(
        ctx,
        "error.html.j2",
        status=status,
        draft=draft,
        newsletter=breadcrumb(newsletter),
        where=where,
    )


# --------------------------------------------------------------------------- handlers


async def index(request: Request) -> Response:
    ctx = context(request.app)
    sections = index_sections(ctx.state.newsletters)
    return page(ctx, "index.html.j2", sections=sections, error=ctx.state.error)


async def issue_page(request: Request) -> Response:
    ctx = context(request.app)
    state = ctx.state
    name = request.path_params["name"]
    newsletter = newsletter_of(request)
    if newsletter is None:
        if name == DRAFT and state.error and not state.newsletters:
            # The configuration was never readable: there is only the error to show.
            return draft_error_page(ctx, state.error, None, status=500)
        return not_found()
    draft = newsletter.draft
    if name == DRAFT and draft.error:
        return draft_error_page(ctx, draft, newsletter, status=500)
    files = newsletter.files(name)
    if files is None and name == DRAFT:  # nothing to draft, not even again
        return draft_error_page(ctx, draft, newsletter, status=404)
    if files is None:
        return not_found()
    view = issue_view(
        name,
        files,
        newsletter.settings,
        is_draft=name == DRAFT,
        url=newsletter.url(name),
        problems=draft.problems if name == DRAFT else None,
        reprint=draft.reprint if name == DRAFT else False,
        newsletter=newsletter.settings.name if newsletter.base else None,
    )
    return page(ctx, "issue.html.j2", view=view, newsletter=breadcrumb(newsletter))


async def email(request: Request) -> Response:
    newsletter = newsletter_of(request)
    files = newsletter.files(request.path_params["name"]) if newsletter else None
    if files is None:
        return not_found()
    dark = request.query_params.get("mode") == "dark"
    return HTMLResponse(
        frame_html(files.html, dark=dark), headers={"Content-Security-Policy": EMAIL_CSP}
    )


async def links(request: Request) -> Response:
    """The link check, on demand: every link of the issue with its status, as JSON
    (POST only, from the preview's own page: ``guard.refusal`` sees to that)."""
    ctx = context(request.app)
    newsletter = newsletter_of(request)
    files = newsletter.files(request.path_params["name"]) if newsletter else None
    if files is None:
        return not_found()
    found = await asyncio.to_thread(check_links, issue_links(files.html), ctx.link_policy)
    rows = [{**asdict(status), "ok": status.ok, "label": status.label} for status in found]
    return JSONResponse({"links": rows})


async def raw(request: Request) -> Response:
    name, filename = request.path_params["name"], request.path_params["file"]
    newsletter = newsletter_of(request)
    body = newsletter.file_bytes(name, filename) if newsletter else None
    if body is None:
        return not_found()
    # Shown as text, never as a page: an issue's HTML here cannot run anything.
    kind = "application/json" if filename == JSON_FILE else "text/plain; charset=utf-8"
    return Response(body, media_type=kind, headers={"Content-Security-Policy": EMAIL_CSP})


async def archive(request: Request) -> Response:
    """The web archive as ``digest archive`` would write it, built in memory: the
    outbox is only read. Its pages are email HTML, so they get the email's CSP
    sandbox; their links are relative, so they work under any newsletter's prefix."""
    name = request.path_params.get("file", INDEX_FILE)
    newsletter = newsletter_of(request)
    sandboxed = {"Content-Security-Policy": EMAIL_CSP}
    try:
        body = await asyncio.to_thread(newsletter.archive_file, name) if newsletter else None
    except TemplateProblem as exc:
        return PlainTextResponse(f"template error: {exc}\n", status_code=500, headers=sandboxed)
    if body is None:
        return not_found()
    kind = "application/atom+xml" if name == FEED_FILE else "text/html; charset=utf-8"
    return Response(body, media_type=kind, headers=sandboxed)


async def asset(request: Request) -> Response:
    name = request.path_params["file"]
    kind = SERVED_ASSETS.get(name)
    if kind is None:
        return not_found()
    return Response((ASSETS / name).read_bytes(), media_type=kind)


async def events(request: Request) -> Response:
    return StreamingResponse(
        versions(context(request.app).state),
        media_type="text/event-stream",
        headers={"X-Accel-Buffering": "no"},
    )


async def versions(state: PreviewState) -> AsyncIterator[str]:
    """The event stream: the current version, then each new one as it comes, with
    a comment now and then so proxies and browsers keep the connection open."""
    seen = state.version
    yield f"retry: 1000\nevent: version\ndata: {seen}\n\n"
    while not state.stopping:
        if await state.changed_since(seen, KEEPALIVE_SECONDS):
            if state.stopping:
                return
            seen = state.version
            yield f"event: version\ndata: {seen}\n\n"
        else:
            yield ": keep-alive\n\n"


# --------------------------------------------------------------------------- the app


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Render every draft before the first request, then watch for changes."""
    ctx = context(app)
    await asyncio.to_thread(ctx.state.refresh_sync)
    watcher = asyncio.create_task(watch(ctx.state))
    if ctx.on_ready is not None:
        asyncio.get_running_loop().run_in_executor(None, ctx.on_ready)
    try:
        yield
    finally:
        await ctx.state.stop()
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


ROUTES = [
    Route("/", index),
    Route("/events", events),
    Route("/assets/{file}", asset),
    Route("/issues/{name}", issue_page),
    Route("/issues/{name}/email.html", email),
    Route("/issues/{name}/links.json", links, methods=["POST"]),
    Route("/issues/{name}/{file}", raw),
    Route("/archive/", archive),
    Route("/archive/{file}", archive),
    # Several newsletters: each one's issues and archive under its own prefix.
    Route("/newsletters/{key}/issues/{name}", issue_page),
    Route("/newsletters/{key}/issues/{name}/email.html", email),
    Route("/newsletters/{key}/issues/{name}/links.json", links, methods=["POST"]),
    Route("/newsletters/{key}/issues/{name}/{file}", raw),
    Route("/newsletters/{key}/archive/", archive),
    Route("/newsletters/{key}/archive/{file}", archive),
]


def create_app(
    state: PreviewState,
    *,
    bind_host: str,
    port: int,
    on_ready: Callable[[], None] | None = None,
    link_policy: LinkPolicy | None = None,
) -> Guard:
    """The preview as an ASGI app, guarded; ``state`` is refreshed at start-up."""
    app = Starlette(routes=ROUTES, lifespan=lifespan)
    app.state.preview = Context(state, page_environment(), on_ready, link_policy or LinkPolicy())
    return Guard(app, bind_host=bind_host, port=port)
