"""Pre-send checks: what is wrong with one issue, before anyone receives it.

A package in two rooms: ``facts`` reads what an issue's HTML, plain text and .eml
hold; ``rules`` judges those facts, one ``check_*`` function per rule, and
``run_checks`` runs every rule. This module owns ``Finding``, the one line a rule
says about a problem, and re-exports what ``digest check`` and the preview use, so
callers import from ``digest.check``. An issue's files and how they are read live in
``digest.outbox``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem with an issue, said in one line."""

    severity: Severity
    check: str
    """Short name of the rule, e.g. ``"size"`` or ``"alt-text"``."""
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.check}: {self.message}"


# The rules make Findings, so they are imported once Finding exists.
from digest.check.facts import preheader_of  # noqa: E402
from digest.check.rules import (  # noqa: E402
    GMAIL_CLIP_BYTES,
    SIZE_WARNING_BYTES,
    check_alt_text,
    check_contrast,
    check_dropped,
    check_eml,
    check_flood,
    check_https,
    check_language,
    check_leads,
    check_leftovers,
    check_parity,
    check_sections,
    check_size,
    check_text_lines,
    check_unsubscribe,
    has_errors,
    run_checks,
)

__all__ = [
    "GMAIL_CLIP_BYTES",
    "SIZE_WARNING_BYTES",
    "Finding",
    "Severity",
    "check_alt_text",
    "check_contrast",
    "check_dropped",
    "check_eml",
    "check_flood",
    "check_https",
    "check_language",
    "check_leads",
    "check_leftovers",
    "check_parity",
    "check_sections",
    "check_size",
    "check_text_lines",
    "check_unsubscribe",
    "has_errors",
    "preheader_of",
    "run_checks",
]
