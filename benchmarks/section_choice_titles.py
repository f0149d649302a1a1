"""Section choice on the entries of the dev lists that have no arXiv link (DOIs, ACL Anthology,
OpenReview, publisher pages), labelled by their title: the papers `/add` now takes beyond arXiv.

    .venv/bin/python benchmarks/section_choice_titles.py [--data ../shared/data/lists] [--folds 5] [--only NAME]

Like benchmarks/section_choice.py (whose list loading it reuses), for each list: the paper entries
without an arXiv id but with a title (bot.papers.refs.title_key) are split into folds; each fold's entry
blocks are removed from the README, and `choose_section` is asked for each hidden entry with its
title and the authors its own entry names (no abstract, no date). Right when the chosen section is
one that lists that title. Prints top-1 and top-3 per list and the macro average.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.section_choice import DEFAULT_DATA, load_case  # noqa: E402
from bot.curation.authors import authors_in_entry  # noqa: E402
from bot.curation.sections import choose_section  # noqa: E402
from bot.papers.refs import title_key  # noqa: E402


def evaluate(data: Path, name: str, folds: int) -> dict[str, float]:
    case = load_case(data, name)
    full = case.full
    truth: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    entries = {}
    for section in full.sections:
        for entry in section.entries:
            if entry.is_paper and not entry.arxiv_ids and (key := title_key(entry.title)):
                truth[key].add(section.path)
                entries.setdefault(key, []).append(entry)
    keys = sorted(entries)
    random.Random(0).shuffle(keys)
    top1 = top3 = 0
    for fold in range(folds):
        hidden = keys[fold::folds]
        rest = case.without((entry.first_line, entry.end_line) for key in hidden for entry in entries[key])
        for key in hidden:
            entry = entries[key][0]
            choice = choose_section(rest, entry.title, authors=sorted(authors_in_entry(entry.text)))
            if choice is None:
                continue
            paths = [s.path for s, _ in choice.candidates]
            top1 += paths[0] in truth[key]
            top3 += any(p in truth[key] for p in paths[:3])
    n = len(keys)
    return {"n": n, "top1": top1 / n if n else 0.0, "top3": top3 / n if n else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    names = sorted(p.stem for p in args.data.glob("*.jsonl") if args.only in p.stem)
    results = []
    print(f"{'list':50s} {'n':>5s} {'top1':>6s} {'top3':>6s}")
    for name in names:
        result = evaluate(args.data, name, args.folds)
        if result["n"] < 10:
            continue  # too few non-arXiv entries to say anything
        results.append(result)
        print(f"{name:50s} {result['n']:5d} {result['top1']:6.3f} {result['top3']:6.3f}")
    if results:
        print(f"{'macro average':50s} {sum(r['n'] for r in results):5d} "
              f"{sum(r['top1'] for r in results) / len(results):6.3f} "
              f"{sum(r['top3'] for r in results) / len(results):6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
