"""Does `/add` write only the new paper's entry, on every real list? (the write guard's benchmark)

For each of the nineteen lists in the shared data, five arXiv papers spread over the list are held
back (their entry block removed from the file their records name; the multi-file lists use their
file with the most entries), then added back through the bot's own path: `plan_additions` (section
choice, and the write guard where the code has one) and `render_additions`, one paper after the
other as the rolling pull request writes them. Metadata comes from the record (title, arXiv id),
the authors and date its entry shows, or the recorded arXiv answer in tests/fixtures/arxiv when
one holds the paper. Every written edit is also judged by `bot.lists.write_guard` on its own, so the
figures mean the same whether or not the code under test calls the guard.

Printed per list: `n` papers held back; `accepted` papers whose edit the guard passes (the new code
proposes nothing else); `changed` existing lines changed or dropped by the edits the code proposes
(must be 0); `foreign` inserted lines naming another paper (another arXiv id, URL or entry title;
must be 0); `orig sect` proposed papers that landed in the section the list had them in; `chose`
papers whose chosen section is that one; `sorted` proposed papers whose section is sorted by date
(read by the benchmark itself: the month an entry's first line shows, else its arXiv id's; at
least four neighbours in order for each one out of order), `in order` those of them written where
their date puts them; `refused` papers the code under test answered "not understood".

    .venv/bin/python benchmarks/write_guard.py [DATA_DIR] [--only NAME] [--show]

`--show` prints every proposed edit that the guard refuses, or that changes lines or names another
paper (a unified diff), and the guard's reason; `--show all` prints every proposed edit.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import logging
import re
import sys
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from format_shape import authors_shown, published_of  # noqa: E402

from bot.config import Config  # noqa: E402
from bot.jobs.additions import AddRequest, plan_additions, render_additions  # noqa: E402
from bot.lists.document import Entry, Section, parse_list  # noqa: E402
from bot.lists.write_guard import check_addition, diff_lines, foreign_mention, other_titles  # noqa: E402
from bot.papers.references import Paper, parse_ref  # noqa: E402

HELD_BACK = 5


def load(data: Path) -> dict[str, list[dict]]:
    out = {}
    for path in sorted((data / "lists").glob("*.jsonl")):
        out[path.stem] = [json.loads(line) for line in path.open(encoding="utf-8")]
    return out


def list_file(data: Path, name: str, records: list[dict]) -> tuple[str, list[dict]]:
    counts = Counter(r["source_file"] for r in records)
    source = "README.md" if counts.get("README.md", 0) >= HELD_BACK else counts.most_common(1)[0][0]
    raw = data / "lists" / "raw"
    path = raw / f"{name}.md" if source == "README.md" else raw / name / source
    return path.read_bytes().decode("utf-8"), [r for r in records if r["source_file"] == source]


def recorded_papers() -> dict[str, Paper]:
    """Papers answered by the recorded arXiv payloads in tests/fixtures/arxiv (Atom, read as is)."""
    atom, ns_arxiv = "{http://www.w3.org/2005/Atom}", "{http://arxiv.org/schemas/atom}"
    found: dict[str, Paper] = {}
    for path in sorted((ROOT / "tests" / "fixtures" / "arxiv").glob("*.xml")):
        with contextlib.suppress(ElementTree.ParseError):
            root = ElementTree.parse(path).getroot()  # noqa: S314 (the project's own recordings)
            for entry in root.iter(f"{atom}entry"):
                match = re.search(r"abs/(.+?)(?:v(\d+))?$", entry.findtext(f"{atom}id") or "")
                published = entry.findtext(f"{atom}published") or ""
                if not match or "/api/errors" in match[0] or not published:
                    continue

                def text(tag: str, entry: ElementTree.Element = entry) -> str:
                    return " ".join((entry.findtext(tag) or "").split())

                day = date.fromisoformat(published[:10])
                authors = tuple(text(f"{atom}name", a) for a in entry.iter(f"{atom}author"))
                found[match[1]] = Paper(match[1], int(match[2] or 1), text(f"{atom}title"), authors,
                                        text(f"{atom}summary"), day, day,
                                        comment=text(f"{ns_arxiv}comment"),
                                        journal_ref=text(f"{ns_arxiv}journal_ref"))
    return found


def hold_back(text: str, records: list[dict]) -> tuple[str, list[tuple[dict, str]]]:
    """The text without five entries spread over the list, and each one's record and block."""
    lines = text.split("\n")
    ids = Counter(r["arxiv_id"] for r in records)
    usable = []
    for record in records:
        block = (record["raw_block"] or record["raw_line"]).split("\n")
        first = record["line_number"] - 1
        if ids[record["arxiv_id"]] == 1 and lines[first:first + len(block)] == block \
                and text.count(record["arxiv_id"]) == 1:
            usable.append((record, first, len(block)))
    step = max(1, len(usable) // HELD_BACK)
    chosen = [usable[min(len(usable) - 1, step // 2 + k * step)] for k in range(min(HELD_BACK, len(usable)))]
    doomed: set[int] = set()
    held = []
    for record, first, length in chosen:
        span = set(range(first, first + length))
        end = first + length
        if first and not lines[first - 1].strip() and end < len(lines) and not lines[end].strip():
            span.add(end)  # the blank line that separated it from the next entry
        doomed |= span
        held.append((record, "\n".join(lines[first:first + length])))
    kept = [line for i, line in enumerate(lines) if i not in doomed]
    return "\n".join(kept), held


def paper_of(record: dict, block: str, recorded: dict[str, Paper]) -> Paper:
    if record["arxiv_id"] in recorded:
        return recorded[record["arxiv_id"]]
    title = re.sub(r"\\([\\`*_\[\]])", r"\1", record["title"])
    day = published_of(record["arxiv_id"], block)
    return Paper(record["arxiv_id"], 1, title, authors_shown(block), "", day, day)


def _key(entry: Entry) -> int:
    """yyyymm an entry shows on its first line, else its arXiv id's (the benchmark's own reading)."""
    first = entry.text.split("\n", 1)[0]
    shown = re.search(r"(?<!\d)((?:19|20)\d{2})[./-](\d{1,2})(?!\d)", first)
    if shown and 1 <= int(shown[2]) <= 12:
        return int(shown[1]) * 100 + int(shown[2])
    ids = [i for i in entry.arxiv_ids if re.match(r"\d{4}\.", i)]
    return (2000 + int(ids[0][:2])) * 100 + int(ids[0][2:4]) if ids else 0


def sort_check(section: Section, paper: Paper) -> tuple[int, bool]:
    """Whether the section (the new entry left out) is sorted by date (-1 newest first, 1 oldest
    first, 0 not: four in-order neighbours for each one out of order), and whether the new entry
    sits where its date puts it."""
    entries = [e for e in section.entries if e.is_paper]
    own = next((k for k, e in enumerate(entries) if paper.arxiv_id in e.arxiv_ids), None)
    if own is None:
        return 0, False
    keys = [_key(e) for k, e in enumerate(entries) if k != own]
    keyed = [k for k in keys if k]
    steps = Counter((b > a) - (b < a) for a, b in pairwise(keyed))
    order = next((o for o in (-1, 1) if steps[o] >= 3 and steps[o] >= 4 * steps[-o]), 0)
    if not order:
        return 0, False
    key = paper.published.year * 100 + paper.published.month
    before = next((k for k in reversed(keys[:own]) if k), None)
    after = next((k for k in keys[own:] if k), None)
    fits = all(other is None or (other - key) * order * side <= 0
               for other, side in ((before, 1), (after, -1)))
    return order, fits


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(re.findall(r"[^\W_]+", s.lower()))
    return norm(a) == norm(b)


def measure(name: str, text: str, records: list[dict], recorded: dict[str, Paper], show: str | None) -> dict:
    held_text, held = hold_back(text, records)
    config = Config()
    requests, papers = [], {}
    for record, block in held:
        ref = parse_ref(record["arxiv_id"])
        requests.append(AddRequest(record["arxiv_id"], ref))
        papers[ref] = paper_of(record, block, recorded)
    doc = parse_list(held_text)
    added, outcomes = plan_additions(doc, requests, papers, [], config=config, requested_by="bench", issue=1)
    by_id = {p.arxiv_id: p for p in papers.values()}
    info = {r["arxiv_id"]: r for r, _ in held}
    row = Counter(n=len(held))
    row["chose"] = sum(1 for o in outcomes if o.section and o.paper
                       and _same(o.section.heading, info[o.paper.arxiv_id]["leaf_section"]))
    kinds = Counter(o.kind for o in outcomes)
    for outcome in outcomes:
        if show and outcome.kind == "not_understood" and outcome.paper and outcome.section:
            print(f"--- {name} {outcome.paper.arxiv_id} -> {' > '.join(outcome.section.path)}: "
                  f"refused when planned: {outcome.reason}")
    current = held_text
    for item in sorted(added, key=lambda p: (by_id[p.arxiv_id].published, p.arxiv_id)):
        paper = by_id[item.arxiv_id]
        new = render_additions(current, [item], by_id, config)
        if new == current:
            continue  # the code under test proposed nothing for it
        record = info[item.arxiv_id]
        verdict = check_addition(current, new, paper, item.section_path)
        inserted, changed = diff_lines(current.split("\n"), new.split("\n"))
        old_doc = parse_list(current)
        section = next((s for s in old_doc.sections if s.path == item.section_path), None)
        titles = other_titles(current, section, paper) if section else set()
        foreign = [ln for ln in inserted if foreign_mention(ln, paper, titles)]
        row["accepted"] += verdict.ok
        row["changed"] += changed
        row["foreign"] += len(foreign)
        row["inserted"] += len(inserted)
        new_doc = parse_list(new)
        home = next((s for s in new_doc.sections for e in s.entries if paper.arxiv_id in e.arxiv_ids), None)
        row["orig sect"] += bool(home and _same(home.heading, record["leaf_section"]))
        if home is not None:
            sorted_as, in_order = sort_check(home, paper)
            row["sorted"] += bool(sorted_as)
            row["in order"] += in_order
        if show == "all" or (show and (not verdict.ok or changed or foreign)):
            print(f"--- {name} {paper.arxiv_id} -> {' > '.join(item.section_path)}: "
                  f"{verdict.reason or 'accepted'}")
            diff = difflib.unified_diff(current.split("\n"), new.split("\n"), lineterm="", n=1)
            print("\n".join(list(diff)[2:40]))
        current = new
    row["refused"] = kinds.get("not_understood", 0)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--only")
    parser.add_argument("--show", nargs="?", const="bad", choices=("bad", "all"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the guard's refusals are counted, not logged
    data = Path(args.data)
    recorded = recorded_papers()
    total: Counter[str] = Counter()
    header = f"{'list':46} {'n':>3} {'accepted':>8} {'changed':>7} {'foreign':>7} {'orig sect':>9} " \
             f"{'chose':>5} {'sorted':>6} {'in order':>8} {'refused':>7}"
    lines = []
    for name, records in load(data).items():
        if args.only and args.only not in name:
            continue
        text, own = list_file(data, name, records)
        row = measure(name, text, own, recorded, args.show)
        total.update(row)
        lines.append(_line(name, row))
    print(header)
    print("\n".join(lines))
    print(_line("all lists", total))
    print(f"(today {date.today()}; accepted = edits the write guard passes; changed and foreign "
          "count the edits the code proposes)")


def _line(name: str, row: Counter[str]) -> str:
    n = row["n"]
    return (f"{name:46} {n:>3} {row['accepted']:>3}/{n:<4} {row['changed']:>7} {row['foreign']:>7} "
            f"{row['orig sect']:>9} {row['chose']:>5} {row['sorted']:>6} {row['in order']:>8} {row['refused']:>7}")


if __name__ == "__main__":
    main()
