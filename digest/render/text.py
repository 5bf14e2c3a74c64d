"""The plain text's finishing: 78-column lines, whatever the template wrote.

``wrap`` is the Jinja filter the text template uses for hanging indents; ``tidy_text``
is what every rendered text goes through afterwards (long lines wrapped, trailing
spaces and runs of blank lines dropped, one final newline); ``canonical_lines`` makes
every line end ``"\\n"``, for the text, the HTML and the ``.eml``'s bodies alike.
"""

from __future__ import annotations

import textwrap

TEXT_WIDTH = 78


def wrap(text: str, indent: int | str = "", first: str | None = None) -> str:
    """Jinja filter: ``text`` wrapped to 78 columns with a hanging indent.

    ``first`` replaces the indent on the first line (for "1. " style prefixes).
    Words are never broken, so a long URL stays whole on a line of its own.
    """
    pad = " " * indent if isinstance(indent, int) else indent
    wrapper = textwrap.TextWrapper(
        width=TEXT_WIDTH,
        initial_indent=pad if first is None else first,
        subsequent_indent=pad,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(wrapper.wrap(text)) or (first or pad).rstrip()


def tidy_text(text: str) -> str:
    """Plain text safe to send whatever the template did: lines of at most 78
    columns (except a lone unbreakable word, i.e. a URL), no trailing spaces, at
    most one blank line in a row, exactly one final newline."""
    out: list[str] = []
    for line in canonical_lines(text).split("\n"):
        line = line.rstrip()
        if len(line) > TEXT_WIDTH:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(wrap(line.strip(), indent).split("\n"))
        elif line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def canonical_lines(body: str) -> str:
    """``body`` with every line end ``"\\n"`` (CRLF and lone CR alike)."""
    return body.replace("\r\n", "\n").replace("\r", "\n")
