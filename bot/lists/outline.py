"""The list's outline: its headings and labels as sections, each with its path from the top and the
entries it holds. Pure.

Headings nest by level; a label (`bot.lists.labels`) nests in whatever heading or label is open
where it stands and closes where its lines end, so the entries after a fold or a label bullet go
back to the section around it. A year heading written at the level of the topic heading just
above it (`<h3>Jailbreak</h3>` then `### 2025`, `### 2024`) groups that topic's papers by year, as
the maintainer meant: its path is `Jailbreak › 2025`, not a sibling topic `2025`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from bot.lists.labels import is_year_heading
from bot.lists.model import Entry, Section
from bot.lists.scan import Heading


@dataclass
class _Open:
    """A section being built: its heading or label, and where it sits in the outline."""

    heading: Heading
    rank: float  # headings: their level (+ 0.5 for a year heading under a topic of that level)
    level: int
    path: tuple[str, ...]
    year: bool = False
    entries: list[Entry] = field(default_factory=list)
    end_line: int = 0
    group: int = 0  # index of the nearest heading (not label) holding it: prose is judged per group


def build_sections(headings: list[Heading], entries: list[Entry], line_count: int,
                   block_starts: list[int]) -> tuple[Section, ...]:
    """Sections in document order. `entries` are in document order; `block_starts` are the first
    lines of every block the scanner read (entries or prose), to tell a heading with nothing
    under it."""
    built: list[_Open] = []
    stack: list[_Open] = []
    position = 0
    for index, heading in enumerate(headings):
        # entries before this heading belong to the innermost section open there
        position = _take(entries, position, heading.line, stack)
        while stack and 0 <= stack[-1].heading.end <= heading.line:
            stack.pop()
        opened = _open_label(heading, stack) if heading.end >= 0 else _open_heading(
            heading, stack, block_starts)
        opened.group = len(built) if heading.end < 0 else (stack[-1].group if stack else len(built))
        opened.end_line = headings[index + 1].line if index + 1 < len(headings) else line_count
        if heading.end >= 0:
            opened.end_line = min(opened.end_line, heading.end)
        stack.append(opened)
        built.append(opened)
    _take(entries, position, line_count, stack)
    kept = _without_prose(built)
    return tuple(Section(o.heading.text, o.level, o.path, o.heading.line, o.end_line, own, o.heading.end >= 0)
                 for o, own in zip(built, kept, strict=True))


def _take(entries: list[Entry], position: int, before: int, stack: list[_Open]) -> int:
    while position < len(entries) and entries[position].first_line < before:
        entry = entries[position]
        while stack and 0 <= stack[-1].heading.end <= entry.first_line:
            stack.pop()
        if stack:
            stack[-1].entries.append(entry)
        position += 1
    return position


def _open_label(heading: Heading, stack: list[_Open]) -> _Open:
    parent = stack[-1] if stack else None
    level = parent.level + 1 if parent else 1
    path = (*parent.path, heading.text) if parent else (heading.text,)
    return _Open(heading, parent.rank if parent else 0.0, level, path)


def _open_heading(heading: Heading, stack: list[_Open], block_starts: list[int]) -> _Open:
    level = heading.level
    year = is_year_heading(heading.text)
    if year:
        after_year = False
        while stack and stack[-1].heading.end < 0 and stack[-1].rank > level:
            after_year |= stack[-1].rank == level + 0.5
            stack.pop()
        topic = stack[-1] if stack else None
        if (topic is not None and topic.heading.end < 0 and topic.rank == level and not topic.year
                and (after_year or _nothing_between(block_starts, topic.heading.line, heading.line))):
            return _Open(heading, level + 0.5, topic.level + 1, (*topic.path, heading.text), year=True)
    while stack and stack[-1].heading.end < 0 and stack[-1].rank >= level:
        stack.pop()
    parent = stack[-1] if stack else None
    path = (*parent.path, heading.text) if parent else (heading.text,)
    return _Open(heading, float(level), level, path, year=year)


def _nothing_between(block_starts: list[int], first: int, end: int) -> bool:
    at = bisect.bisect_right(block_starts, first)
    return at == len(block_starts) or block_starts[at] >= end


def _without_prose(built: list[_Open]) -> list[tuple[Entry, ...]]:
    """Paragraphs are entries only where the papers are written as paragraphs: under a heading
    (its labels included) with two or more paragraphs linking papers and no list or table of
    papers."""
    by_group: dict[int, list[Entry]] = {}
    for opened in built:
        by_group.setdefault(opened.group, []).extend(opened.entries)
    paper_paragraphs = {}
    for group, entries in by_group.items():
        structured = any(e.is_paper for e in entries if e.kind != "paragraph")
        paper_paragraphs[group] = not structured and sum(
            1 for e in entries if e.kind == "paragraph" and e.arxiv_ids) >= 2
    return [tuple(e for e in o.entries
                  if e.kind != "paragraph" or (paper_paragraphs[o.group] and _links_paper(e))) for o in built]


def _links_paper(entry: Entry) -> bool:
    """A paragraph that links a paper (an arXiv id, a paper host), not one that only reads like a title."""
    return bool(entry.arxiv_ids) or (entry.is_paper and "://" in entry.text)
