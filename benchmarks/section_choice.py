"""Section choice on real lists, leave-lists-out: hide folds of entries, classify them from the rest.

    .venv/bin/python benchmarks/section_choice.py [--data ../shared/data/lists] [--folds 5]
        [--only NAME] [--errors] [--venue-from-entry]

For each list: parse the README with `bot.lists.document`, split its arXiv papers into folds; for each
fold remove every entry block of those papers from the README text, parse what is left, and ask
`choose_section` for each hidden paper with its title, the date of its arXiv id and the authors its
own entry names, as arXiv would give them (lists that write no authors give none; no abstract).

The truth is the curator's, not the reader's: a paper's true sections are the sections of the
parsed README that list it AND whose path holds the path its jsonl record gives (in order,
headings compared as `/add` compares them). A paper the reader does not find in such a section
cannot be placed right; `lost` counts them per list (the reader's share of the gap), `gone` the
hidden papers whose whole topic the fold emptied.

Targets are paths. The topic decides (`top-1` / `top-3`: the chosen section's path without its
year or venue-and-year headings is a true one's); the year group follows from the paper's date
(`year`: on lists with year groups, the share of right topics placed in the right group; `path`:
top-1 on whole paths).

Lists grouped by venue and year (`CVPR 2024`, `Year 2024 › CVPR`) file a paper by its venue,
which the bot reads from arXiv's journal_ref and comment; the jsonl records carry no venue. With
`--venue-from-entry`, each hidden paper is also given the venue its own entry shows ("CVPR 2024")
or, failing that, the venue its true group heading names, as arXiv's comment would
("Accepted at CVPR 2024"), and `path+v` / `year+v` print the same figures with that venue
(`venue%`: the share of papers given one). That is an upper bound: it assumes arXiv names the
venue of every paper whose entry or group does.

Every design choice of the section model was tuned on the TUNING lists only; the other lists are
held out, and the macro averages are printed for each group apart.
Two lists keep their papers in extra files; they are read as the bot reads them (`read_files`):
the README, the files it links and the files the jsonl names (as `files:`), every section's path
starting with its file's place in the README.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli.local_files import LocalTree, read_local_files  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.curation.authors import authors_in_entry  # noqa: E402
from bot.curation.groups import group_headings, topic_key  # noqa: E402
from bot.curation.headings import year_span  # noqa: E402
from bot.curation.match import normalise_heading  # noqa: E402
from bot.curation.sections import arxiv_id_date, choose_section  # noqa: E402
from bot.lists.document import ListDocument  # noqa: E402
from bot.lists.listset import ListSet  # noqa: E402
from bot.papers.venues import VENUE_WORD, venue_key, venue_year  # noqa: E402

_URL = re.compile(r"https?://[^\s)\]>\"']*")
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "lists"
# The lists earlier sessions tuned the section model on; every later choice was tuned on them
# too. The other twelve (added to ../shared later) are held out.
TUNING = ("ThuCCSLab__Awesome-LM-SSP", "ydyjya__Awesome-LLM-Safety", "hemingkx__Awesome-Efficient-Reasoning",
          "chawins__llm-sp", "hijkzzz__Awesome-LLM-Strawberry", "isXinLiu__Awesome-MLLM-Safety",
          "tjunlp-lab__Awesome-LLMs-Evaluation-Papers")


def read_files(data: Path, name: str, files: Sequence[str] = ()) -> ListSet:
    """The list as the bot reads it: the README and, for lists that keep papers in other files
    (`raw/<name>/`), the files it links, each section's path starting with the file's place in
    the README (bot.cli.local_files). `files`: what a maintainer would list under `files:` (the
    jsonl's files; ydyjya's README links six of its nine)."""
    readme = data / "raw" / f"{name}.md"
    tree = LocalTree(data / "raw" / name, extra={"README.md": readme})
    return read_local_files(readme, Config(files=tuple(files)), tree=tree, index="README.md")


@dataclass(frozen=True)
class ListCase:
    """One list as the benchmarks see it: its text, where each paper is, what is known of it."""

    files: ListSet  # the list's files (one for most lists)
    full: ListDocument
    truth: dict[str, set[tuple[str, ...]]]  # arXiv id -> paths of the sections listing it
    titles: dict[str, str]
    authors: dict[str, list[str]]  # the author keys each paper's own entry names
    ids: list[str]  # shuffled: fold k is ids[k::folds]
    groups: frozenset[str]  # the list's year (or venue-and-year) group headings

    def folds(self, folds: int) -> Iterator[tuple[list[str], ListDocument]]:
        """Each fold's hidden papers (sorted) and the list without their entry blocks."""
        for fold in range(folds):
            hidden = set(self.ids[fold::folds])
            yield sorted(hidden), self.without((e.first_line, e.end_line) for s in self.full.sections
                                               for e in s.entries if e.paper_id in hidden)

    def without(self, spans: Iterable[tuple[int, int]]) -> ListDocument:
        """The list without the lines in `spans` (lines of `full`), each file read again."""
        drop = {line for first, end in spans for line in range(first, end)}
        texts = {}
        for part in self.files.parts:
            lines = part.doc.text.split("\n")
            kept = [line for n, line in enumerate(lines) if part.offset + n not in drop or n < part.headed]
            texts[part.file.path] = "\n".join(kept[part.headed:])
        return self.files.with_texts(texts).doc

    def topics(self, arxiv_id: str) -> set[tuple[str, ...]]:
        return {topic_key(p, self.groups) for p in self.truth[arxiv_id]}


