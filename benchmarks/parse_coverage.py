"""Parse coverage: what the list reader finds on the nineteen real lists, against the hand-made records
and against GitHub's own Markdown parser.

    .venv/bin/python benchmarks/parse_coverage.py [--data ../shared/data/lists] [--only NAME]

Per list (every file its records name: README.md, or the extra files of the two multi-file lists):
- `found`: records whose entry the reader finds: an entry holding the record's arXiv id whose line
  range contains the record's `line_number`.
- `whole`: the entry is exactly the record's: it starts at the record's line and its text is the
  record's `raw_block` (or, for one-line records, its first line is `raw_line`).
- `leaf ok`: of those found, the entry sits in a section whose heading is the record's leaf section
  (`heading_context` where the record has one, then its `group_labels` where it has them: the
  labels the list groups papers under), compared as lower-case letters and digits. The records of
  most lists note no labels even where the list has them (chawins' `**Rejection**` lines under a
  heading); an entry the reader files under such labels, inside the record's leaf, is counted ok
  and in `in labels`.
- `paths`: distinct section paths in the records (labels included), and how many the reader has: a section whose path
  holds the record's path in order (headings the reader has besides, such as a `Papers` container,
  are allowed). In the extra files of a multi-file list the parents come from the README, so there
  only the leaf is compared.
- `headings`, `tables`: found by the reader (headings, not labels) vs in GitHub's rendering of the same text (cmark-gfm via
  `cmarkgfm`, raw HTML kept: `<h1>`..`<h6>` and `<table>` elements, so HTML headings count too).
Macro: mean of the per-list shares; pooled: all records (or paths) together.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options
from common import ROOT, print_table

from bot.lists.document import ListDocument, Section, parse_list
from bot.lists.scan import scan_lines

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "lists"  # ../shared/data/lists from the worktree
GFM_EXTENSIONS = ("table", "strikethrough", "autolink", "tagfilter", "tasklist")


def norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


class _GithubCounts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings = 0
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings += 1
        elif tag == "table":
            self.tables += 1


def github_counts(text: str) -> tuple[int, int]:
    """Headings and tables in GitHub's rendering (raw HTML passed through, as GitHub shows it)."""
    html = cmarkgfm.markdown_to_html_with_extensions(text, Options.CMARK_OPT_UNSAFE, list(GFM_EXTENSIONS))
    counter = _GithubCounts()
    counter.feed(html)
    return counter.headings, counter.tables


def reader_counts(text: str) -> tuple[int, int]:
    """Headings and tables the reader finds (tables: distinct separator rows under a header)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    if lines:
        lines[0] = lines[0].removeprefix("\ufeff")
    scan = scan_lines(lines)
    headings = sum(1 for h in scan.headings if h.end < 0)  # labels are no headings to GitHub
    return headings, len({b.separator for b in scan.blocks if b.separator >= 0})


def record_path(record: dict) -> list[str]:
    """The record's section path (its headings), then the labels it is grouped under, if any."""
    return record.get("heading_context", record["section_path"]) + (record.get("group_labels") or [])


def label_parents(section: Section, labels: set[tuple[str, ...]]) -> set[str]:
    """The headings a section sits in through labels only: its parent if it is a label, and so on up."""
    path, found = section.path, set()
    while path in labels and len(path) > 1:
        path = path[:-1]
        found.add(norm(path[-1]))
    return found


