"""One quote style per issue: straight quotes in titles, leads and headings made curly.

Sources mix styles: one feed writes "straight" quotes and it's, another “curly” ones
and it’s, and an issue that shows both looks careless. ``curl_quotes`` turns every
straight quote into the typographic one its neighbours call for (“ ” ‘ ’, and ’ for
apostrophes), leaving curly ones as they are, so the HTML and the plain text (both
built from the same view) read alike. ``straight_quotes`` is its inverse, for
comparing an issue's recorded texts with what its parts show (``digest check``).
Pure string functions; nothing here knows about templates.
"""

from __future__ import annotations

_OPENERS = frozenset("([{<‘“—–-/")
"""After these (or a space, or at the start) a quote opens."""
_ELISIONS = ("tis", "twas", "em", "n ", "n'", "n’", "cause")
"""Words that start with an apostrophe standing for dropped letters ('tis, rock 'n' roll)."""
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def curl_quotes(text: str) -> str:
    """``text`` with each ``"`` as “ or ”, and each ``'`` as ‘, ’ or an apostrophe ’."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        if char not in "\"'":
            out.append(char)
            continue
        before = out[-1] if out else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        opening = not before or before.isspace() or before in _OPENERS
        if char == '"':
            out.append("“" if opening and after and not after.isspace() else "”")
        elif not opening:
            out.append("’")  # an apostrophe (it's, the traders') or a closing quote
        elif after.isdigit() or text[index + 1 :].lower().startswith(_ELISIONS):
            out.append("’")  # '90s, 'tis
        elif after and not after.isspace():
            out.append("‘")
        else:
            out.append("’")
    return "".join(out)


def straight_quotes(text: str) -> str:
    """``text`` with every curly quote and apostrophe straight: for comparing texts
    whatever style each was written in."""
    return text.translate(_STRAIGHT)
