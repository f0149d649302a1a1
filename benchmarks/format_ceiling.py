"""How alike are a list's own entries? The ceiling for a writer that follows the siblings.

`benchmarks/format_shape.py` asks whether an entry written from metadata has the shape of the
maintainer's original, field by field (columns, digits, links, markup: `benchmarks/format_fields.py`).
This asks the same question of the maintainer's own entries: for each entry format_shape measures,
is there an entry already in the list with the same fields? The texts are first made comparable: the
title becomes one word, every arXiv id one id, a numbered entry's number 1 (the writer is given
those). What is left is what a maintainer chose: the link form, the lines and notes written, the
venue, the emphasis. Printed per list:
  near:     an entry next to it in its section has its shape (a writer copying a neighbour);
  typical:  its shape is the one most entries of its section have (a writer copying the usual form);
  section:  some other entry of its section has its shape;
  list:     some other entry of the same file has it.
`section` bounds what any writer that learns a section's form from its entries can reach on this
measure (a writer could combine fields no single entry shows, which is rare); `typical` is close to
what following the majority gives.

    .venv/bin/python benchmarks/format_ceiling.py [DATA_DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.format_fields import FIELDS, fields_of  # noqa: E402
from benchmarks.format_shape import data_dir, load_lists, raw_path, recorded_entries  # noqa: E402
from bot.lists.document import Entry, parse_list  # noqa: E402

_ARXIV_ID = re.compile(r"(?<![\w.])(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?!\d)")
_NUMBER = re.compile(r"^(\s*)\d{1,9}([.)])")
MEASURES = ("near", "typical", "section", "list")


def shape_key(entry: Entry) -> str:
    """The entry's fields, with its title, arXiv ids and number made the same for every entry."""
    text = entry.text.replace(entry.title, "Title") if len(entry.title) > 3 else entry.text
    text = _NUMBER.sub(r"\g<1>1\2", _ARXIV_ID.sub("2501.00001", text))
    fields = fields_of(text, "Title")
    return repr([fields[f] for f in FIELDS])


def measure_file(text: str, records: list[dict]) -> list[dict[str, bool]]:
    doc = parse_list(text)
    keys = {id(e): shape_key(e) for s in doc.sections for e in s.entries}
    in_file = Counter(keys.values())
    results = []
    for _, section, entry in recorded_entries(doc, records):
        key = keys[id(entry)]
        siblings = section.entries
        at = siblings.index(entry)
        near = [keys[id(e)] for e in siblings[max(0, at - 1): at] + siblings[at + 1: at + 2]]
        others = Counter(keys[id(e)] for e in siblings if e is not entry)
        results.append({"near": key in near,
                        "typical": bool(others) and others.most_common(1)[0][0] == key,
                        "section": key in others, "list": in_file[key] > 1})
    return results


def row(name: str, results: list[dict[str, bool]]) -> str:
    n = max(1, len(results))
    return f"{name:46} {len(results):7} " + " ".join(f"{sum(r[m] for r in results) / n:8.3f}" for m in MEASURES)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("data_dir", nargs="?", help="folder with lists/ (default: shared data)")
    parser.add_argument("--only", metavar="NAME", help="measure the lists whose name contains this")
    args = parser.parse_args(argv[1:])
    base = data_dir(args.data_dir)
    lists = {k: v for k, v in load_lists(base).items() if not args.only or args.only in k}
    print(f"data: {base}\n")
    print(f"{'list':46} {'entries':>7} " + " ".join(f"{m:>8}" for m in MEASURES))
    pooled: list[dict[str, bool]] = []
    means: dict[str, list[float]] = defaultdict(list)
    for name, records in lists.items():
        per_file = defaultdict(list)
        for record in records:
            per_file[record["source_file"]].append(record)
        results = [r for source, recs in per_file.items()
                   for r in measure_file(raw_path(base, name, source).read_text(encoding="utf-8"), recs)]
        pooled += results
        for m in MEASURES:
            means[m].append(sum(r[m] for r in results) / max(1, len(results)))
        print(row(name, results))
    print(row("overall (entries pooled)", pooled))
    print(f"{'overall (mean of lists)':46} {len(lists):7} "
          + " ".join(f"{sum(v) / max(1, len(v)):8.3f}" for v in means.values()))
    print(f"{'lists under 0.85':46} {'':7} " + " ".join(f"{sum(x < 0.85 for x in v):8}" for v in means.values()))


if __name__ == "__main__":
    main(sys.argv)