def holds(parsed: Sequence[str], recorded: Sequence[str]) -> bool:
    """Whether a parsed section path holds a record's path: its headings in order, compared as
    `/add` compares names (the records drop container headings such as "Papers")."""
    keys = iter(normalise_heading(h) for h in parsed)
    return all(any(key == normalise_heading(h) for key in keys) for h in recorded)


def load_case(data: Path, name: str) -> ListCase:
    rows = [json.loads(line) for line in (data / f"{name}.jsonl").read_text().splitlines()]
    files = read_files(data, name, sorted({r["source_file"] for r in rows} - {"README.md"}))
    full = files.doc
    recorded: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows:
        recorded[row["arxiv_id"]].append(row["section_path"])
    truth: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for section in full.sections:
        for entry in section.entries:
            paths = recorded.get(entry.paper_id, ())
            if any(holds(section.path, path) for path in paths):
                truth[entry.paper_id].add(section.path)
    titles = {r["arxiv_id"]: r["title"] for r in rows}
    authors = {e.paper_id: sorted(authors_in_entry(e.text)) for s in full.sections for e in s.entries
               if e.paper_id}
    ids = sorted(titles)
    random.Random(0).shuffle(ids)
    groups = group_headings(s.path for s in full.paper_sections())
    return ListCase(files, full, truth, titles, authors, ids, groups)


def entry_venue(case: ListCase, arxiv_id: str, entries: dict[str, list[str]]) -> str:
    """The venue a paper's own entry shows ("CVPR 2024", "ICLR'24"), else the venue its true
    group heading names, with the year of its group when the entry gives none ("" when neither
    names a venue other than arXiv): what arXiv's comment would say, were it to say it.
    `entries`: each paper's entry texts in the full list."""
    paths = sorted(case.truth[arxiv_id])
    spans = [span for h in (paths[0] if paths else ()) if h in case.groups
             and (span := year_span(h)) is not None and span.first == span.last]
    group_year = f" {spans[-1].first}" if spans else ""
    texts = [*entries.get(arxiv_id, ())]
    texts += [h for h in (paths[0] if paths else ()) if h in case.groups]
    for text in texts:
        text = _URL.sub(" ", text)
        for match in VENUE_WORD.finditer(text):
            if venue_key(match[0]) in ("", "arxiv"):
                continue
            year = venue_year(text[match.start():match.end() + 8])
            return f"{match['venue']} {year}" if year else match["venue"] + group_year
    return ""


def evaluate_list(data: Path, name: str, folds: int, errors: bool, venues: bool = False
                  ) -> dict[str, float]:
    case = load_case(data, name)
    titles, authors, ids = case.titles, case.authors, case.ids
    top1 = top3 = path1 = grouped = grouped_right = confident = confident_right = gone = 0
    path1_v = grouped_right_v = named = 0
    entries: dict[str, list[str]] = defaultdict(list)
    for section in case.full.sections if venues else ():
        for entry in section.entries:
            entries[entry.paper_id].append(entry.text)
    build_seconds: list[float] = []
    classify_seconds = 0.0
    for hidden, rest in case.folds(folds):
        started = time.perf_counter()
        choose_section(rest, "warm-up")  # builds and caches the model for this text
        build_seconds.append(time.perf_counter() - started)
        offered = {topic_key(s.path, case.groups) for s in rest.sections}
        started = time.perf_counter()
        for arxiv_id in hidden:
            wanted = case.topics(arxiv_id)
            gone += bool(wanted) and not wanted & offered
            choice = choose_section(rest, titles[arxiv_id], published=arxiv_id_date(arxiv_id),
                                    authors=authors.get(arxiv_id, ()))
            if choice is None:
                continue
            paths = [s.path for s, _ in choice.candidates]
            right = topic_key(paths[0], case.groups) in wanted
            top1 += right
            top3 += any(topic_key(p, case.groups) in wanted for p in paths[:3])
            path1 += paths[0] in case.truth[arxiv_id]
            placed_v = paths[0]
            if venues and (venue := entry_venue(case, arxiv_id, entries)):
                named += 1
                with_venue = choose_section(rest, titles[arxiv_id], published=arxiv_id_date(arxiv_id),
                                            venue=venue, authors=authors.get(arxiv_id, ()))
                placed_v = with_venue.section.path if with_venue else placed_v
            path1_v += placed_v in case.truth[arxiv_id]
            if right and any(h in case.groups for p in case.truth[arxiv_id] for h in p):
                grouped += 1
                grouped_right += paths[0] in case.truth[arxiv_id]
                grouped_right_v += placed_v in case.truth[arxiv_id]
            confident += choice.confident
            confident_right += choice.confident and right
            if errors and not right:
                want = " | ".join(" > ".join(p[-2:]) for p in case.truth[arxiv_id]) or "(lost)"
                print(f"  {titles[arxiv_id][:70]:70s} -> {' > '.join(paths[0][-2:])[:40]:40s}"
                      f" want {want[:60]}")
        classify_seconds += time.perf_counter() - started
    n = len(ids)
    located = n - sum(1 for i in ids if not case.truth[i]) or 1
    return {
        "top1_located": top1 / located, "top3_located": top3 / located,
        "n": n, "topics": len({topic_key(s.path, case.groups) for s in case.full.paper_sections()}),
        "lost": sum(1 for i in ids if not case.truth[i]), "gone": gone,
        "top1": top1 / n, "top3": top3 / n, "path1": path1 / n,
        "year": grouped_right / grouped if grouped else None,
        **({"path1_v": path1_v / n, "year_v": grouped_right_v / grouped if grouped else None,
            "venue_share": named / n} if venues else {}),
        "confident": confident / n, "confident_acc": confident_right / confident if confident else 0.0,
        "build_s": max(build_seconds), "ms_per_paper": 1000 * classify_seconds / n,
    }


