"""Small builders shared by the tests."""

from __future__ import annotations

from datetime import UTC, datetime

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
