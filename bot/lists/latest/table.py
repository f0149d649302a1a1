"""The latest-papers table as rows: one `LatestRow` per line, parsed tolerantly and rendered strictly.

Cells are split the way GitHub's cmark-gfm splits them: a `|` is a cell boundary unless a backslash
stands right before it. The seed's cron script wrote raw abstracts, so a row may carry more than four
cells; the extra ones can only come from pipes inside the last (abstract) cell, so they are joined
back into it, escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.papers.references import ARXIV_LINK_PATTERN

TABLE_HEADER = ("Date", "Title", "Authors", "Abstract Summary")
HEADER_LINE = "| " + " | ".join(TABLE_HEADER) + " |"
SEPARATOR_LINE = "|" + " --- |" * len(TABLE_HEADER)

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The title is everything up to the last `](`: our titles escape `]`, the seed's never hold `](`.
_LINK = re.compile(r"^\[(?P<title>.*)\]\((?P<url>[^\s()]+)\)$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_VERSION_SUFFIX = re.compile(r"v(\d+)$")
# Characters that would end the link target or the cell early; percent-encoded in URLs we render.
_URL_UNSAFE = {c: f"%{ord(c):02X}" for c in " ()<>[]|`\"\\\t\r\n"}


@dataclass(frozen=True)
class LatestRow:
    """One paper of the table. The `*_md` fields are Markdown cell text, already escaped."""

    date: date  # submission date of the version shown
    arxiv_id: str  # without version
    version: int | None
    title_md: str  # the link text, without the link
    url: str
    authors_md: str
    summary_md: str

    def render(self) -> str:
        """`| 2025-05-13 | [Title](url) | A, B et al. | Summary. |`; refuses cells that break the row."""
        for name in ("title_md", "authors_md", "summary_md"):
            _check_cell(name, getattr(self, name))
        link = f"[{self.title_md}]({safe_url(self.url)})"
        return f"| {self.date.isoformat()} | {link} | {self.authors_md} | {self.summary_md} |"


def safe_url(url: str) -> str:
    """`url` with the characters that would break a Markdown link or a table cell percent-encoded."""
    return url.translate(str.maketrans(_URL_UNSAFE))


def _check_cell(name: str, text: str) -> None:
    if _LINE_BREAK.search(text) or _UNESCAPED_PIPE.search(text):
        raise ValueError(f"LatestRow.{name} must be one escaped line, got {text[:80]!r}")


def split_lines(text: str) -> list[str]:
    """Lines without their endings, breaking at `\\r\\n`, `\\r` and `\\n` as Markdown does."""
    return _LINE_BREAK.split(text)


def split_cells(line: str) -> list[str] | None:
    """The cells of a pipe-table row, unstripped; None unless the line starts and ends with a pipe.

    A row without its closing pipe is how a truncated line looks, so it is not taken as a row.
    """
    stripped = line.strip()
    if len(stripped) < 2 or stripped[0] != "|" or stripped[-1] != "|" or stripped[-2] == "\\":
        return None
    return _UNESCAPED_PIPE.split(stripped[1:-1])


def is_header(cells: list[str]) -> bool:
    return [c.strip().lower() for c in cells] == [h.lower() for h in TABLE_HEADER]


def is_separator(cells: list[str]) -> bool:
    return len(cells) == len(TABLE_HEADER) and all(_SEPARATOR_CELL.match(c) for c in cells)


def parse_row(line: str) -> LatestRow | None:
    """The row on `line`, or None when it is not a well-formed row of this table."""
    cells = split_cells(line)
    if cells is None or len(cells) < len(TABLE_HEADER):
        return None
    day = cells[0].strip()
    link = _LINK.match(cells[1].strip())
    if not _DATE.match(day) or link is None:
        return None
    found = ARXIV_LINK_PATTERN.search(link["url"])
    if found is None:
        return None
    try:
        shown = date.fromisoformat(day)
    except ValueError:
        return None
    version = _VERSION_SUFFIX.search(found.group(0))
    return LatestRow(
        date=shown,
        arxiv_id=found["id"],
        version=int(version.group(1)) if version else None,
        title_md=link["title"],
        url=link["url"],
        authors_md=cells[2].strip(),
        summary_md="\\|".join(cells[3:]).strip(),
    )


def scan_rows(table_text: str, *, ignore: re.Pattern[str] | None = None) -> tuple[list[LatestRow], list[str]]:
    """The rows of `table_text` (newest version per id) and the non-blank lines that are not rows.

    Header and separator lines, and lines matching `ignore`, are neither. A second row for an id
    replaces the first in place when its version is newer, and is dropped otherwise.
    """
    rows: list[LatestRow] = []
    slot: dict[str, int] = {}
    skipped: list[str] = []
    for line in split_lines(table_text):
        if not line.strip() or (ignore is not None and ignore.match(line.strip())):
            continue
        row = parse_row(line)
        if row is None:
            cells = split_cells(line)
            if cells is None or not (is_header(cells) or is_separator(cells)):
                skipped.append(line)
            continue
        if row.arxiv_id not in slot:
            slot[row.arxiv_id] = len(rows)
            rows.append(row)
        elif version_of(row) > version_of(rows[slot[row.arxiv_id]]):
            rows[slot[row.arxiv_id]] = row
    return rows, skipped


def version_of(row: LatestRow) -> int:
    return row.version or 0


def newline_of(text: str) -> str:
    """The line ending `text` uses (that of its first line), `\\n` for a single line."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def with_newline(text: str, newline: str) -> str:
    """`text` with every line ending written as `newline`."""
    return _LINE_BREAK.sub(newline, text)
