"""The HTTP cache on disk: each URL's validators and last good body, across restarts.

One file per URL in the cache folder (``outbox/.cache/http/`` for the pipeline),
named by a hash of the URL: a line of JSON (the validators, the freshness, a
``Retry-After`` deadline, the media type), then the body as it came. Each file is
replaced whole (written under a temporary name, then renamed), so a reader sees the
old entry or the new one. A file that cannot be read is treated as absent: the cache
only ever saves a download, so losing it costs one full fetch, never a source.

Standard library only; ``digest.sources.fetch`` decides what is stored and when an
entry may be used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

log = logging.getLogger(__name__)

_VERSION = 1
_SUFFIX = ".http"


@dataclass(frozen=True)
class Entry:
    """What is known of one URL: its last good response, or only when to ask again."""

    url: str
    stored_at: float
    """When the body was fetched or last confirmed by a 304 (seconds since the epoch)."""
    body: bytes | None = None
    """The last 2xx body, or ``None`` when only a ``Retry-After`` is remembered."""
    media_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fresh_until: float | None = None
    """Until when ``Cache-Control: max-age`` lets the body be used without asking."""
    retry_after: float | None = None
    """Before this instant the server asked not to be asked again (429/503)."""

    def is_fresh(self, now: float) -> bool:
        return self.body is not None and self.fresh_until is not None and now < self.fresh_until

    def waiting(self, now: float) -> bool:
        return self.retry_after is not None and now < self.retry_after

    def validators(self) -> dict[str, str]:
        """The conditional request headers that ask for the body only if it changed."""
        if self.body is None:
            return {}
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def but(self, **changes: object) -> Entry:
        return replace(self, **changes)  # type: ignore[arg-type]


def replace_whole(path: Path, data: bytes) -> None:
    """Write ``path`` under a temporary name, then rename it into place (its folder made
    if need be): a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Cache:
    """The entries in ``folder``, which is made when the first entry is stored."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest() + _SUFFIX)

    def load(self, url: str) -> Entry | None:
        try:
            data = self.path(url).read_bytes()
            head, _, body = data.partition(b"\n")
            fields = json.loads(head)
            if fields.pop("v", None) != _VERSION or fields.get("url") != url:
                return None
            has_body = fields.pop("has_body")
            return Entry(**fields, body=body if has_body else None)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.debug("%s: cache entry unreadable, ignored: %s", url, exc)
            return None

    def store(self, entry: Entry) -> None:
        fields = asdict(entry)
        body = fields.pop("body")
        fields.update(v=_VERSION, has_body=body is not None)
        data = json.dumps(fields).encode() + b"\n" + (body or b"")
        try:
            replace_whole(self.path(entry.url), data)
        except OSError as exc:  # a cache that cannot be written costs a download, no more
            log.warning("%s: cannot write the HTTP cache in %s: %s", entry.url, self.folder, exc)

    def remove(self, url: str) -> None:
        with contextlib.suppress(OSError):
            self.path(url).unlink(missing_ok=True)
