"""The preview's link check: every link of an issue, with what its server answers.

This module owns listing an issue's links (``issue_links``: each ``<a href>`` of the
HTML once, in order, with its text, in-page jumps left out) and checking them on
demand (``check_links``): concurrently, at most ``LinkPolicy.parallel`` at a time,
through the same ``digest.sources.fetch.Fetcher`` that reads URL sources (its
timeouts, size limit, per-host politeness and checked addresses). Unlike a source
the editor named, a link in an issue came from somebody's page, so by default it
may not reach a private address (loopback, the LAN, a cloud metadata service): the
address each connection goes to is checked after resolving, so DNS rebinding cannot
get round it.
"""

from __future__ import annotations

import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from digest.check.facts import html_facts

if TYPE_CHECKING:
    import httpcore

    from digest.sources.fetch import Connector, Fetcher

CHECKED_SCHEMES = ("http:", "https:")
LINK_BODY_BYTES = 2_000_000
"""A linked page bigger than this is still a working link: only the status is wanted."""


@dataclass(frozen=True)
class LinkPolicy:
    """How links are checked: who may be reached, whom to trust, how much at once."""

    allow_private: bool = False
    """Links may lead to private addresses (tests on 127.0.0.1; off for real issues)."""
    verify: ssl.SSLContext | None = None
    """Certificates to trust; ``None``: the system's."""
    timeout: float = 10.0
    parallel: int = 8


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class LinkStatus:
    """One link and what checking it found."""

    url: str
    text: str
    status: int | None
    """The final HTTP status after redirects (200 for any success: the fetcher says
    only that it succeeded); ``None`` when there was no answer."""
    note: str
    """What went wrong (or why it was not checked), ``""`` for a working link."""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def label(self) -> str:
        if self.status is not None:
            return str(self.status)
        return "not checked" if self.note.startswith("not checked") else "failed"


def issue_links(html: str) -> list[Link]:
    """Every ``<a href>`` of ``html`` once (the first text it has), in order; not the
    contents' in-page jumps (``#item-3``), which lead to no server."""
    seen: dict[str, Link] = {}
    for href, text in html_facts(html).links:
        href = href.strip()
        if href and not href.startswith("#") and href not in seen:
            seen[href] = Link(href, text)
    return list(seen.values())


def check_links(links: list[Link], policy: LinkPolicy) -> list[LinkStatus]:
    """Each link's status, in the order given; never raises for a link."""
    from digest.sources.fetch import Fetcher

    checkable = [link for link in links if link.url.lower().startswith(CHECKED_SCHEMES)]
    with Fetcher(
        max_bytes=LINK_BODY_BYTES,
        timeout=policy.timeout,
        connect=_connector(policy.allow_private),
        parallel=policy.parallel,
        verify=policy.verify,
    ) as fetcher:
        workers = max(1, min(len(checkable), policy.parallel))
        with ThreadPoolExecutor(max_workers=workers) as threads:
            checked = threads.map(lambda link: _check(link, fetcher), checkable)
            found = dict(zip(checkable, checked, strict=True))
    skipped = "not checked: not an http(s) link"
    return [found.get(link) or LinkStatus(link.url, link.text, None, skipped) for link in links]


def _check(link: Link, fetcher: Fetcher) -> LinkStatus:
    from digest.sources.fetch import FetchError

    try:
        fetcher.fetch(link.url)
    except FetchError as exc:
        message = str(exc)
        # "HTTP 404 Not Found": the server answered, so the status is what matters.
        if message.startswith("HTTP ") and message[5:8].isdigit():
            return LinkStatus(link.url, link.text, int(message[5:8]), message)
        if message.startswith("skipped:") and message.endswith("limit"):
            # A success with a big body (the fetcher refuses those): the link works.
            return LinkStatus(link.url, link.text, 200, "")
        return LinkStatus(link.url, link.text, None, message)
    except Exception as exc:  # one odd link must not cost the rest of the list
        return LinkStatus(link.url, link.text, None, f"unexpected {type(exc).__name__}: {exc}")
    return LinkStatus(link.url, link.text, 200, "")


def _connector(allow_private: bool) -> Connector:
    """The ``Fetcher``'s connector: a plain TCP connection, refused (before any packet
    is sent) to a private address unless ``allow_private``."""
    import httpcore

    from digest.sources.fetch import is_private_address

    def connect(address: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
        if not allow_private and is_private_address(address):
            raise httpcore.ConnectError(f"refused: {address} is a private address")
        return httpcore.SyncBackend().connect_tcp(address, port, timeout=timeout)

    return connect
