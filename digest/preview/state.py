"""What the preview shows right now, and keeping it current.

This module owns the preview's live state: the newsletters shown (``Newsletter``:
settings, URL key, current ``Draft``, the issue files it may serve and its web
archive, built in memory), rendering each one's draft through
``pipeline.draft`` (never written), the change counter open pages follow over
server-sent events (``PreviewState``), and the file watcher that re-renders on every
relevant save to templates, sources, the config file or an outbox (``watch``).
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from digest import clock
from digest.outbox import FILES, IssueFiles, files_from_rendered, issue_contents
from digest.preview.guard import archive_sources, finished_issue_files, issue_file

if TYPE_CHECKING:
    from datetime import datetime

    from digest.config import Settings
    from digest.models import Issue, Problem, RenderedIssue

log = logging.getLogger(__name__)

DRAFT = "draft"
"""The name the next issue goes by in URLs, where a finished one has its folder's."""
WATCH_DEBOUNCE_MS = 150


# --------------------------------------------------------------------------- drafts


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

    def files(self) -> IssueFiles | None:
        """The draft's forms as ``write_issue`` would store them; ``None`` without one."""
        made = self._made()
        return files_from_rendered(*made) if made is not None else None

    def contents(self) -> dict[str, bytes] | None:
        """The draft's files byte for byte, by name; ``None`` without a draft."""
        made = self._made()
        return issue_contents(*made) if made is not None else None

    def _made(self) -> tuple[Issue, RenderedIssue] | None:
        if self.error or self.issue is None or self.rendered is None:
            return None
        return self.issue, self.rendered


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


# --------------------------------------------------------------------------- newsletters


@dataclass(frozen=True)
class Newsletter:
    """One newsletter the preview shows: its settings, its draft, and where its pages
    live: ``/issues/…`` when it is the only one, ``/newsletters/<key>/issues/…`` when
    there are several, so an issue's URL always names one outbox."""

    key: str
    settings: Settings
    draft: Draft
    base: str = ""

    @property
    def outbox(self) -> Path:
        return Path(self.settings.outbox)

    def url(self, name: str) -> str:
        return f"{self.base}/issues/{name}"

    def files(self, name: str) -> IssueFiles | None:
        """Issue ``name``'s files (the draft's for ``DRAFT``), if they may be shown."""
        if name == DRAFT:
            return self.draft.files()
        return finished_issue_files(self.outbox, name)

    def file_bytes(self, name: str, filename: str) -> bytes | None:
        """One of issue ``name``'s four files as stored, if it may be served."""
        if filename not in FILES:
            return None
        if name == DRAFT:
            contents = self.draft.contents()
            return contents[filename] if contents is not None else None
        path = issue_file(self.outbox, name, filename)
        return path.read_bytes() if path is not None else None

    @property
    def archive_url(self) -> str:
        return f"{self.base}/archive/"

    def archive_file(self, name: str) -> bytes | None:
        """File ``name`` of the web archive (``index.html``, ``feed.xml``, an issue's
        page) as ``digest archive`` would write it now, built in memory from the
        issues that may be shown; ``None`` if the archive has no such file. Raises
        ``TemplateProblem`` when a template cannot be rendered."""
        from digest.archive import archive_file, read_stored

        folders = archive_sources(self.outbox, name)
        if folders is None:
            return None
        stored, _ = read_stored(folders)  # an unreadable issue.json: left out, as there
        return archive_file(name, stored, self.settings)


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
        from digest.config import ConfigError, load_settings, newsletters_named

        now = clock.now()  # one instant for every newsletter's draft
        try:
            chosen = newsletters_named(load_settings(self.config), self.only)
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
        """Re-render the drafts off the event loop, then tell every open page."""
        await asyncio.to_thread(self.refresh_sync)
        self.version += 1
        await self._notify()

    async def stop(self) -> None:
        """End every open event stream (they wait on ``changed``)."""
        self.stopping = True
        await self._notify()

    @property
    def changed(self) -> asyncio.Condition:
        # Made on first use, inside the server's event loop (the state itself is
        # made before that loop runs, in another thread).
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def changed_since(self, seen: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a version other than ``seen`` (or the
        end); ``False`` if nothing changed in that time."""
        async with self.changed:
            try:
                await asyncio.wait_for(
                    self.changed.wait_for(lambda: self.version != seen or self.stopping),
                    timeout,
                )
            except TimeoutError:
                return False
        return True

    def watch_groups(self) -> list[WatchGroup]:
        """What to watch: templates, local sources and the outbox recursively; the
        config file's folder flat (editors replace files by renaming)."""
        deep: list[Path] = []
        for newsletter in self.newsletters:
            settings = newsletter.settings
            deep += settings.template_folders  # the user's overrides and the theme's
            deep += [Path(s.spec) for s in settings.source_specs() if "://" not in s.spec]
            deep.append(newsletter.outbox)
        deep_existing = tuple(sorted({p.resolve() for p in deep if p.exists()}))
        flat = (self.config_file.parent,) if self.config_file.parent.is_dir() else ()
        return [WatchGroup(deep_existing, True), WatchGroup(flat, False)]

    def relevant(self, path: Path, group: WatchGroup) -> bool:
        """A change worth a re-render: not a dotfile (lock, staging, editor swap)
        below a watched root, and in the flat group only the config file itself
        or an outbox (or a folder on the way to one) appearing."""
        if not group.recursive:
            outboxes = [n.outbox.resolve() for n in self.newsletters]
            return path == self.config_file or any(o.is_relative_to(path) for o in outboxes)
        for root in group.paths:
            if path == root or path.is_relative_to(root):
                parts = path.relative_to(root).parts
                return not any(p.startswith(".") or p.endswith("~") for p in parts)
        return False


# --------------------------------------------------------------------------- the watcher


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
