"""Whether a section keeps its entries in date order, and the dates it sorts by. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from bot.lists.entries.pieces import PIECE_PATTERN, arxiv_url_form, find_dates, id_date_key

if TYPE_CHECKING:
    from bot.lists.model import Entry
    from bot.papers.references import Paper

ORDER_SAMPLE = 150  # entries at each end of a section that tell newest-first from appended
# A section is sorted by date when at least this many neighbours are in order, and this many times
# as many as are out of order (a month's papers may be listed in any order: equal keys count for none).
SORTED_PAIRS = 3
SORTED_RATIO = 4
NEAR_SPOT = 25  # how many entries around a sorted section's spot its link form is read from


def entry_date_key(entry: Entry) -> int:
    """yyyymm of the paper an entry is about: the month its first line shows (`[2024/02]`, what
    a list sorts by), else its arXiv id's, else the latest year or date it shows."""
    first = entry.text.split("\n", 1)[0]
    if "20" in first or "19" in first:
        shown = [d.key for d in find_dates(first) if d.key % 100]
        if shown:
            return shown[0]
    if entry.arxiv_ids:
        return id_date_key(entry.arxiv_ids[0])
    dates = find_dates(entry.text)
    return max((d.key for d in dates), default=0)


def paper_date_key(paper: Paper) -> int:
    """yyyymm of the paper's first version: the month an entry written for it shows."""
    return paper.published.year * 100 + paper.published.month


def date_order(anchors: Sequence[Entry]) -> int:
    """-1 when the entries are sorted newest first, 1 oldest first, 0 when not sorted by date: at
    least SORTED_PAIRS neighbours in order, and SORTED_RATIO times as many as out of order (read
    at both ends of a long section)."""
    steps: Counter[int] = Counter()
    for sample in (anchors[:ORDER_SAMPLE], anchors[ORDER_SAMPLE:][-ORDER_SAMPLE:]):
        keys = [k for k in map(entry_date_key, sample) if k]
        steps.update((b > a) - (b < a) for a, b in pairwise(keys))
    for order in (-1, 1):
        if steps[order] >= SORTED_PAIRS and steps[order] >= SORTED_RATIO * steps[-order]:
            return order
    return 0


def link_form_near(anchors: Sequence[Entry], at: int, default: str) -> str:
    """The arXiv link form (`https://arxiv.org/abs/{id}{v}`) most of the NEAR_SPOT entries around the
    spot before `anchors[at]` use, the nearest first on a tie; `default` when none links arXiv."""
    below = range(at - 1, max(-1, at - 1 - NEAR_SPOT), -1)  # read outward from the spot, a few entries only
    above = range(at, min(len(anchors), at + NEAR_SPOT))
    nearest = sorted([*below, *above], key=lambda i: abs(i + 0.5 - at))[:NEAR_SPOT]
    forms: Counter[str] = Counter()
    for index in nearest:
        form = next((f for m in PIECE_PATTERN.finditer(anchors[index].text)
                     if (f := arxiv_url_form(m["link_url"] or m["hl_url"] or m["url"] or ""))), None)
        if form:
            forms[form] += 1
    return forms.most_common(1)[0][0] if forms else default
