"""Relevance filter on the labelled seed feed: precision, recall and F1 of `score_relevance`,
with the seed list's config and with no config at all, and what the scheduled update proposes.

    .venv/bin/python benchmarks/relevance.py [--data ../shared/data/relevance/dev.jsonl]
        [--config examples/awesome-lrm-safety/paperbot.yml] [--readme .../README.md]
        [--lists ../shared/data/lists/raw] [--errors tuning|held-out|all] [--tuning-only]

The config is the seed list's, written as its maintainer would. With no config, the list alone
(its title, headings and entries; `bot.curation.topic`) says what is on topic. To show that
choices generalise, the set is split in two halves by a hash of the arXiv id: the config, the
thresholds and the constants were worked out looking only at the "tuning" half; the "held-out"
half is reported as is. `--tuning-only` reads and prints the tuning half alone, for trying ideas
without seeing the held-out half.

"Update proposes" runs the real `bot.jobs.updates.plan_update` on one half's papers as one run's
candidates (as a first run over weeks of arXiv would see them, at most `max_papers` proposed)
and as daily runs (one run per publication day), and counts how many proposed papers are on
topic. The labels are about LLM / reasoning-model / agent safety, so the same measure is also
printed with no config for three other safety lists of ../shared (README only, no config):
how well the list-only topic works where a list holds more papers than the seed's few.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import LatestConfig, parse_config  # noqa: E402
from bot.curation.relevance import Relevance, score_relevance  # noqa: E402
from bot.jobs.updates import plan_update  # noqa: E402
from bot.lists.document import ListDocument, parse_list  # noqa: E402
from bot.lists.latest.block import END_MARKER, START_MARKER  # noqa: E402
from bot.papers.references import Paper  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_DATA = SHARED / "data" / "relevance" / "dev.jsonl"
DEFAULT_LISTS = SHARED / "data" / "lists" / "raw"
DEFAULT_CONFIG = ROOT / "examples/awesome-lrm-safety/paperbot.yml"
DEFAULT_README = ROOT / "examples/awesome-lrm-safety/README.md"
# The seed repository's other files (the README links collection/dataset/*.md and its archive).
DEFAULT_REPO = SHARED / "seed" / "repo-snapshot"
OTHER_LISTS = ("chawins__llm-sp", "isXinLiu__Awesome-MLLM-Safety", "ydyjya__Awesome-LLM-Safety",
               "ThuCCSLab__Awesome-LM-SSP")
SPLITS = ("all", "tuning", "held-out")


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


def in_split(row: dict, split: str) -> bool:
    return split == "all" or half_of(row["arxiv_id"]) == split


def repo_files(folder: Path) -> dict[str, str]:
    """{path: text} of the Markdown files under `folder` (a repository's files besides its README),
    as the bot would fetch the files a README links to. The seed snapshot keeps the head of its
    archive as `articles-README.head.md`: it is served at its real path, `articles/README.md`."""
    if not folder.is_dir():
        return {}
    files = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(folder.rglob("*.md")) if p.name != "README.md" or p.parent != folder}
    if "articles-README.head.md" in files:
        files["articles/README.md"] = files.pop("articles-README.head.md")
    return files


def paper_of(row: dict) -> Paper:
    day = date.fromisoformat(row["published"][:10])
    return Paper(row["arxiv_id"], 1, row["title"], tuple(row.get("authors", ())),
                 row.get("summary", ""), day, day, tuple(row.get("categories", ())))


def with_markers(text: str) -> str:
    """A list without a latest-papers table gets an empty one at its end (the update needs it)."""
    if START_MARKER in text:
        return text
    return f"{text.rstrip()}\n\n## Latest papers\n{START_MARKER}\n{END_MARKER}\n"


def proposed(readme: str, doc: ListDocument, latest: LatestConfig, rows: list[dict],
             daily: bool, files: dict[str, str]) -> list[str]:
    """arXiv ids the real update proposes for `rows`: one run, or one run per publication day."""
    batches: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        batches[row["published"][:10] if daily else "all"].append(row)
    ids: list[str] = []
    for key in sorted(batches):
        plan = plan_update(readme, None, [paper_of(r) for r in batches[key]], latest=latest,
                           doc=doc, known_ids=set(ids), files=files)
        ids += [k.paper.arxiv_id for k in plan.kept]
    return ids


def print_prf(title: str, scored: list[tuple[dict, Relevance]], splits: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(f"{'split':10s} {'n':>5s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for split in splits:
        pairs = [(rel.relevant, row["label"] == "relevant") for row, rel in scored
                 if in_split(row, split)]
        precision, recall, f1, n = prf(pairs)
        print(f"{split:10s} {n:5d} {precision:9.3f} {recall:7.3f} {f1:6.3f}")


def print_sweep(scored: list[tuple[dict, Relevance]], thresholds: tuple[float, ...],
                splits: tuple[str, ...]) -> None:
    print("threshold sweep: precision / recall per split")
    print(f"{'threshold':>9s} " + " ".join(f"{split:>13s}" for split in splits))
    for threshold in thresholds:
        cells = []
        for split in splits:
            pairs = [(rel.score >= threshold, row["label"] == "relevant") for row, rel in scored
                     if in_split(row, split)]
            precision, recall, _, _ = prf(pairs)
            cells.append(f"{precision:.3f} / {recall:.3f}")
        print(f"{threshold:9.2f} " + " ".join(f"{cell:>13s}" for cell in cells))


def print_update_share(name: str, readme: str, latest: LatestConfig, rows: list[dict],
                       files: dict[str, str], halves: tuple[str, ...]) -> None:
    doc = parse_list(readme)
    gold = {r["arxiv_id"]: r["label"] == "relevant" for r in rows}
    cells = []
    for split in halves:
        part = [r for r in rows if in_split(r, split)]
        for daily in (False, True):
            ids = proposed(readme, doc, latest, part, daily, files)
            on_topic = sum(gold[i] for i in ids)
            share = f"{on_topic / len(ids):.2f}" if ids else "  - "
            cells.append(f"{on_topic:3d}/{len(ids):<3d} {share}")
    print(f"{name:32s} " + "  ".join(f"{c:>14s}" for c in cells))


def score_all(rows: list[dict], score: Callable[[dict], Relevance]) -> list[tuple[dict, Relevance]]:
    return [(row, score(row)) for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--readme", type=Path, default=DEFAULT_README)
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO,
                        help="the seed repository's files (what its README links to)")
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS,
                        help="folder of other lists' READMEs (<owner>__<repo>.md, and <owner>__<repo>/ "
                             "with their other files)")
    parser.add_argument("--readme-only", action="store_true",
                        help="with no config, read the README alone (not the files it links to)")
    parser.add_argument("--errors", choices=("tuning", "held-out", "all"),
                        help="also print the mistakes of that half (with and without config)")
    parser.add_argument("--tuning-only", action="store_true",
                        help="read and print the tuning half alone (the held-out half stays unseen)")
    args = parser.parse_args()
    if args.tuning_only and args.errors not in (None, "tuning"):
        parser.error("--tuning-only prints the tuning half's mistakes only (--errors tuning)")
    splits = ("tuning",) if args.tuning_only else SPLITS
    halves = ("tuning",) if args.tuning_only else ("tuning", "held-out")

    config, problems = parse_config(args.config.read_text(encoding="utf-8"))
    for problem in problems:
        print(f"config: {problem}")
    latest = config.latest or LatestConfig()
    readme = args.readme.read_text(encoding="utf-8")
    doc = parse_list(readme)
    files = {} if args.readme_only else repo_files(args.repo)
    bare = LatestConfig()  # what a list with no .github/paperbot.yml gets
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if half_of(row["arxiv_id"]) in halves]

    def configured(row: dict) -> Relevance:
        return score_relevance(row["title"], row.get("summary", ""), row.get("categories", []),
                               latest=latest, doc=doc)

    def list_only(row: dict) -> Relevance:
        return score_relevance(row["title"], row.get("summary", ""), row.get("categories", []),
                               latest=bare, doc=doc, files=files)

    started = time.perf_counter()
    with_config = score_all(rows, configured)
    elapsed = time.perf_counter() - started
    without_config = score_all(rows, list_only)

    print(f"relevance on {args.data.name}: {len(rows)} papers, "
          f"{sum(r['label'] == 'relevant' for r in rows)} relevant; "
          f"{1000 * elapsed / len(rows):.2f} ms/paper with the config")
    print_prf(f"WITH the example config (min_relevance {latest.min_relevance})", with_config, splits)
    print_sweep(with_config, (0.4, 0.5, 0.55, 0.6, 0.65, 0.7), splits)
    print_prf(f"WITHOUT any config: the list alone (min_relevance {bare.min_relevance})",
              without_config, splits)
    print_sweep(without_config, (0.3, 0.4, 0.5, 0.6, 0.7), splits)

    print(f"\nshare on topic of what the scheduled update proposes with no config "
          f"(max_papers {bare.max_papers} per run): on topic / proposed, share")
    print(f"{'list':32s} " + "  ".join(f"{f'{half} {runs}':>14s}" for half in halves
                                       for runs in ("1 run", "daily")))
    print_update_share("seed (examples/awesome-lrm-safety)", readme, bare, rows, files, halves)
    print_update_share("seed, with its config", readme, latest, rows, files, halves)
    for name in OTHER_LISTS:
        path = args.lists / f"{name}.md"
        if path.exists():
            own = {} if args.readme_only else repo_files(args.lists / name)
            print_update_share(name, with_markers(path.read_text(encoding="utf-8")), bare, rows, own,
                               halves)

    if args.errors:
        for title, scored in (("with config", with_config), ("without config", without_config)):
            print(f"\nmistakes {title}:")
            for row, rel in scored:
                gold = row["label"] == "relevant"
                if rel.relevant != gold and in_split(row, args.errors):
                    kind = "FP" if rel.relevant else "FN"
                    print(f"{kind} {rel.score:.2f} {row['title'][:90]} | "
                          f"{'; '.join(rel.reasons)[:120]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
