"""What the bot left for the maintainer in the entries it wrote: the fields shown as the placeholder,
named by their table column (or their line in the entry), for the pull request's "to fill in". Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.lists.document import parse_list
from bot.lists.entries.labels import label_name
from bot.lists.render import PLACEHOLDER
from bot.lists.scan import split_cells

# A field on a line of its own, named by the line's label (`  - Keyword: ...`), else by its place.
LINE_FIELD = "line {number}"
_LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])[ \t]+")


def fields_to_fill(text: str, arxiv_ids: Iterable[str]) -> dict[str, list[str]]:
    """For each of the papers whose entry in `text` still shows the placeholder, the fields it marks."""
    wanted = set(arxiv_ids)
    out: dict[str, list[str]] = {}
    if PLACEHOLDER not in text:
        return out
    for section in parse_list(text).sections:
        for entry in section.entries:
            ids = wanted.intersection(entry.arxiv_ids)
            if not ids or PLACEHOLDER not in entry.text:
                continue
            fields = _fields(entry.text, entry.kind, entry.columns)
            for arxiv_id in ids:
                out.setdefault(arxiv_id, []).extend(fields)
    return out


def _fields(text: str, kind: str, columns: tuple[str, ...]) -> list[str]:
    if kind == "table_row":
        cells = split_cells(text.split("\n", 1)[0])
        return [_column(columns, k) for k, cell in enumerate(cells) if PLACEHOLDER in cell]
    lines = text.split("\n")
    return [(k > 1 and label_name(_LIST_MARKER.sub("", line.strip()))) or LINE_FIELD.format(number=k)
            for k, line in enumerate(lines, start=1) if PLACEHOLDER in line]


def _column(columns: tuple[str, ...], index: int) -> str:
    name = columns[index].strip(" *_`") if index < len(columns) else ""
    return name or f"column {index + 1}"
