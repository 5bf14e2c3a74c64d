"""What each URL's body was read into, kept on disk, so that an unchanged feed is not
parsed again.

A ``304`` saves the download, but parsing the feed is most of a warm run's time. One
file per URL (named by a hash of it, beside the HTTP cache's): a line of JSON saying
which body it was read from (a hash of the body, how it was fetched and this
version of digest), then the ``SourceReport`` as JSON. A different body, a newer
digest or a file that cannot be read means the body is parsed again, so the cache
can only ever save time, never change what is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from digest import __version__
from digest.models import Article, Block, Problem, SourceReport
from digest.sources.httpcache import replace_whole

log = logging.getLogger(__name__)

_VERSION = 1
_SUFFIX = ".parsed"


def body_key(*parts: str | None, body: bytes) -> str:
    """What identifies one reading: the reader's inputs (``parts``) and the body."""
    digest = hashlib.sha256(f"{_VERSION} {__version__}".encode())
    for part in parts:
        digest.update(b"\0" + (part or "").encode())
    digest.update(b"\0" + body)
    return digest.hexdigest()


class ParsedCache:
    """The reports in ``folder``, which is made when the first one is stored."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest() + _SUFFIX)

    def load(self, url: str, key: str) -> SourceReport | None:
        try:
            head, _, data = self.path(url).read_bytes().partition(b"\n")
            if json.loads(head) != {"url": url, "key": key}:
                return None
            return decode(json.loads(data))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.debug("%s: parsed copy unreadable, ignored: %s", url, exc)
            return None

    def store(self, url: str, key: str, report: SourceReport) -> None:
        head = json.dumps({"url": url, "key": key})
        data = (head + "\n" + json.dumps(encode(report), ensure_ascii=False)).encode()
        try:
            replace_whole(self.path(url), data)
        except OSError as exc:  # costs a parse next time, no more
            log.warning("%s: cannot write the parsed copy in %s: %s", url, self.folder, exc)

    def remove(self, url: str) -> None:
        with contextlib.suppress(OSError):
            self.path(url).unlink(missing_ok=True)


def encode(report: SourceReport) -> dict[str, Any]:
    return {
        "articles": [_encode_article(article) for article in report.articles],
        "problems": [[p.source, p.message, p.level, p.dropped] for p in report.problems],
    }


def decode(data: dict[str, Any]) -> SourceReport:
    articles = [_decode_article(fields) for fields in data["articles"]]
    # Entries cached before ``dropped`` existed have three fields.
    problems = [Problem(*fields) for fields in data["problems"]]
    return SourceReport(articles, problems)


def _encode_article(article: Article) -> dict[str, Any]:
    fields = dict(vars(article))
    fields["blocks"] = [[block.text, block.kind] for block in article.blocks]
    fields["published"] = article.published.isoformat() if article.published else None
    return fields


def _decode_article(fields: dict[str, Any]) -> Article:
    fields = dict(fields)
    fields["blocks"] = tuple(Block(text, kind) for text, kind in fields["blocks"])
    published = fields["published"]
    fields["published"] = datetime.fromisoformat(published) if published else None
    return Article(**fields)
