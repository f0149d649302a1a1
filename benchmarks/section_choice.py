"""Section choice on real lists: hide folds of entries, classify them from the rest of the README.

    .venv/bin/python benchmarks/section_choice.py [--data /work/shared/data/lists] [--folds 5]
        [--only NAME] [--errors]

For each list: parse the README with `bot.listdoc`, split its arXiv papers into folds; for each
fold remove every entry block of those papers from the README text, parse what is left, and ask
`choose_section` for each hidden paper with its title, the date of its arXiv id and the authors its
own entry names, as arXiv would give them (lists that write no authors give none; no abstract). A choice is right when it is a section where the full README lists the paper
(a paper filed under several sections is right in any of them). Prints top-1 and top-3 per list,
the macro average, the share of choices flagged confident and their accuracy, and timings.
Two lists keep their papers in extra files; their README is rebuilt from those files (see
`assemble_document`), with the parent headings the jsonl gives each file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.classify import arxiv_id_date, choose_section  # noqa: E402
from bot.classify_authors import authors_in_entry  # noqa: E402
from bot.listdoc import ListDocument, parse_list  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/lists")


def assemble_document(data: Path, name: str, rows: list[dict]) -> str:
    """The list as one Markdown text: the README itself, or, for lists that keep papers in other
    files, those files in order, each under the parent headings of its section path."""
    files = list(dict.fromkeys(r["source_file"] for r in rows))
    if files == ["README.md"]:
        return (data / "raw" / f"{name}.md").read_text(encoding="utf-8")
    parents_of = {r["source_file"]: tuple(r["section_path"][:-1]) for r in rows}
    parts: list[str] = []
    open_parents: tuple[str, ...] = ()
    for source in sorted(files, key=lambda f: tuple(parents_of[f])):
        parents = parents_of[source]
        for depth, heading in enumerate(parents):
            if open_parents[: depth + 1] != parents[: depth + 1]:
                parts.append(f"{'#' * (depth + 1)} {heading}\n")
        open_parents = parents
        text = (data / "raw" / name / source).read_text(encoding="utf-8")
        shift = "#" * len(parents)
        parts.append("\n".join(shift + line if line.startswith("#") else line
                               for line in text.split("\n")))
    return "\n".join(parts)


def hide(text: str, doc: ListDocument, hidden: set[str]) -> str:
    """The text without the entry blocks of the hidden papers."""
    lines = text.split("\n")
    keep = [True] * len(lines)
    for section in doc.sections:
        for entry in section.entries:
            if entry.paper_id in hidden:
                keep[entry.first_line : entry.end_line] = [False] * (entry.end_line - entry.first_line)
    return "\n".join(line for line, kept in zip(lines, keep, strict=True) if kept)


@dataclass(frozen=True)
class ListCase:
    """One dev list as the benchmarks see it: its text, where each paper is, what is known of it."""

    text: str
    full: ListDocument
    truth: dict[str, set[tuple[str, ...]]]  # arXiv id -> paths of the sections listing it
    titles: dict[str, str]
    authors: dict[str, list[str]]  # the author keys each paper's own entry names
    ids: list[str]  # shuffled: fold k is ids[k::folds]

    def folds(self, folds: int) -> Iterator[tuple[list[str], ListDocument]]:
        """Each fold's hidden papers (sorted) and the list without their entry blocks."""
        for fold in range(folds):
            hidden = set(self.ids[fold::folds])
            yield sorted(hidden), parse_list(hide(self.text, self.full, hidden))


def load_case(data: Path, name: str) -> ListCase:
    rows = [json.loads(line) for line in (data / f"{name}.jsonl").read_text().splitlines()]
    text = assemble_document(data, name, rows)
    full = parse_list(text)
    truth: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for section in full.sections:
        for entry in section.entries:
            if entry.paper_id:
                truth[entry.paper_id].add(section.path)
    titles = {r["arxiv_id"]: r["title"] for r in rows}
    authors = {e.paper_id: sorted(authors_in_entry(e.text)) for s in full.sections for e in s.entries
               if e.paper_id}
    ids = sorted(titles)
    random.Random(0).shuffle(ids)
    return ListCase(text, full, truth, titles, authors, ids)


def evaluate_list(data: Path, name: str, folds: int, errors: bool) -> dict[str, float]:
    case = load_case(data, name)
    full, truth, titles, authors, ids = case.full, case.truth, case.titles, case.authors, case.ids
    top1 = top3 = confident = confident_right = 0
    build_seconds: list[float] = []
    classify_seconds = 0.0
    for hidden, rest in case.folds(folds):
        started = time.perf_counter()
        choose_section(rest, "warm-up")  # builds and caches the model for this text
        build_seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        for arxiv_id in hidden:
            choice = choose_section(rest, titles[arxiv_id], published=arxiv_id_date(arxiv_id),
                                    authors=authors.get(arxiv_id, ()))
            if choice is None:
                continue
            paths = [s.path for s, _ in choice.candidates]
            right = paths[0] in truth[arxiv_id]
            top1 += right
            top3 += any(p in truth[arxiv_id] for p in paths[:3])
            confident += choice.confident
            confident_right += choice.confident and right
            if errors and not right:
                wanted = " | ".join(" > ".join(p[-2:]) for p in truth[arxiv_id]) or "(not found)"
                print(f"  {titles[arxiv_id][:70]:70s} -> {' > '.join(paths[0][-2:])[:40]:40s}"
                      f" want {wanted[:60]}")
        classify_seconds += time.perf_counter() - started
    n = len(ids)
    return {
        "n": n, "sections": len(full.paper_sections()), "located": sum(1 for i in ids if truth[i]),
        "top1": top1 / n, "top3": top3 / n, "confident": confident / n,
        "confident_acc": confident_right / confident if confident else 0.0,
        "build_s": max(build_seconds), "ms_per_paper": 1000 * classify_seconds / n,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", help="run the lists whose name contains this")
    parser.add_argument("--errors", action="store_true", help="print every wrong top-1 choice")
    args = parser.parse_args()
    names = sorted(p.stem for p in args.data.glob("*.jsonl") if not args.only or args.only in p.stem)
    header = (f"{'list':44s} {'papers':>6s} {'cands':>5s} {'top-1':>6s} {'top-3':>6s} "
              f"{'conf%':>6s} {'conf-acc':>8s} {'build s':>7s} {'ms/paper':>8s}")
    print(header)
    results = {}
    for name in names:
        r = evaluate_list(args.data, name, args.folds, args.errors)
        results[name] = r
        print(f"{name:44s} {r['n']:6d} {r['sections']:5d} {r['top1']:6.3f} {r['top3']:6.3f} "
              f"{100 * r['confident']:6.1f} {r['confident_acc']:8.3f} {r['build_s']:7.2f} "
              f"{r['ms_per_paper']:8.2f}", flush=True)
    if results:
        count = len(results)
        print(f"{'macro average':44s} {'':6s} {'':5s} "
              f"{sum(r['top1'] for r in results.values()) / count:6.3f} "
              f"{sum(r['top3'] for r in results.values()) / count:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