HEADER = (f"{'list':44s} {'papers':>6s} {'lost':>5s} {'gone':>5s} {'topics':>6s} {'top-1':>6s} "
          f"{'top-3':>6s} {'path':>6s} {'year':>6s} {'conf%':>6s} {'conf-acc':>8s} {'build s':>7s} "
          f"{'ms/paper':>8s}")
VENUE_HEADER = f" {'venue%':>6s} {'path+v':>6s} {'year+v':>6s}"


def row(name: str, r: dict[str, float]) -> str:
    year = f"{r['year']:6.3f}" if r["year"] is not None else f"{'-':>6s}"
    line = (f"{name:44s} {r['n']:6d} {r['lost']:5d} {r['gone']:5d} {r['topics']:6d} {r['top1']:6.3f} "
            f"{r['top3']:6.3f} {r['path1']:6.3f} {year} {100 * r['confident']:6.1f} "
            f"{r['confident_acc']:8.3f} {r['build_s']:7.2f} {r['ms_per_paper']:8.2f}")
    if "path1_v" in r:
        year_v = f"{r['year_v']:6.3f}" if r["year_v"] is not None else f"{'-':>6s}"
        line += f" {100 * r['venue_share']:6.1f} {r['path1_v']:6.3f} {year_v}"
    return line


def macro_row(label: str, results: list[dict[str, float]]) -> str:
    """Macro top-1, top-3 and path top-1; then top-1 / top-3 over the papers the reader found in
    their true section (what the classifier scores once the reader loses nothing)."""
    count = len(results)
    means = [sum(r[k] for r in results) / count
             for k in ("top1", "top3", "path1", "top1_located", "top3_located")]
    line = (f"{label:44s} {'':6s} {'':5s} {'':5s} {'':6s} {means[0]:6.3f} {means[1]:6.3f} "
            f"{means[2]:6.3f}   (papers the reader places: {means[3]:.3f} / {means[4]:.3f})")
    if all("path1_v" in r for r in results):
        line += f"; path+v {sum(r['path1_v'] for r in results) / count:.3f}"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", help="run the lists whose name contains this")
    parser.add_argument("--errors", action="store_true", help="print every wrong top-1 choice")
    parser.add_argument("--venue-from-entry", action="store_true",
                        help="also give each hidden paper the venue its entry or group heading names "
                             "(an upper bound: assumes arXiv names it) and print path+v / year+v")
    parser.add_argument("--group", choices=("tuning", "held-out"),
                        help="run one group only (choose on tuning, then report held-out)")
    args = parser.parse_args()
    names = sorted(p.stem for p in args.data.glob("*.jsonl") if not args.only or args.only in p.stem)
    results: dict[str, dict[str, float]] = {}
    for group, members in (("tuning", [n for n in names if n in TUNING]),
                           ("held-out", [n for n in names if n not in TUNING])):
        if not members or (args.group and args.group != group):
            continue
        print(f"{group} lists\n{HEADER}{VENUE_HEADER if args.venue_from_entry else ''}")
        for name in members:
            results[name] = evaluate_list(args.data, name, args.folds, args.errors, args.venue_from_entry)
            print(row(name, results[name]), flush=True)
        print(macro_row(f"macro average ({group}, {len(members)} lists)",
                        [results[n] for n in members]) + "\n")
    if len(results) > 1:
        print(macro_row(f"macro average (all, {len(results)} lists)", list(results.values())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
