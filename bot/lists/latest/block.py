"""The "latest papers" block of a list: find it, read its rows, merge new papers in, write it back.

The block is the text between `<!-- LATEST_PAPERS_START -->` and `<!-- LATEST_PAPERS_END -->`,
the markers of the seed's cron script, so lists that already use it keep working. Everything outside
the markers is returned byte for byte; rows that leave the block go to an archive file
(`bot.lists.latest.archive`). Pure functions over strings: the handler does the reading and writing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from bot.errors import PaperbotError
from bot.lists.latest.archive import update_archive
from bot.lists.latest.table import (
    HEADER_LINE,
    SEPARATOR_LINE,
    TABLE_HEADER,
    LatestRow,
    newline_of,
    scan_rows,
    split_lines,
    version_of,
    with_newline,
)
from bot.lists.render import escape_table_cell
from bot.papers.references import Paper, find_arxiv_ids
from bot.papers.refs import identity_keys_in
from bot.papers.summary import summarize

__all__ = [
    "END_MARKER",
    "START_MARKER",
    "TABLE_HEADER",
    "BlockError",
    "LatestBlock",
    "LatestRow",
    "find_block",
    "listed_ids",
    "merge_rows",
    "parse_rows",
    "render_block",
    "replace_block",
    "row_from_paper",
    "update_archive",
]

START_MARKER = "<!-- LATEST_PAPERS_START -->"
END_MARKER = "<!-- LATEST_PAPERS_END -->"
META_PREFIX = "paperbot:latest"
MAX_AUTHORS_SHOWN = 2
ET_AL = " et al."

MARKER_MISSING = (
    "The list has `{present}` (line {line}) but no `{missing}`. Add `{missing}` on its own line "
    "{where} the latest-papers table, or remove `{present}` if the list should not have one."
)
MARKER_REPEATED = (
    "The list has `{marker}` {count} times (lines {lines}). Keep exactly one `" + START_MARKER + "` "
    "and one `" + END_MARKER + "` around the latest-papers table, so the bot knows which table to update."
)
MARKERS_OUT_OF_ORDER = (
    "In the list, `" + END_MARKER + "` (line {end}) comes before `" + START_MARKER + "` (line {start}). "
    "Put the start marker above the latest-papers table and the end marker below it."
)

_META_LINE = re.compile(r"^<!--\s*" + re.escape(META_PREFIX) + r"(?:\s+(?P<body>.*?))?\s*-->$")
_META_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_META_VALUE_SAFE = ":/,+@"


class BlockError(PaperbotError):
    """The markers are there but unusable (one missing, repeated, out of order); says how to fix it."""


@dataclass(frozen=True)
class LatestBlock:
    start: int  # offset of the first character after START_MARKER
    end: int  # offset of END_MARKER
    rows: tuple[LatestRow, ...]
    meta: dict[str, str] = field(default_factory=dict)  # from our `<!-- paperbot:latest k=v -->` line
    # Non-blank lines between the markers that are neither rows nor table furniture (a truncated
    # row, a note someone wrote); render_block would drop them, so the caller can warn first.
    skipped: tuple[str, ...] = ()


def find_block(text: str) -> LatestBlock | None:
    """The latest-papers block of `text`; None when it has neither marker.

    Raises `BlockError` when only one marker is present, either is repeated, or END precedes
    START: guessing which table was meant could overwrite the wrong part of someone's list.
    """
    starts = _occurrences(text, START_MARKER)
    ends = _occurrences(text, END_MARKER)
    if not starts and not ends:
        return None
    if not starts or not ends:
        if ends:
            present, missing, where, at = END_MARKER, START_MARKER, "above", ends[0]
        else:
            present, missing, where, at = START_MARKER, END_MARKER, "below", starts[0]
        raise BlockError(
            MARKER_MISSING.format(present=present, missing=missing, where=where, line=_line_of(text, at))
        )
    for marker, found in ((START_MARKER, starts), (END_MARKER, ends)):
        if len(found) > 1:
            lines = ", ".join(str(_line_of(text, at)) for at in found)
            raise BlockError(MARKER_REPEATED.format(marker=marker, count=len(found), lines=lines))
    if ends[0] < starts[0]:
        start_line, end_line = _line_of(text, starts[0]), _line_of(text, ends[0])
        raise BlockError(MARKERS_OUT_OF_ORDER.format(start=start_line, end=end_line))
    start, end = starts[0] + len(START_MARKER), ends[0]
    inner = text[start:end]
    rows, skipped = scan_rows(inner, ignore=_META_LINE)
    return LatestBlock(start, end, tuple(rows), _parse_meta(inner), tuple(skipped))


def parse_rows(table_text: str) -> list[LatestRow]:
    """The rows of a latest-papers table (seed or ours), one per arXiv id, malformed lines skipped.

    When an id appears more than once (the seed lists v1 and v2 of a paper), the newest version
    takes the place of the first appearance.
    """
    return scan_rows(table_text, ignore=_META_LINE)[0]


def row_from_paper(paper: Paper) -> LatestRow:
    """The row for `paper`, every cell escaped; authors as the seed writes them ("A, B et al.")."""
    names = [escape_table_cell(name) for name in paper.authors if name.strip()]
    authors = ", ".join(names[:MAX_AUTHORS_SHOWN]) + (ET_AL if len(names) > MAX_AUTHORS_SHOWN else "")
    version = f"v{paper.version}" if paper.version else ""
    return LatestRow(
        date=paper.updated,
        arxiv_id=paper.arxiv_id,
        version=paper.version or None,
        title_md=escape_table_cell(paper.title) or paper.arxiv_id,
        url=f"https://arxiv.org/abs/{paper.arxiv_id}{version}",
        authors_md=authors,
        summary_md=escape_table_cell(summarize(paper.abstract)),
    )


def render_block(rows: Sequence[LatestRow], meta: dict[str, str]) -> str:
    """The text between the markers: our meta comment, then the table, then a blank line.

    The blank line before END_MARKER keeps the marker out of the table, as in the seed.
    """
    lines = ["", _render_meta(meta), "", HEADER_LINE, SEPARATOR_LINE, *(row.render() for row in rows), "", ""]
    return "\n".join(lines)


def replace_block(text: str, block: LatestBlock, new_inner: str) -> str:
    """`text` with the block's inner text replaced, in the file's own line endings.

    Everything outside the markers is kept byte for byte. Refuses a `block` found in another text
    and a `new_inner` that holds a marker, which would leave the file with two blocks.
    """
    if text[block.start - len(START_MARKER) : block.start] != START_MARKER or (
        text[block.end : block.end + len(END_MARKER)] != END_MARKER
    ):
        raise ValueError("the block's offsets do not point at the markers of this text")
    if START_MARKER in new_inner or END_MARKER in new_inner:
        raise ValueError("the new block text contains a latest-papers marker")
    return text[: block.start] + with_newline(new_inner, newline_of(text)) + text[block.end :]


def merge_rows(
    current: Sequence[LatestRow], new: Sequence[LatestRow], max_rows: int
) -> tuple[list[LatestRow], list[LatestRow]]:
    """(rows to show, rows that no longer fit), both newest first, one row per arXiv id.

    For an id in both, the newest version wins and, at the same version, the new row (fresher
    metadata). Rows of the same date are ordered by id, highest first, so reruns change nothing.
    """
    if max_rows < 0:
        raise ValueError("max_rows must not be negative")
    best: dict[str, LatestRow] = {}
    for row in current:
        if row.arxiv_id not in best or version_of(row) > version_of(best[row.arxiv_id]):
            best[row.arxiv_id] = row
    for row in new:
        if row.arxiv_id not in best or version_of(row) >= version_of(best[row.arxiv_id]):
            best[row.arxiv_id] = row
    ordered = sorted(best.values(), key=lambda row: (row.date, row.arxiv_id), reverse=True)
    return ordered[:max_rows], ordered[max_rows:]


def listed_ids(*texts: str) -> set[str]:
    """Every arXiv id (without version) linked or named in any of `texts`."""
    # DOI / Anthology / OpenReview keys too: a candidate listed by its venue link is known (bot.papers.refs)
    return {arxiv_id for text in texts for arxiv_id in find_arxiv_ids(text)} | {
        key for text in texts for key in identity_keys_in(text)}


def _occurrences(text: str, marker: str) -> list[int]:
    return [match.start() for match in re.finditer(re.escape(marker), text)]


def _line_of(text: str, offset: int) -> int:
    return len(split_lines(text[:offset]))


def _render_meta(meta: dict[str, str]) -> str:
    """`<!-- paperbot:latest k=v ... -->`; values are percent-encoded so none can close the comment."""
    pairs = []
    for key, value in meta.items():
        if not _META_KEY.match(key):
            raise ValueError(f"latest-block meta key must be a plain word, got {key!r}")
        pairs.append(f"{key}={quote(str(value), safe=_META_VALUE_SAFE)}")
    return "<!-- " + " ".join([META_PREFIX, *pairs]) + " -->"


def _parse_meta(inner: str) -> dict[str, str]:
    for line in split_lines(inner):
        match = _META_LINE.match(line.strip())
        if match:
            pairs = (token.partition("=") for token in (match["body"] or "").split())
            return {key: unquote(value) for key, sep, value in pairs if sep and _META_KEY.match(key)}
    return {}
