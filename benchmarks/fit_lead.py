"""Fit the weights of the ``lead`` strategy (issue 14) and print them.

    .venv/bin/python benchmarks/fit_lead.py --highlights tune.jsonl --bbc /path/to/bbc

The lead weighs each candidate sentence by a sum of ``LEAD_FEATURES`` (its place, how
much of it the article is about, names, quotations …; see
``digest.summarise.informative``). This script reads the weights off human-written
summaries: for each candidate of each article, the share of its word pairs (ROUGE-2's
unit, stemmed) that the article's summary uses, fitted by ridge least squares.

The data are the tune halves only, never the held-out ones bench_summarise.py reports:
``--highlights`` (CNN/DailyMail-style JSON Lines, its tune half) and the ``tune`` split
of the BBC News Summary folder given by ``--bbc``. BBC's summaries are long and copied
from the article rather than written, so its sentences together weigh ``--bbc-share``
of the highlights' (0.16 by default).

Printed: a 5-fold cross-validated lead ROUGE-2 on the highlights (trained without the
fold it scores) beside Lead-3 and the lead with the weights in the code, then the
``_WEIGHTS`` line to paste into ``digest/summarise/informative.py``.

Needs the ``bench`` extra (rouge-score, which brings numpy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from rouge_score import tokenizers

sys.path.insert(0, str(Path(__file__).parent))
import bench_summarise as bench

import digest.summarise.informative as informative
from digest.summarise import lead_region, profile, sort_blocks, summarise
from digest.summarise.lead import LEAD_CHOICES, lead_candidates
from digest.summarise.words import content_words, count_clean_words

_TOKENS = tokenizers.DefaultTokenizer(use_stemmer=True)


@dataclass
class Row:
    """One article: its sample, its candidates' features, and what each is worth."""

    sample: bench.Sample
    features: np.ndarray
    target: np.ndarray


def word_pairs(text: str) -> Counter[tuple[str, str]]:
    words = _TOKENS.tokenize(text)
    return Counter(pairwise(words))


def rows_of(samples: list[bench.Sample], with_headline: bool) -> list[Row]:
    """Each article's candidates as the ``lead`` strategy sees them, their features, and
    the share of each one's word pairs the reference uses."""
    english = profile("en")
    rows = []
    for sample in samples:
        article = bench.as_article(sample, with_headline)
        body = sort_blocks(article.blocks, article.title if with_headline else "", english)
        candidates = lead_candidates(lead_region(body, english), LEAD_CHOICES)
        if not candidates:
            continue
        sizes = [count_clean_words(s) for s in candidates]
        words = [content_words(s) for s in candidates]
        leans = [informative.leans_on_previous(s) for s in candidates]
        features = informative.lead_features(candidates, body.paragraphs, sizes, words, leans)
        reference = word_pairs(sample.reference)
        target = []
        for sentence in candidates:
            pairs = word_pairs(sentence)
            target.append(sum((pairs & reference).values()) / max(1, sum(pairs.values())))
        rows.append(Row(sample, np.array(features), np.array(target)))
    return rows


def fit(rows: list[Row], weights: list[float], ridge: float) -> tuple[float, ...]:
    """Ridge least squares over every candidate of ``rows``, each row's sentences
    weighted by its entry in ``weights``; the constant feature is not shrunk."""
    x = np.vstack([r.features for r in rows])
    y = np.concatenate([r.target for r in rows])
    w = np.concatenate([np.full(len(r.target), k) for r, k in zip(rows, weights, strict=True)])
    penalty = ridge * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    solution = np.linalg.solve(x.T @ (x * w[:, None]) + penalty, x.T @ (y * w))
    return tuple(round(float(v), 3) for v in solution)


def leads(samples: list[bench.Sample]) -> list[str]:
    return [summarise(bench.as_article(s, False), lead_words=60).lead for s in samples]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--highlights", type=Path, required=True, help="tune half, JSON Lines")
    parser.add_argument("--bbc", type=Path, required=True, help="BBC News Summary folder")
    parser.add_argument("--bbc-share", type=float, default=0.16)
    parser.add_argument("--ridge", type=float, default=1.0)
    args = parser.parse_args(argv)

    highlights = rows_of(bench.load_highlights(args.highlights, None), False)
    bbc_samples = [s for s in bench.load(args.bbc, None) if bench.in_split(s.name, "tune")]
    bbc = rows_of(bbc_samples, True)
    n_high = sum(len(r.target) for r in highlights)
    n_bbc = sum(len(r.target) for r in bbc)
    bbc_weight = args.bbc_share * n_high / max(1, n_bbc)
    print(
        f"{len(highlights)} highlight articles ({n_high} candidates), "
        f"{len(bbc)} BBC tune articles ({n_bbc} candidates, weight {bbc_weight:.3f} each)"
    )

    # Cross-validated: each fold's leads come from weights fitted without it.
    folds = [list(range(k, len(highlights), 5)) for k in range(5)]
    saved = informative._WEIGHTS
    scored: list[bench.Sample] = []
    cv_leads: list[str] = []
    for fold in folds:
        held = set(fold)
        train = [r for i, r in enumerate(highlights) if i not in held] + bbc
        weights = [1.0] * (len(train) - len(bbc)) + [bbc_weight] * len(bbc)
        informative._WEIGHTS = fit(train, weights, args.ridge)
        samples = [highlights[i].sample for i in fold]
        scored += samples
        cv_leads += leads(samples)
    informative._WEIGHTS = saved
    references = [s.reference for s in scored]
    lead3 = bench.rouge_each([bench.lead3(s) for s in scored], references, "rouge2")
    systems = (("cross-validated fit", cv_leads), ("weights in the code", leads(scored)))
    for label, outputs in systems:
        r2 = bench.rouge_each(outputs, references, "rouge2")
        diff, half = bench.paired(r2, lead3)
        words = statistics.mean(bench.count_words(o) for o in outputs)
        print(
            f"  {label:22} R-2 {statistics.mean(r2):.4f}  − Lead-3 {diff:+.4f} ± {half:.4f}"
            f"  {words:.1f} words"
        )
    print(f"  {'Lead-3':22} R-2 {statistics.mean(lead3):.4f}")

    weights = [1.0] * len(highlights) + [bbc_weight] * len(bbc)
    fitted = fit(highlights + bbc, weights, args.ridge)
    print("\n# " + ", ".join(informative.LEAD_FEATURES))
    print(f"_WEIGHTS = {fitted}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
