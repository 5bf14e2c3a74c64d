"""Colours: reading a CSS colour value, and WCAG 2 contrast between two colours.

Pure functions, no settings and no I/O. The configuration's ``brand_colour`` check
and the pre-send contrast check both measure with ``contrast_ratio`` against the
same AA thresholds, so what the config accepts and what ``digest check`` passes
cannot drift apart.
"""

from __future__ import annotations

import re

AA_NORMAL, AA_LARGE = 4.5, 3.0
"""WCAG 2 AA minimum contrast for body text, and for large (24 px, or bold 18.66 px) text."""

_HEX = re.compile(r"#([0-9a-f]{6}|[0-9a-f]{3})\b", re.IGNORECASE)
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)", re.IGNORECASE)
_TRANSPARENT = re.compile(r",\s*0(\.0*)?\s*\)")
_NAMED = {"white": "#ffffff", "black": "#000000"}


def parse_colour(value: str) -> str | None:
    """``value`` (a CSS colour) as ``#rrggbb`` when it names an opaque colour we can read."""
    value = value.strip().lower()
    if value in _NAMED:
        return _NAMED[value]
    if value.startswith("rgba") and _TRANSPARENT.search(value):
        return None  # fully transparent: the background behind shows through
    hex_match = _HEX.search(value)
    if hex_match:
        digits = hex_match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return f"#{digits}"
    rgb = _RGB.search(value)
    if rgb:
        return "#" + "".join(f"{min(int(c), 255):02x}" for c in rgb.groups())
    return None


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour_a), luminance(colour_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
