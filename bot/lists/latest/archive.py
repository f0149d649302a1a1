"""The archive of rows that left the latest-papers block (the seed keeps it in `articles/README.md`).

New rows go to the top of the archive's first table with the latest table's four columns, newest
first, so the archive reads like the block it continues. Everything else in the file is kept byte
for byte; a file without such a table gets one appended.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.lists.latest.table import (
    HEADER_LINE,
    SEPARATOR_LINE,
    LatestRow,
    is_header,
    is_separator,
    newline_of,
    split_cells,
    version_of,
    with_newline,
)
from bot.papers.references import find_arxiv_ids

ARCHIVE_TITLE = "Archive of latest arXiv papers"
ARCHIVE_INTRO = "Papers that have moved out of the latest-papers table of the main list, newest first."
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def update_archive(
    text: str | None, overflow: Sequence[LatestRow], *, title: str = ARCHIVE_TITLE
) -> str:
    """The archive with `overflow` added; `text` None means the file does not exist yet.

    Rows whose id the archive already mentions anywhere (any version) are not added again, so
    adding the same overflow twice changes nothing.
    """
    rows = _newest_first(overflow)
    if text is None:
        heading = " ".join(title.split()) or ARCHIVE_TITLE
        lines = [f"# {heading}", "", ARCHIVE_INTRO, "", HEADER_LINE, SEPARATOR_LINE]
        return "\n".join([*lines, *(row.render() for row in rows)]) + "\n"
    known = set(find_arxiv_ids(text))
    fresh = [row for row in rows if row.arxiv_id not in known]
    if not fresh:
        return text
    newline = newline_of(text)
    rendered = [row.render() for row in fresh]
    place = _after_separator(text)
    if place is None:
        gap = "" if not text else (newline if text.endswith(("\n", "\r")) else newline * 2)
        table = newline.join([HEADER_LINE, SEPARATOR_LINE, *rendered]) + newline
        return text + gap + table
    offset, ended = place
    added = newline.join(rendered)
    added = added + newline if ended else newline + added
    return text[:offset] + with_newline(added, newline) + text[offset:]


def _newest_first(rows: Sequence[LatestRow]) -> list[LatestRow]:
    best: dict[str, LatestRow] = {}
    for row in rows:
        if row.arxiv_id not in best or version_of(row) > version_of(best[row.arxiv_id]):
            best[row.arxiv_id] = row
    return sorted(best.values(), key=lambda row: (row.date, row.arxiv_id), reverse=True)


def _after_separator(text: str) -> tuple[int, bool] | None:
    """(offset just past the separator line of the first matching table, whether that line ended)."""
    lines = _LINE_WITH_END.findall(text)
    offset = 0
    in_fence = False
    previous_was_header = False
    for line in lines:
        body = line.rstrip("\r\n")
        if _FENCE.match(body):
            in_fence = not in_fence
        cells = None if in_fence else split_cells(body)
        if previous_was_header and cells is not None and is_separator(cells):
            return offset + len(line), body != line
        previous_was_header = cells is not None and is_header(cells)
        offset += len(line)
    return None
