"""Build `bot/curation/data/background_stems.tsv`: how common each word stem is in AI paper titles at large.

    .venv/bin/python benchmarks/relevance_background.py [--lists ../shared/data/lists]

With no config, relevance asks how much a new paper shares the words that make one list
different from AI papers in general (`bot.curation.topic`). "In general" is this table: for each
of the nineteen dev lists, the share of its titles that contain a stem, averaged over the lists
(each list counts once, whatever its size, so no one topic dominates). Only stems in at least
two lists are kept. The table holds counts, not titles.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.curation.textfeatures import word_stems  # noqa: E402

DEFAULT_LISTS = ROOT.parent / "shared" / "data" / "lists"
OUTPUT = ROOT / "bot" / "curation" / "data" / "background_stems.tsv"
MIN_LISTS = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    args = parser.parse_args()
    files = sorted(args.lists.glob("*.jsonl"))
    share: Counter[str] = Counter()
    lists_with: Counter[str] = Counter()
    titles_total = 0
    for path in files:
        titles = [t for line in path.read_text(encoding="utf-8").splitlines()
                  if (t := json.loads(line).get("title"))]
        titles_total += len(titles)
        counts = Counter(s for title in titles for s in set(word_stems(title)))
        for stem_, count in counts.items():
            share[stem_] += count / len(titles)
            lists_with[stem_] += 1
    kept = sorted((s for s in share if lists_with[s] >= MIN_LISTS), key=lambda s: (-share[s], s))
    lines = [f"# stem\tshare of titles (mean over {len(files)} lists, {titles_total} titles)"]
    lines += [f"{s}\t{share[s] / len(files):.6f}" for s in kept]
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} stems from {len(files)} lists ({titles_total} titles) -> {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
