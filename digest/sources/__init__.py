"""The sources stage: every supported input read into ``Article`` objects.

``read_sources(specs)`` (in ``read``) takes file paths, folder paths and http(s)
URLs and returns a ``SourceReport``; whatever goes wrong with one source becomes a
one-line ``Problem`` and the others are still read.

This module names the readers, one per format, each in its own module:

- ``text``: plain text, one paragraph per line (``.txt``, ``.text``);
- ``markdown``: Markdown with optional front matter (``.md``, ``.markdown``…);
- ``html``: web pages, main text extracted with trafilatura (``.html``, ``.htm``…);
- ``feed``: RSS and Atom feeds, one article per entry (``.xml``, ``.rss``, ``.atom``…).

``opml`` parses OPML reading lists; ``read`` expands one, while planning, into the
feeds it names. ``base.decode`` is how every reader turns bytes into text: a BOM, a
charset declared by HTTP or the document itself, else detection (charset-normalizer).

``registry`` dispatches by extension, media type or body, as Pelican does: supporting
a new format is writing a ``digest.sources.base.Reader`` and calling ``register``.
``files`` and ``fetch`` hold all the file and network I/O.

Nothing heavy is imported here: trafilatura, feedparser, lxml, frontmatter,
markdown-it, charset-normalizer, listparser, defusedxml and the HTTP code are
imported by the readers that need them, when they do, so that the CLI starts quickly.
"""

from __future__ import annotations

from digest.sources.base import Reader
from digest.sources.feed import FeedReader
from digest.sources.html import HtmlReader
from digest.sources.markdown import MarkdownReader
from digest.sources.opml import is_reading_list
from digest.sources.read import is_url, iter_sources, read_linked, read_sources
from digest.sources.registry import (
    reader_for_path,
    readers,
    register,
    sniff_markup,
    unregister,
)
from digest.sources.text import TextReader

__all__ = [
    "Reader",
    "is_reading_list",
    "is_url",
    "iter_sources",
    "read_linked",
    "read_sources",
    "reader_for_path",
    "readers",
    "register",
    "sniff_markup",
    "unregister",
]

for _reader in (TextReader(), MarkdownReader(), HtmlReader(), FeedReader()):
    register(_reader)
