"""Does the abstract help pick the section? `ABSTRACT_WEIGHT`, measured on the papers that have one.

The lists' records carry titles only, so `benchmarks/section_choice.py` cannot weigh what `/add` also
reads: the abstract arXiv gives. The labelled relevance set (`../shared/data/relevance/dev.jsonl`) holds
603 arXiv papers with their abstracts, and some of them are listed in the nineteen lists (most in
ydyjya/Awesome-LLM-Safety and ThuCCSLab/Awesome-LM-SSP). For those, with the same folds and truth as
section_choice.py (the paper's entry hidden with its fold), `choose_section` is asked with the title
alone and with the title and abstract, the abstract's scores added at each weight of `--weights`.
Printed per list and per group (the tuning lists of section_choice.py, and the others) as top-1 / top-3.

    .venv/bin/python benchmarks/section_abstracts.py [--weights 0,0.25,0.5,1,2] [--group tuning]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot.curation.sections as sections  # noqa: E402
from benchmarks.section_choice import DEFAULT_DATA, TUNING, load_case  # noqa: E402
from bot.curation.groups import topic_key  # noqa: E402
from bot.curation.sections import arxiv_id_date, choose_section  # noqa: E402

FOLDS = 5  # as section_choice.py


def abstracts(data: Path) -> dict[str, str]:
    path = data.parent / "relevance" / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["arxiv_id"]: r["summary"] for r in rows}


def evaluate(data: Path, name: str, known: dict[str, str], weights: list[float]) -> dict[float, list[int]]:
    """For each weight: [papers, right at top 1, right in the top 3]."""
    case = load_case(data, name)
    out: dict[float, list[int]] = {w: [0, 0, 0] for w in weights}
    for hidden, rest in case.folds(FOLDS):
        for arxiv_id in (i for i in hidden if i in known and case.topics(i)):
            wanted = case.topics(arxiv_id)
            for weight in weights:
                sections.ABSTRACT_WEIGHT = weight
                choice = choose_section(rest, case.titles[arxiv_id], known[arxiv_id] if weight else "",
                                        published=arxiv_id_date(arxiv_id), authors=case.authors.get(arxiv_id, ()))
                if choice is None:
                    continue
                keys = [topic_key(s.path, case.groups) for s, _ in choice.candidates]
                tally = out[weight]
                tally[0] += 1
                tally[1] += keys[0] in wanted
                tally[2] += any(k in wanted for k in keys[:3])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weights", default="0,0.25,0.5,1,2", help="abstract weights; 0 = the title alone")
    parser.add_argument("--group", choices=("tuning", "held-out", "all"), default="all")
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    known = abstracts(args.data)
    listed = defaultdict(int)
    for path in sorted(args.data.glob("*.jsonl")):
        for record in path.read_text(encoding="utf-8").splitlines():
            if json.loads(record)["arxiv_id"] in known:
                listed[path.stem] += 1
    saved = sections.ABSTRACT_WEIGHT
    print(f"{'list':46} {'group':8} {'papers':>6}  " + "  ".join(f"w={w:<4g} top-1/top-3" for w in weights))
    groups: dict[str, dict[float, list[int]]] = {}
    for name in sorted(listed):
        group = "tuning" if name in TUNING else "held-out"
        if args.group not in ("all", group):
            continue
        result = evaluate(args.data, name, known, weights)
        total = groups.setdefault(group, {w: [0, 0, 0] for w in weights})
        for w in weights:
            total[w] = [a + b for a, b in zip(total[w], result[w], strict=True)]
        print(result_row(name, group, result, weights))
    sections.ABSTRACT_WEIGHT = saved
    for group, total in groups.items():
        print(result_row(f"pooled ({group})", group, total, weights))
    return 0


def result_row(name: str, group: str, result: dict[float, list[int]], weights: list[float]) -> str:
    n = result[weights[0]][0]
    cells = [f"{r[1] / max(1, r[0]):.3f} / {r[2] / max(1, r[0]):.3f}" for r in (result[w] for w in weights)]
    return f"{name:46} {group:8} {n:6}  " + "  ".join(f"{c:>18}" for c in cells)


if __name__ == "__main__":
    raise SystemExit(main())