def contains_in_order(path: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    rest = iter(path)
    return all(any(step == want for step in rest) for want in wanted)


def file_path(data: Path, name: str, source: str) -> Path:
    return data / "raw" / f"{name}.md" if source == "README.md" else data / "raw" / name / source


def measure_file(doc: ListDocument, records: list[dict], leaf_only: bool) -> dict[str, object]:
    placed = [(s, e) for s in doc.sections for e in s.entries]
    labels = {s.path for s in doc.sections if s.label}
    placed += [(None, e) for e in doc.latest_entries]
    by_id: dict[str, list] = defaultdict(list)
    for section, entry in placed:
        for arxiv_id in entry.arxiv_ids:
            by_id[arxiv_id].append((section, entry))
    found = whole = leaf_ok = in_labels = 0
    for record in records:
        line = record["line_number"] - 1
        hits = [(s, e) for s, e in by_id.get(record["arxiv_id"], []) if e.first_line <= line < e.end_line]
        if not hits:
            continue
        found += 1
        whole += any(e.first_line == line and (e.text == record["raw_block"] if record["raw_block"]
                                                else e.text.split("\n")[0] == record["raw_line"])
                     for _, e in hits)
        leaf = norm(record_path(record)[-1])
        exact = any(s is not None and norm(s.heading) == leaf for s, _ in hits)
        unnoted = not exact and not record.get("group_labels") and any(
            s is not None and leaf in label_parents(s, labels) for s, _ in hits)
        leaf_ok += exact or unnoted
        in_labels += unnoted
    reader_paths = [tuple(norm(step) for step in s.path) for s in doc.sections]
    wanted = {tuple(norm(step) for step in record_path(record)) for record in records}
    if leaf_only:
        wanted = {path[-1:] for path in wanted}
    paths_found = sum(any(p and p[-1] == w[-1] and contains_in_order(p, w) for p in reader_paths)
                      for w in wanted)
    return {"records": len(records), "found": found, "whole": whole, "leaf_ok": leaf_ok, "in_labels": in_labels,
            "paths": len(wanted), "paths_found": paths_found}


def measure_list(data: Path, name: str) -> dict[str, int]:
    rows = [json.loads(line) for line in (data / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    by_file: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_file[row["source_file"]].append(row)
    totals: dict[str, int] = defaultdict(int)
    for source, records in sorted(by_file.items()):
        text = file_path(data, name, source).read_text(encoding="utf-8")
        for key, value in measure_file(parse_list(text), records, source != "README.md").items():
            totals[key] += value  # type: ignore[operator]
        headings, tables = reader_counts(text)
        gh_headings, gh_tables = github_counts(text)
        totals["headings"] += headings
        totals["gh_headings"] += gh_headings
        totals["tables"] += tables
        totals["gh_tables"] += gh_tables
    return dict(totals)


def share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    names = sorted(p.stem for p in args.data.glob("*.jsonl") if args.only in p.stem)
    if not names:
        print(f"no lists in {args.data}", file=sys.stderr)
        return 1
    results = {name: measure_list(args.data, name) for name in names}
    rows = []
    for name, r in results.items():
        rows.append((name, r["records"], r["found"], f"{share(r['found'], r['records']):.3f}",
                     f"{share(r['whole'], r['records']):.3f}",
                     f"{share(r['leaf_ok'], r['records']):.3f}", r["in_labels"], f"{r['paths_found']}/{r['paths']}",
                     f"{r['headings']}/{r['gh_headings']}", f"{r['tables']}/{r['gh_tables']}"))
    pooled = {key: sum(r[key] for r in results.values()) for key in next(iter(results.values()))}
    rows.append(("macro", "", "", f"{sum(share(r['found'], r['records']) for r in results.values()) / len(results):.3f}",
                 f"{sum(share(r['whole'], r['records']) for r in results.values()) / len(results):.3f}",
                 f"{sum(share(r['leaf_ok'], r['records']) for r in results.values()) / len(results):.3f}", "",
                 f"{sum(share(r['paths_found'], r['paths']) for r in results.values()) / len(results):.3f}",
                 "", ""))
    rows.append(("pooled", pooled["records"], pooled["found"], f"{share(pooled['found'], pooled['records']):.3f}",
                 f"{share(pooled['whole'], pooled['records']):.3f}",
                 f"{share(pooled['leaf_ok'], pooled['records']):.3f}", pooled["in_labels"],
                 f"{pooled['paths_found']}/{pooled['paths']}",
                 f"{pooled['headings']}/{pooled['gh_headings']}", f"{pooled['tables']}/{pooled['gh_tables']}"))
    print_table(("list", "records", "found", "found %", "whole", "leaf ok", "in labels", "paths", "headings (ours/GitHub)",
                 "tables (ours/GitHub)"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
