"""Small builders shared by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from digest.models import DigestItem


def make_item(n: int = 1, **fields: object) -> DigestItem:
    data: dict[str, object] = {
        "id": f"{n:016x}",
        "title": f"Item number {n} has a title",
        "lead": f"This is the lead of item {n}. It has two sentences.",
        "headings": ["First section", "Second section"],
        "word_count": 600,
        "reading_minutes": 3,
        "source": f"seeds/{n:03d}.txt",
        "url": f"https://example.com/articles/{n}",
        "published": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    }
    data.update(fields)
    return DigestItem(**data)  # type: ignore[arg-type]


def run_digest(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real ``digest`` command in a subprocess, without the caller's DIGEST_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
