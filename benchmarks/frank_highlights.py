"""Turn the FRANK benchmark's CNN/DailyMail articles into the JSONL bench_summarise reads.

    .venv/bin/python benchmarks/frank_highlights.py FRANK/data/articles-wbertscore-json OUT

FRANK (Pagnoni, Balachandran and Tsvetkov, NAACL 2021; github.com/artidoro/frank) keeps,
for each CNN/DailyMail test article it annotated, a JSON file named by the article's
hash, with the whole ``"article"``, its ``"url"`` and the editors' highlights
(``"bart_reference"``, true-cased, sentences joined by " . "). The XSum (BBC) files,
named by number, are left out: their single-sentence references are not highlights.

Writes ``OUT/cnndm.jsonl`` (every article), and a fixed split by the first byte of the
SHA-256 of each hash: ``OUT/tune.jsonl`` (even) to look at while changing the code,
``OUT/fresh.jsonl`` (odd) for the figures. One ``{"id", "url", "article",
"highlights"}`` object a line, as ``bench_summarise.py --highlights`` reads. Nothing is
written into the repository: the articles are the Daily Mail's and CNN's.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

_HASH = re.compile(r"[0-9a-f]{40}")
# The reference's sentences, tokenized as " . " between them.
_SENTENCE_END = re.compile(r"\s+\.\s*(?=\S|$)")


def record(path: Path) -> dict[str, object] | None:
    """One article's line, or None for a file that is not a CNN/DailyMail article."""
    if not _HASH.fullmatch(path.stem):
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    article = " ".join(str(data.get("article", "")).split())
    reference = str(data.get("bart_reference", "")).strip()
    if not article or not reference:
        return None
    highlights = [s.strip() for s in _SENTENCE_END.split(reference) if s.strip()]
    highlights = [s if s.endswith((".", "!", "?")) else s + "." for s in highlights]
    return {
        "id": path.stem,
        "url": data.get("url", ""),
        "article": article,
        "highlights": highlights,
    }


def is_fresh(article_id: str) -> bool:
    return hashlib.sha256(article_id.encode()).digest()[0] % 2 == 1


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    rows = [r for r in (record(p) for p in sorted(source.glob("*.json"))) if r]
    if not rows:
        print(f"no CNN/DailyMail articles in {source}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    sets = {
        "cnndm": rows,
        "tune": [r for r in rows if not is_fresh(str(r["id"]))],
        "fresh": [r for r in rows if is_fresh(str(r["id"]))],
    }
    for name, these in sets.items():
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in these)
        (out / f"{name}.jsonl").write_text(lines, encoding="utf-8")
        print(f"{out / name}.jsonl: {len(these)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
