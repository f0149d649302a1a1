"""Whether a section keeps its entries in date order, the dates it sorts by, and the arXiv link form
of a paper's era. Pure."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
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
# A list's arXiv link habit drifts over time (`pdf/{id}.pdf` in its early entries, `abs/{id}` later): a
# new entry's link form is the one most of the ERA_NEIGHBOURS entries of its section whose arXiv ids are
# nearest the paper's in time agree on.
ERA_NEIGHBOURS = 9


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
        if form := first_arxiv_form(anchors[index].text):
            forms[form] += 1
    return forms.most_common(1)[0][0] if forms else default


def link_form_of_era(anchors: Sequence[Entry], paper: Paper, default: str) -> str:
    """The arXiv link form more than half of the ERA_NEIGHBOURS entries of `anchors` nearest `paper` in
    arXiv-id time use; `default` when no form has that many (an era of mixed habits tells nothing). For
    a new paper these are the section's newest entries: the maintainer's present habit."""
    when = id_months(paper.arxiv_id) or paper.published.year * 12 + paper.published.month - 1
    distances = [(abs(months - when), k) for k, entry in enumerate(anchors)
                 if entry.arxiv_ids and (months := id_months(entry.arxiv_ids[0]))]
    heapq.heapify(distances)  # a long section is not sorted: only its nearest entries are taken, and parsed
    forms: Counter[str] = Counter()
    while distances:
        if form := first_arxiv_form(anchors[heapq.heappop(distances)[1]].text):
            forms[form] += 1
            if forms.total() == ERA_NEIGHBOURS:
                break
    agreed = [form for form, count in forms.items() if 2 * count > ERA_NEIGHBOURS]
    return agreed[0] if agreed else default


def first_arxiv_form(text: str) -> str | None:
    """The form of the first arXiv link in `text` (`https://arxiv.org/pdf/{id}.pdf`), None without one."""
    return next((f for m in PIECE_PATTERN.finditer(text)
                 if (f := arxiv_url_form(m["link_url"] or m["hl_url"] or m["url"] or ""))), None)


@lru_cache(maxsize=1 << 16)  # every insertion ranks all its section's entries by it
def id_months(arxiv_id: str) -> float:
    """When an arXiv id was given, in months since year 0 (its sequence number as a fraction of the
    month: `2401.00500` comes before `2401.09000`); 0 for an id with no date in it."""
    key = id_date_key(arxiv_id)
    if not key:
        return 0.0
    number = arxiv_id.partition(".")[2][:5] if "/" not in arxiv_id else arxiv_id.rpartition("/")[2][4:7]
    fraction = int(number) / 10 ** len(number) if number.isdigit() else 0.5
    return key // 100 * 12 + key % 100 - 1 + fraction
