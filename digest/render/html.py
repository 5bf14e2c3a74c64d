"""MJML → HTML, and the guarantees the HTML keeps whatever the template does.

``mjml_to_html`` runs the MJML compiler (no web-font links, no comments), turning its
complaint into a one-line ``TemplateProblem``; ``finish_html`` then makes every table a
layout table for screen readers (``role="presentation"``), declares dark mode when the
template styles it, and ends the document with exactly one ``"\\n"``.

mjml is imported on first use: importing this module stays cheap for ``digest --help``.
"""

from __future__ import annotations

import re
from pathlib import Path

from digest.issue import one_line
from digest.render.templates import TemplateProblem
from digest.render.text import canonical_lines

_TABLE_WITHOUT_ROLE = re.compile(r"<table(?![^>]*\brole=)", re.IGNORECASE)
_DARK_MEDIA = re.compile(r"prefers-color-scheme\s*:\s*dark", re.IGNORECASE)
_COLOR_SCHEME_META = (
    '<meta name="color-scheme" content="light dark">'
    '<meta name="supported-color-schemes" content="light dark">'
)


def mjml_to_html(source: str, path: Path) -> str:
    """The finished HTML of MJML ``source`` (the template at ``path``, named in a
    ``TemplateProblem`` when the MJML is invalid)."""
    from mjml import mjml2html

    try:
        # fonts={}: no web-font <link> to Google for the fallback names in the stack.
        html = mjml2html(source, disable_comments=True, fonts={})
    except ValueError as exc:
        raise TemplateProblem(f"{path}: invalid MJML: {one_line(str(exc))}") from exc
    return finish_html(html)


def finish_html(html: str) -> str:
    """Guarantees that hold whatever the template: every table is a layout table
    for screen readers, a template that styles dark mode declares it (mrml drops
    ``<meta>`` from ``mj-raw`` in the head), and the body ends with exactly one "\\n"."""
    html = _TABLE_WITHOUT_ROLE.sub('<table role="presentation"', html)
    if _DARK_MEDIA.search(html) and 'name="color-scheme"' not in html:
        html = html.replace("<head>", "<head>" + _COLOR_SCHEME_META, 1)
    return canonical_lines(html).rstrip() + "\n"
