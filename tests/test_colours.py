"""Colours (``digest.colours``): CSS colour values read as #rrggbb, and WCAG contrast."""

from __future__ import annotations

import pytest

from digest.colours import AA_LARGE, AA_NORMAL, contrast_ratio, parse_colour


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_aa_thresholds_are_wcags() -> None:
    assert (AA_NORMAL, AA_LARGE) == (4.5, 3.0)
    # #767676 is the lightest grey that passes on white; #949494 passes only when large.
    assert contrast_ratio("#767676", "#ffffff") >= AA_NORMAL
    assert AA_LARGE <= contrast_ratio("#949494", "#ffffff") < AA_NORMAL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#1D4ED8", "#1d4ed8"),
        (" #abc ", "#aabbcc"),
        ("#bbbbbb !important", "#bbbbbb"),
        ("white", "#ffffff"),
        ("Black", "#000000"),
        ("rgb(17, 24, 39)", "#111827"),
        ("rgba(300,0,0,0.5)", "#ff0000"),
        ("rgba(0, 0, 0, 0)", None),
        ("rgba(0,0,0,0.0)", None),
        ("transparent", None),
        ("inherit", None),
        ("", None),
    ],
)
def test_parse_colour_reads_opaque_css_colours(value: str, expected: str | None) -> None:
    assert parse_colour(value) == expected
