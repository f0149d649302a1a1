"""How well do entries written from metadata match the shape of the entries a list already has?

For each list, five folds of its arXiv entries are hidden in turn (the whole block is removed); the
format of each hidden entry's section is learned from what remains, the paper is rendered from its
metadata (title and id from the record; authors as arXiv would give them, i.e. the ones the entry
shows; a numbered entry keeps its number, as if written where it stands; a section left without
entries borrows a neighbour's format, as insert_entries does), and the shape of the rendered entry
is compared with the original's:
  exact:    letters and digits collapsed, every other character compared;
  no-extra: the same after dropping badges, emoji and code/project links (arXiv cannot tell them);
  core:     those dropped, then all text collapsed: lines, markers, emphasis, links, tags, columns.
A second figure, `shape+venue`, renders each entry again from metadata that also carries what
arXiv's comments would (`Accepted at NAACL 2024`) when the entry shows a venue other than arXiv: a
table row's venue cell; in a list item, paragraph or `<details>` summary, the venue the template
reader finds with its year (`[ACL 2023]`, `[**npj Digital Medicine, 2024**]`, `ICML 2017.`,
`VLDB'22`, a venue badge: `bot.lists.entries.spans.shown_venue`). An entry that shows none is
rendered as for `shape`; the first figure keeps its meaning (title, authors, date only). `+v.dig` is
the `digits` field alone in that rendering (`digits` itself is measured without the venue).
Two more, each adding to the one before and clearly not `shape`: `+code` renders again from
metadata that also carries, as an arXiv comment would (`Code: https://github.com/...`), the
GitHub/GitLab link the entry shows (a stars badge and a code cell need it) and, since 2026-12-06,
the project page or demo it links (`Project page: https://...`, for a Demo or Website cell); `+body` compares those
entries with the body of a `<details>` block reduced to its lines' markers and quotes (`- “t”`),
since its words, digits and emphasis are the abstract's or the maintainer's own notes, which the
benchmark's metadata lacks.
A last pair, `then` and `mk@then`, is a different measure, labelled apart: each entry is written
from its section as it stood when the maintainer wrote it (the entries before it in a section that
adds at the end, after it in a newest-first one), so the writer is judged on the siblings that
were there, not on entries written years later at the other end of the section; `then` is every
field right, `mk@then` the markup field; entries that were the first of their section are left out.
It learns a format per entry, so it runs only with `--then` (about three times as long).
Also prints parse+insert time on the largest list file and on a synthetic 50,000-entry list.

    .venv/bin/python benchmarks/format_shape.py [DATA_DIR] [--errors LIST [--venue] [--limit N]] [--then]

`--errors LIST` prints, for the entries of LIST (a name or a part of one) whose `core` shape
differs, the original entry and the rendered one, then the table for that list only; with `--venue`,
the entries that show a venue and differ when rendered with it (the `+venue` rendering).

DATA_DIR holds `lists/*.jsonl` and `lists/raw/` (the shared data set) or `lists/*.jsonl.gz` and
the raw files beside them (tests/fixtures); default: ../shared/data if present, else tests/fixtures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.format_fields import FIELDS, compare  # noqa: E402
from bot.lists.document import (  # noqa: E402
    Entry,
    ListDocument,
    Section,
    _borrowed_format,  # the format insert_entries falls back on for a section without entries
    insert_entries,
    parse_list,
    placed_format,
)
from bot.lists.entries.cells import column_role  # noqa: E402
from bot.lists.entries.format import EntryFormat, anchor_entries, learn_format  # noqa: E402
from bot.lists.entries.pieces import find_dates, id_date_key  # noqa: E402
from bot.lists.entries.shape import core_shape, strict_shape  # noqa: E402
from bot.lists.entries.spans import shown_venue  # noqa: E402
from bot.lists.render import PLACEHOLDER, render_entry  # noqa: E402
from bot.lists.scan import split_cells  # noqa: E402
from bot.lists.write_guard import diff_lines  # noqa: E402
from bot.papers.references import Paper  # noqa: E402

FOLDS = 5
NUMBERED = re.compile(r"^\s*(\d{1,9})[.)]\s")  # a numbered entry is rendered with its own number
ABSTRACT = "We study how large models fail. We propose a method and evaluate it on three benchmarks."


def data_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    shared = ROOT.parent / "shared" / "data"
    return shared if shared.is_dir() else ROOT / "tests" / "fixtures"


def load_lists(base: Path) -> dict[str, list[dict]]:
    folder = base / "lists"
    out = {}
    for path in sorted(folder.glob("*.jsonl*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            out[path.name.split(".jsonl")[0]] = [json.loads(line) for line in handle]
    return out


def raw_path(base: Path, name: str, source_file: str) -> Path:
    raw = base / "lists" / "raw" if (base / "lists" / "raw").is_dir() else base / "lists"
    return raw / f"{name}.md" if source_file == "README.md" else raw / name / source_file


def paper_from(record: dict, entry: Entry) -> Paper:
    """The metadata arXiv would return: real title (without the list's Markdown escapes) and id; the
    authors the entry shows."""
    title = re.sub(r"\\([\\`*_\[\]])", r"\1", record["title"])
    return Paper(record["arxiv_id"], 1, title, authors_shown(entry.text), ABSTRACT,
                 published_of(record["arxiv_id"], entry.text), date(2026, 1, 1))


def authors_shown(block: str) -> tuple[str, ...]:
    """The names an entry shows; "et al." (also as `*Ann Lee* *et al.*`) stands for more authors."""
    lines = block.split("\n")
    candidates = [m[1] + (" et al." if re.match(r"\s*\*?\s*et\.?\s+al\b", block[m.end():]) else "")
                  for m in re.finditer(r"(?<![*\w])\*([^*]{3,}?)\*(?!\*)", block)]
    candidates += [re.sub(r"^\s*[-*+]\s+", "", ln) for ln in lines[1:2] if re.match(r"^\s+[-*+]\s", ln)]
    for text in candidates:
        if "," in text or " and " in text or "et al" in text or len(text.split()) in (2, 3):
            names = [n.strip(" .") for n in re.split(r",|\band\b", re.split(r"\bet\.? al\b", text)[0])]
            names = [n for n in names if n]
            extra = ("Extra Author", "Other Author", "Third Author") if "et al" in text else ()
            if names:
                return (*names, *extra)
    return ("Ada Lovelace", "Alan Turing", "Grace Hopper")


_CELL_VENUE = re.compile(r"^(?P<name>[A-Za-z][\w&.\- ]*?)[ ,]*(?:'(?P<yy>\d{2})|(?P<year>(?:19|20)\d{2}))(?!\d)"
                         r"|^(?P<bare>[A-Za-z][A-Za-z&.\- ]*[A-Za-z&.])")


def venue_comment(entry: Entry) -> str:
    """What an arXiv comment would say of the venue the entry shows: a table row's venue cell
    (`NAACL2024(findings)` -> "Accepted at NAACL 2024"), or the venue the template reader finds in any
    other entry (`[ACL 2023]` -> "Accepted at ACL 2023"); "" when it shows none or says arXiv."""
    if entry.kind != "table_row":
        shown = shown_venue(entry.text, entry.title)
        return f"Accepted at {shown}" if shown else ""
    cells = split_cells(entry.text.split("\n", 1)[0].strip())
    for name, cell in zip(entry.columns, cells, strict=False):
        match = _CELL_VENUE.match(cell.strip()) if column_role(name) == "venue" else None
        name = (match["name"] or match["bare"] or "").strip() if match else ""
        if name and not name.lower().startswith("arxiv"):
            year = match["year"] or (f"20{match['yy']}" if match["yy"] else "")
            return f"Accepted at {name} {year}".rstrip()
    return ""


def published_of(arxiv_id: str, block: str) -> date:
    """The first-version date a maintainer would supply: the one the entry shows when it agrees with
    the id's month (its day too when it shows one), else the id's month (old ids: `quant-ph/0101001`)."""
    key = id_date_key(arxiv_id) or 200001
    for shown in find_dates(block):
        if shown.key == key and shown.day:
            return date(key // 100, key % 100, shown.day)
    return date(key // 100, max(1, min(key % 100, 12)), 15)


def hide(text: str, doc: ListDocument, hidden: list[Entry]) -> str:
    """The text without the hidden blocks and the blank lines that separated them."""
    lines = text.split("\n")
    doomed = set()
    for section in doc.sections:
        entries = section.entries
        for k, entry in enumerate(entries):
            if entry not in hidden:
                continue
            first, end = entry.first_line, entry.end_line
            nxt = entries[k + 1] if k + 1 < len(entries) else None
            if nxt and 0 < nxt.first_line - end <= 2 and not "".join(lines[end : nxt.first_line]).strip():
                end = nxt.first_line
            doomed.update(range(first, end))
    return "\n".join(line for i, line in enumerate(lines) if i not in doomed)


_CODE_IN_ENTRY = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[\w.-]+/[\w.-]+", re.IGNORECASE)
_BODY_LINE = re.compile(r"^(\s*(?:[-*+>]\s+)*)([\"“”]?).*?([\"“”]?)\s*$")


_PAGE_IN_ENTRY = re.compile(r"\[\s*(?:demo|project(?: page)?|page|website|home ?page)\s*\]\((https?://[^)\s]+)\)"
                            r"|\((https?://[\w-]+\.github\.io\b[^)\s]*)\)", re.IGNORECASE)


def code_comment(entry: Entry) -> str:
    """What an arXiv comment would say of the code link and the project page the entry shows ("" when
    it shows neither)."""
    code = _CODE_IN_ENTRY.search(entry.text)
    page = next((url for m in _PAGE_IN_ENTRY.finditer(entry.text) if not _CODE_IN_ENTRY.match(url := m[1] or m[2])),
                "")
    said = ([f"Code: {code[0].rstrip('.')}"] if code else []) + ([f"Project page: {page}"] if page else [])
    return "; ".join(said)


def body_form(text: str) -> str:
    """A `<details>` block with each line of its body reduced to its markers and quotes (`- “t”`);
    any other entry as it is."""
    lines = text.split("\n")
    end = next((i for i, ln in enumerate(lines) if re.search(r"</summary\s*>", ln, re.IGNORECASE)), None)
    if end is None or not lines[0].lstrip().lower().startswith("<details"):
        return text
    body = [_BODY_LINE.sub(lambda m: m[1] + ('"' if m[2] else "") + "t" + ('"' if m[3] else ""), ln)
            if ln.strip() and not re.match(r"\s*</details\s*>", ln, re.IGNORECASE) else ln
            for ln in lines[end + 1 :]]
    return "\n".join([*lines[: end + 1], *body])


# exact, no-extra, core, fields, lines changed, fields when the metadata also carries the venue,
# the same with the code link too, that with `<details>` bodies compared by form, and the fields when
# written from the section as it stood then (None for the first entry of a section)
Result = tuple[bool, bool, bool, dict[str, bool], int, dict[str, bool], dict[str, bool], dict[str, bool],
               dict[str, bool] | None]


def recorded_entries(doc: ListDocument, records: list[dict]) -> list[tuple[dict, Section, Entry]]:
    """Each record with the section and entry of `doc` it was taken from (entries the reader finds)."""
    by_line = {e.first_line: (s, e) for s in doc.sections for e in s.entries}
    targets = []
    seen = set()
    for record in records:
        hit = by_line.get(record["line_number"] - 1)
        if hit and record["arxiv_id"] in hit[1].arxiv_ids and hit[1].first_line not in seen:
            seen.add(hit[1].first_line)
            targets.append((record, hit[0], hit[1]))
    return targets


def measure_file(text: str, records: list[dict], errors: list[tuple[str, str]] | None = None,
                 *, with_venue_errors: bool = False, with_then: bool = False) -> list[Result]:
    doc = parse_list(text)
    targets = recorded_entries(doc, records)
    results: list[Result] = []
    for fold in range(FOLDS):
        hidden = [t for i, t in enumerate(targets) if i % FOLDS == fold]
        if not hidden:
            continue
        remaining = parse_list(hide(text, doc, [e for _, _, e in hidden]))
        lines = remaining.text.split("\n")
        formats: dict[tuple[str, ...], EntryFormat] = {}
        for record, section, entry in hidden:
            own = next((s for s in remaining.sections if s.path == section.path), None)
            if own is None:
                continue
            fmt = formats.get(own.path) or formats.setdefault(own.path, format_for(remaining, own))
            paper = paper_from(record, entry)
            fmt = placed_format(fmt, anchor_entries(own.entries), paper)  # as insert_entries writes it
            number = int(m[1]) if (m := NUMBERED.match(entry.text)) else None
            rendered = render_entry(fmt, paper, number=number)
            # The placeholder stands for a short phrase a maintainer writes: compared as plain text.
            core = core_shape(rendered.replace(PLACEHOLDER, "to fill in")) == core_shape(entry.text)
            fields = compare(entry.text, rendered, paper.title)
            _, changed = diff_lines(lines, insert_entries(remaining, [(own, paper)]).split("\n"))
            comment = venue_comment(entry)
            with_venue = compare(entry.text, render_entry(fmt, replace(paper, comment=comment), number=number), paper.title) \
                if comment else fields
            meta = "; ".join(c for c in (comment, code_comment(entry)) if c)
            with_meta = render_entry(fmt, replace(paper, comment=meta), number=number) if meta else rendered
            known = bool(_CODE_IN_ENTRY.search(entry.text))  # the metadata carries the code link the entry shows
            with_code = compare(entry.text, with_meta, paper.title, code_known=known) if meta else with_venue
            with_body = compare(body_form(entry.text), body_form(with_meta), paper.title, code_known=known)
            then = written_then(doc, section, entry, paper, number) if with_then else None
            results.append((strict_shape(rendered) == strict_shape(entry.text),
                            strict_shape(rendered, drop_extras=True)
                            == strict_shape(entry.text, drop_extras=True),
                            core, fields, changed, with_venue, with_code, with_body,
                            None if then is None else compare(entry.text, then, paper.title)))
            if errors is not None and with_venue_errors and comment and not all(with_venue.values()):
                errors.append((entry.text, render_entry(fmt, replace(paper, comment=comment), number=number)))
            elif errors is not None and not with_venue_errors and not all(fields.values()):
                errors.append((entry.text, rendered))
    return results


def written_then(doc: ListDocument, section: Section, entry: Entry, paper: Paper,
                 number: int | None) -> str | None:
    """The entry as the bot would have written it when the maintainer wrote this one: learned from the
    section's entries that were there then (those before it in a section that adds at the end, those
    after it in a newest-first one); None when it was the first of its section."""
    key = (id(doc), section.path)
    newest_first = _NEWEST_FIRST.get(key)
    if newest_first is None:
        newest_first = _NEWEST_FIRST.setdefault(key, format_for(doc, section).newest_first)
    at = section.entries.index(entry)
    earlier = section.entries[at + 1:] if newest_first else section.entries[:at]
    anchors = anchor_entries(earlier)
    if not anchors:
        return None
    fmt = learn_format(replace(section, entries=earlier))
    return render_entry(placed_format(fmt, anchors, paper), paper, number=number)


_NEWEST_FIRST: dict[tuple[int, tuple[str, ...]], bool] = {}


def format_for(doc: ListDocument, section: Section) -> EntryFormat:
    """The format insert_entries writes in: the section's own, or a neighbour's when it has no entries left."""
    return learn_format(section) if anchor_entries(section.entries) else _borrowed_format(doc, section)


def timing(base: Path, lists: dict[str, list[dict]]) -> None:
    files = {raw_path(base, name, r["source_file"]) for name, recs in lists.items() for r in recs}
    largest = max(files, key=lambda p: len(parse_list(p.read_text(encoding="utf-8")).arxiv_ids()))
    elapsed = best_ms(largest.read_text(encoding="utf-8"))
    print(f"parse+insert, largest list file ({largest.name}): {elapsed:.1f} ms")
    lines = ["# Papers", "", "## Attacks", ""]
    for i in range(50_000):
        month = i % 12 + 1
        url = f"https://arxiv.org/abs/25{month:02d}.{i:05d}"
        lines.append(f"- [2025/{month:02d}] **[Paper {i}: a study of things]({url})** "
                     "![LLM](https://img.shields.io/badge/LLM-589cf4)")
    print(f"parse+insert, synthetic 50,000-entry list: {best_ms(chr(10).join(lines) + chr(10)):.1f} ms")


def best_ms(text: str, runs: int = 3) -> float:
    day = date(2025, 12, 1)
    paper = Paper("2512.00001", 1, "A new paper", ("A Author",), ABSTRACT, day, day)
    best = float("inf")
    for _ in range(runs):
        parse_list.cache_clear()  # parse_list keeps the last few documents: time a parse, not a lookup
        start = time.perf_counter()
        doc = parse_list(text)
        sections: list[Section] = doc.paper_sections()
        insert_entries(doc, [(sections[-1], paper)])
        best = min(best, time.perf_counter() - start)
    return best * 1000


HEADER = (f"{'list':46} {'entries':>7} {'shape':>6} " + " ".join(f"{f:>7}" for f in FIELDS)
          + f" {'core':>6} {'changed':>7} {'+venue':>6} {'+v.dig':>6} {'+code':>6} {'+body':>6}"
          + f"  {'then':>6} {'mk@then':>7}  differs most")


def _row(name: str, results: list[Result]) -> tuple[str, float]:
    n = max(1, len(results))
    shape = sum(all(r[3].values()) for r in results) / n
    misses = {f: sum(not r[3][f] for r in results) for f in FIELDS}
    worst = max(FIELDS, key=lambda f: misses[f])
    most = f"{worst} ({misses[worst]})" if misses[worst] else "-"
    return (f"{name:46} {len(results):7} {shape:6.3f} " + " ".join(f"{1 - misses[f] / n:7.3f}" for f in FIELDS)
            + f" {sum(r[2] for r in results) / n:6.3f} {sum(r[4] for r in results):7}"
            + f" {sum(all(r[5].values()) for r in results) / n:6.3f} {sum(r[5]['digits'] for r in results) / n:6.3f}"
            + "".join(f" {sum(all(r[k].values()) for r in results) / n:6.3f}" for k in (6, 7))
            + f"  {_then_share(results, lambda f: all(f.values()))} {_then_share(results, lambda f: f['markup']):>7}"
            + f"  {most}"), shape


def _then_share(results: list[Result], right: Callable[[dict[str, bool]], bool]) -> str:
    """The share of entries written right from their section as it stood then (first entries left out);
    `-` when the run did not measure it (`--then`)."""
    then = [r[8] for r in results if r[8] is not None]
    return f"{sum(bool(right(f)) for f in then) / len(then):6.3f}" if then else f"{'-':>6}"


def print_errors(errors: list[tuple[str, str]], limit: int) -> None:
    for original, rendered in errors[:limit]:
        print("--- original\n" + original + "\n+++ rendered\n" + rendered)
        print("--- core of original\n" + core_shape(original) + "\n+++ core of rendered\n"
              + core_shape(rendered) + "\n")
    print(f"{len(errors)} entries differ in some field ({min(limit, len(errors))} shown)\n")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data_dir", nargs="?", help="folder with lists/ (default: shared data)")
    parser.add_argument("--errors", metavar="LIST", help="print original vs rendered for this list")
    parser.add_argument("--limit", type=int, default=20, help="how many differing entries to print")
    parser.add_argument("--only", metavar="NAME", help="measure the lists whose name contains this")
    parser.add_argument("--then", action="store_true",
                        help="also measure `then` / `mk@then` (each entry from its section as it stood; slow)")
    parser.add_argument("--venue", action="store_true",
                        help="with --errors: the entries that show a venue and differ when rendered with it")
    args = parser.parse_args(argv[1:])
    base = data_dir(args.data_dir)
    lists = load_lists(base)
    for wanted in (args.errors, args.only):
        if wanted:
            lists = {k: v for k, v in lists.items() if wanted in k}
            if not lists:
                parser.error(f"no list named like {wanted!r}")
    errors: list[tuple[str, str]] | None = [] if args.errors else None
    print(f"data: {base}\n")
    print(HEADER)
    pooled: list[Result] = []
    shares: list[float] = []
    venue_shares: list[float] = []
    extra_shares: dict[int, list[float]] = {6: [], 7: []}
    for name, records in lists.items():
        per_file = defaultdict(list)
        for record in records:
            per_file[record["source_file"]].append(record)
        results: list[Result] = []
        for source, recs in per_file.items():
            results += measure_file(raw_path(base, name, source).read_text(encoding="utf-8"), recs, errors,
                                    with_venue_errors=args.venue, with_then=args.then)
        line, share = _row(name, results)
        pooled += results
        shares.append(share)
        venue_shares.append(sum(all(r[5].values()) for r in results) / max(1, len(results)))
        for k, values in extra_shares.items():
            values.append(sum(all(r[k].values()) for r in results) / max(1, len(results)))
        print(line)
    print(_row("overall (entries pooled)", pooled)[0])
    print(f"{'overall (mean of lists)':46} {len(shares):7} {sum(shares) / max(1, len(shares)):6.3f}; "
          f"lists under 0.85: {sum(s < 0.85 for s in shares)}")
    print(f"{'overall (mean of lists), +venue':46} {len(venue_shares):7} "
          f"{sum(venue_shares) / max(1, len(venue_shares)):6.3f}; "
          f"lists under 0.85: {sum(s < 0.85 for s in venue_shares)}")
    for k, label in ((6, "+code"), (7, "+body")):
        values = extra_shares[k]
        print(f"{'overall (mean of lists), ' + label:46} {len(values):7} {sum(values) / max(1, len(values)):6.3f}; "
              f"lists under 0.85: {sum(s < 0.85 for s in values)}")
    print()
    if errors is not None:
        print_errors(errors, args.limit)
        return
    if not args.only:
        timing(base, lists)


if __name__ == "__main__":
    main(sys.argv)
