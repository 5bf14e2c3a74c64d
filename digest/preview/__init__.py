"""The preview server: every issue as readers will see it, live while you edit.

This package owns ``digest preview``: a local, read-only web app (Starlette on
uvicorn) that lists the outbox, shows each finished issue and a live draft of the
next one (rendered through ``pipeline.draft``, never written), watches templates,
sources, the config file and the outbox (watchfiles), and tells open pages to
refresh over server-sent events. It also shows each newsletter's web archive
(``/archive/``) as ``digest archive`` would write it, built in memory with
``digest.archive``'s pure functions. With several newsletters (``[[newsletters]]``)
each has its own draft and its pages under ``/newsletters/<key>/issues/…`` (and
``/newsletters/<key>/archive/``), so a URL always names one outbox. The checks it
shows come from ``digest.check``.

Safety is part of the job, because a local server is reachable by any web page the
editor has open: only GET and HEAD are answered; the ``Host`` header must name the
address the server listens on (a DNS-rebinding page cannot read it); only finished
issue folders, the archive built from them and the preview's own assets are served,
never dotfiles, staging folders, the lock file or anything a symlink points to
outside the outbox. The email HTML is served with a CSP sandbox and shown in a
sandboxed frame without scripts; the archive's pages, email HTML too, get the same
sandbox.

The modules, from the request inwards:

- ``guard``: what is answered at all and which files may be served (Host, method
  and path checks, the ``Guard`` middleware, CSP and common headers);
- ``app``: the route table, its handlers and ``create_app``;
- ``pages``: the page data (issue lists, issue views, error excerpts, the light and
  dark variants, the pretty-printed, highlighted source) and the Jinja environment
  for the pages in ``assets/``;
- ``links``: the on-demand link check (every link's status, over the sources' fetcher);
- ``state``: the newsletters shown, their drafts, and the file watcher;
- ``server``: binding the socket and running uvicorn (``PreviewServer``).
"""

# What the cli and the tests use; the rest is reached through its module.
from digest.preview.guard import host_allowed, suspicious_path
from digest.preview.links import LinkPolicy
from digest.preview.pages import dark_variant, light_variant, pretty_html
from digest.preview.server import PreviewServer, is_loopback

__all__ = [
    "LinkPolicy",
    "PreviewServer",
    "dark_variant",
    "host_allowed",
    "is_loopback",
    "light_variant",
    "pretty_html",
    "suspicious_path",
]
