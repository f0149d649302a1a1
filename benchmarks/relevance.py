"""Relevance filter on the labelled seed feed: precision, recall and F1 of `score_relevance`.

    .venv/bin/python benchmarks/relevance.py [--data /work/shared/data/relevance/dev.jsonl]
        [--config examples/awesome-lrm-safety/paperbot.yml] [--readme .../README.md] [--errors]

The config is the seed list's, written as its maintainer would. To show that it generalises,
the set is split in two halves by a hash of the arXiv id: the config and threshold were worked
out looking only at the "tuning" half's mistakes; the "held-out" half is reported as is. A
threshold sweep shows how precision trades against recall around the configured threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify import score_relevance  # noqa: E402
from bot.config import LatestConfig, parse_config  # noqa: E402
from bot.listdoc import parse_list  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/relevance/dev.jsonl")
DEFAULT_CONFIG = ROOT / "examples/awesome-lrm-safety/paperbot.yml"
DEFAULT_README = ROOT / "examples/awesome-lrm-safety/README.md"


def half_of(arxiv_id: str) -> str:
    return "tuning" if hashlib.sha256(arxiv_id.encode()).digest()[0] % 2 == 0 else "held-out"


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(1 for p, g in pairs if p and g)
    fp = sum(1 for p, g in pairs if p and not g)
    fn = sum(1 for p, g in pairs if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--readme", type=Path, default=DEFAULT_README)
    parser.add_argument("--errors", choices=("tuning", "held-out", "all"),
                        help="also print the mistakes of that half")
    args = parser.parse_args()

    config, problems = parse_config(args.config.read_text(encoding="utf-8"))
    for problem in problems:
        print(f"config: {problem}")
    latest = config.latest or LatestConfig()
    doc = parse_list(args.readme.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]

    started = time.perf_counter()
    scored = []
    for row in rows:
        relevance = score_relevance(row["title"], row.get("summary", ""), row.get("categories", []),
                                    latest=latest, doc=doc)
        scored.append((row, relevance))
    elapsed = time.perf_counter() - started

    print(f"relevance on {args.data.name}: {len(rows)} papers, "
          f"{sum(r['label'] == 'relevant' for r in rows)} relevant; "
          f"min_relevance {latest.min_relevance}; {1000 * elapsed / len(rows):.2f} ms/paper")
    print(f"{'split':10s} {'n':>5s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for split in ("all", "tuning", "held-out"):
        pairs = [(rel.relevant, row["label"] == "relevant") for row, rel in scored
                 if split == "all" or half_of(row["arxiv_id"]) == split]
        precision, recall, f1, n = prf(pairs)
        print(f"{split:10s} {n:5d} {precision:9.3f} {recall:7.3f} {f1:6.3f}")

    print("\nthreshold sweep: precision / recall per split")
    print(f"{'threshold':>9s} {'all':>13s} {'tuning':>13s} {'held-out':>13s}")
    for threshold in (0.4, 0.5, 0.55, 0.6, 0.65, 0.7):
        cells = []
        for split in ("all", "tuning", "held-out"):
            pairs = [(rel.score >= threshold, row["label"] == "relevant") for row, rel in scored
                     if split == "all" or half_of(row["arxiv_id"]) == split]
            precision, recall, _, _ = prf(pairs)
            cells.append(f"{precision:.3f} / {recall:.3f}")
        print(f"{threshold:9.2f} {cells[0]:>13s} {cells[1]:>13s} {cells[2]:>13s}")

    if args.errors:
        print()
        for row, rel in scored:
            gold = row["label"] == "relevant"
            if rel.relevant != gold and args.errors in ("all", half_of(row["arxiv_id"])):
                kind = "FP" if rel.relevant else "FN"
                print(f"{kind} {rel.score:.2f} {row['title'][:90]} | {'; '.join(rel.reasons)[:120]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


