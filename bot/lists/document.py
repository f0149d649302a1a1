"""The list as data: sections, their entries, and edits that leave every other byte alone.

`parse_list` reads a Markdown paper list (headings, bullets, numbered items, tables, `<details>`
folds); `insert_entries` writes papers the way their sections already write entries and puts them
where those sections put new ones; `remove_entry` takes a paper's entry out. Line endings (`\\n` or
`\\r\\n`), a final newline or its absence, and a byte-order mark are kept. Pure.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from bot.lists.entries.format import DEFAULT_FORMAT, EntryFormat, anchor_entries, learn_format
from bot.lists.entries.order import (
    date_order,
    entry_date_key,
    link_form_near,
    link_form_of_era,
    paper_date_key,
)
from bot.lists.entries.pieces import arxiv_ids_in
from bot.lists.model import Entry, Section
from bot.lists.outline import build_sections
from bot.lists.render import render_entry
from bot.lists.scan import Block, is_paper_text, scan_lines
from bot.papers.references import Paper, normalise_id
from bot.papers.refs import title_key


@dataclass(frozen=True)
class ListDocument:
    text: str
    sections: tuple[Section, ...]
    latest_block: tuple[int, int] | None = None  # lines of the LATEST_PAPERS block, markers included
    latest_entries: tuple[Entry, ...] = field(default=(), repr=False)

    def paper_sections(self) -> list[Section]:
        """Sections holding at least one paper entry: the candidates for `/add`. A section that
        announces something else (News, Updates, Citation...) is not one, though it links papers."""
        return [s for s in self.sections if any(e.is_paper for e in s.entries) and not announces(s.heading)]

    def find_paper(self, arxiv_id: str) -> list[int]:
        """1-based lines where the id appears in any link form or version, anywhere in the file."""
        # A plain substring search first: the regex (with a lookbehind) would scan the whole file.
        # (Old-style ids, whose archive part may differ in case, always take the regex.)
        number = _NEW_STYLE_NUMBER.search(arxiv_id)
        if number and number[0] not in self.text:
            return []
        pattern = id_pattern(arxiv_id)
        starts = self._line_starts
        return sorted({bisect.bisect_right(starts, m.start()) for m in pattern.finditer(self.text)})

    def arxiv_ids(self) -> set[str]:
        return set(arxiv_ids_in(self.text))

    @cached_property
    def title_lines(self) -> dict[str, list[int]]:
        """1-based first lines of the paper entries (the latest block's too) by their title's key,
        worked out once per document: "already listed" by title reads it for every request."""
        found: dict[str, list[int]] = {}
        entries = [e for s in self.sections for e in s.entries if e.is_paper] + list(self.latest_entries)
        for entry in entries:
            if key := title_key(entry.title):
                found.setdefault(key, []).append(entry.first_line + 1)
        return found

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]


_NEW_STYLE_NUMBER = re.compile(r"\d{4}\.\d{4,5}")
# Headings made of these words alone announce news, credits or housekeeping, never a topic (or ask
# for a star: "If you like our project, please give us a star on GitHub"); one
# of the first group must be there ("Latest" alone may head the newest papers; "Knowledge Update"
# is a topic).
_ANNOUNCING = frozenset("""news update updates changelog changes citation citations cite citing bibtex
    contributing contribute contributors contribution contributions license acknowledgement acknowledgements
    acknowledgment acknowledgments contact todo star""".split())
_ANNOUNCING_TOO = frozenset("""latest recent log history how to us our the and of this
    repo repository project list if you like find it useful please give a on github for""".split())


def announces(heading: str) -> bool:
    """Whether a heading announces something other than papers ("🔔 News", "Star History")."""
    words = set(re.findall(r"[a-z]+", heading.lower()))
    return bool(words & _ANNOUNCING) and words <= _ANNOUNCING | _ANNOUNCING_TOO


def id_pattern(arxiv_id: str) -> re.Pattern[str]:
    """The id, with or without version, not inside a longer number (`arXiv.` DOI prefix allowed)."""
    bare = normalise_id(re.sub(r"^arxiv:", "", arxiv_id.strip(), flags=re.IGNORECASE))
    return re.compile(rf"(?:(?<=arxiv\.)|(?<![\w.\-]))(?:{re.escape(bare)})(?:v\d+)?(?![\d])",
                      re.IGNORECASE)


# The `/add` job, the rolling pull request's regeneration and `/update` read the same base text one
# after the other, and a 5,000-entry list takes tens of milliseconds to parse: parse it once.
# Documents are immutable, so sharing one is safe; the text itself is the key.
PARSED_CACHE_SIZE = 4


@lru_cache(maxsize=PARSED_CACHE_SIZE)
def parse_list(text: str) -> ListDocument:
    """The list as sections and entries (cached for the last few texts)."""
    lines = _content_lines(text)
    scan = scan_lines(lines)
    entries = [_entry(lines, block) for block in scan.blocks]
    latest = tuple(e for e, b in zip(entries, scan.blocks, strict=True) if b.latest)
    body = [e for e, b in zip(entries, scan.blocks, strict=True) if not b.latest]
    starts = sorted(b.first for b in scan.blocks)
    sections = build_sections(scan.headings, body, len(lines), starts)
    return ListDocument(text, sections, scan.latest, latest)


def _content_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return lines


def _entry(lines: list[str], block: Block) -> Entry:
    text = "\n".join(lines[block.first : block.end])
    separator = lines[block.separator] if block.separator >= 0 else ""
    ids = tuple(arxiv_ids_in(text))
    entry = object.__new__(Entry)  # what Entry(...) builds, without the frozen __init__'s cost
    entry.__dict__.update(first_line=block.first, end_line=block.end, text=text, arxiv_ids=ids,
                          kind=block.kind, columns=block.columns, separator=separator,
                          is_paper=is_paper_text(text, ids, block.kind))  # title: on first use
    return entry


def insert_entries(doc: ListDocument, additions: Sequence[tuple[Section, Paper]]) -> str:
    """The new text with each paper written in its section's format where that section adds entries."""
    if not additions:
        return doc.text
    groups: dict[int, tuple[Section, list[Paper]]] = {}
    for section, paper in additions:
        own = _own_section(doc, section)
        groups.setdefault(own.line, (own, []))[1].append(paper)
    spots = [spot for section, papers in groups.values() for spot in _placement(doc, section, papers)]
    inserts = sorted(spots, key=lambda item: item[0])
    raw = doc.text.split("\n")
    cr = "\r" if doc.text.count("\r\n") * 2 > doc.text.count("\n") else ""
    ends_with_newline = doc.text.endswith("\n")
    content_count = len(raw) - 1 if ends_with_newline else len(raw)
    out: list[str] = []
    previous = 0
    for index, new_lines in inserts:
        out.extend(raw[previous:index])
        if index >= content_count and not ends_with_newline:  # appending after an unterminated last line
            out[-1] += cr
            out.extend(line + cr for line in new_lines[:-1])
            out.append(new_lines[-1])
        else:
            out.extend(line + cr for line in new_lines)
        previous = index
    out.extend(raw[previous:])
    return "\n".join(out)


def _own_section(doc: ListDocument, section: Section) -> Section:
    for own in doc.sections:
        if own.line == section.line and own.heading == section.heading:
            return own
    same_path = [s for s in doc.sections if s.path == section.path]
    if len(same_path) == 1:
        return same_path[0]
    raise ValueError(f"section not in this document: {' > '.join(section.path)}")


def _placement(doc: ListDocument, section: Section, papers: list[Paper]) -> list[tuple[int, list[str]]]:
    """Where each paper's lines go: beside the section's entries, where it adds them (the top of a
    newest-first section, the end of an appended one); in a section sorted by date, where its date
    falls, unless that would renumber the entries after it."""
    anchors = anchor_entries(section.entries)
    fmt = learn_format(section) if anchors else _borrowed_format(doc, section)
    ordered = sorted(papers, key=lambda p: (p.published, p.arxiv_id))
    if fmt.newest_first:
        ordered.reverse()
    gap = [""] * fmt.gap
    if not anchors:
        blocks = [render_entry(fmt, p, number=_number(fmt, k, len(ordered))).split("\n")
                  for k, p in enumerate(ordered)]
        index, before, after = _empty_section_spot(doc, section)
        new_lines: list[str] = []
        for k, block in enumerate(blocks):
            new_lines.extend((gap if k else []) + block)
        return [(index, before + new_lines + after)]
    order = sorted_order(fmt, anchors)
    spots = []
    for k, paper in enumerate(ordered):
        at = _sorted_spot(anchors, paper_date_key(paper), order) if order else None
        placed = placed_format(fmt, anchors, paper, order)
        block = render_entry(placed, paper, number=_number(fmt, k, len(ordered))).split("\n")
        if at is None:
            at = 0 if fmt.newest_first else len(anchors)
        if at < len(anchors):
            spots.append((anchors[at].first_line, block + gap))
        else:
            spots.append((anchors[-1].end_line, gap + block))
    return spots


def sorted_order(fmt: EntryFormat, anchors: Sequence[Entry]) -> int:
    """-1 / 1 when new entries go where their date falls (a date-sorted section that is not renumbered
    by an insertion), 0 when they go at the end where the section adds them."""
    renumbers = bool(fmt.numbering and fmt.numbering[2] != 0)
    return 0 if renumbers else date_order(anchors)


def placed_format(fmt: EntryFormat, anchors: Sequence[Entry], paper: Paper,
                  order: int | None = None) -> EntryFormat:
    """The format `paper` is written in where insert_entries puts it, with the arXiv link form of its
    era (a list's link habit drifts over the years: `pdf/{id}.pdf` in its early entries, `abs/{id}` in
    later ones; `abs/{id}v1` in one year's rows, `abs/{id}` in the next): the form most of the section's
    entries nearest it by arXiv id agree on. When they do not agree: in a date-sorted section, the form
    of the entries around its spot; elsewhere, the section's (its majority near where new entries go)."""
    if order is None:
        order = sorted_order(fmt, anchors) if anchors else 0
    at = _sorted_spot(anchors, paper_date_key(paper), order) if order else None
    fallback = fmt.url_form if at is None else link_form_near(anchors, at, fmt.url_form)
    return replace(fmt, url_form=link_form_of_era(anchors, paper, fallback))


def _sorted_spot(anchors: Sequence[Entry], key: int, order: int) -> int | None:
    """The index of the entry the paper goes before in a date-sorted section (len: after the last).
    Newest-first: above the first entry from the top that is not newer; oldest-first: below the
    first entry from the bottom that is not newer. Read from the end where new papers go, so a new
    paper costs a look at a few entries, not at all of a long section."""
    if not key:
        return None
    if order < 0:
        for index, entry in enumerate(anchors):
            other = entry_date_key(entry)
            if other and other <= key:
                return index
        return len(anchors)
    for index in range(len(anchors) - 1, -1, -1):
        other = entry_date_key(anchors[index])
        if other and other <= key:
            return index + 1
    return 0


def _number(fmt: EntryFormat, k: int, count: int) -> int | None:
    if not fmt.numbering:
        return None
    first, last, step = fmt.numbering
    if step == 0:
        return first
    return first + (count - k) if step < 0 else last + 1 + k


def _borrowed_format(doc: ListDocument, section: Section) -> EntryFormat:
    """A section without entries writes like the nearest paper section (a table row cannot be borrowed)."""
    candidates = sorted(doc.paper_sections(),
                        key=lambda s: (s.path[:-1] != section.path[:-1], abs(s.line - section.line)))
    for other in candidates:
        fmt = learn_format(other)
        if fmt.kind != "table_row":
            return EntryFormat(fmt.kind, fmt.lines, fmt.url_form, fmt.authors, fmt.venue, gap=fmt.gap,
                               numbering=(0, 0, 1) if fmt.numbering else None)
    return DEFAULT_FORMAT


def _empty_section_spot(doc: ListDocument, section: Section) -> tuple[int, list[str], list[str]]:
    """After the heading and its introduction, with blank lines around the new entries."""
    lines = _content_lines(doc.text)
    last = section.line
    for index in range(section.line + 1, min(section.end_line, len(lines))):
        if lines[index].strip():
            last = index
    before = [""] if last > section.line else []
    after = [""] if last + 1 < len(lines) and lines[last + 1].strip() else []
    return last + 1, before, after


def remove_entry(text: str, arxiv_id: str, *, include_latest: bool = False) -> str:
    """Drops every entry block about that paper, with the blank lines that separated it; the LATEST
    block is left to its own updater unless `include_latest`."""
    doc = parse_list(text)
    target = normalise_id(re.sub(r"^arxiv:", "", arxiv_id.strip(), flags=re.IGNORECASE))
    groups = [list(s.entries) for s in doc.sections]
    if include_latest:
        groups.append(list(doc.latest_entries))
    raw = text.split("\n")
    doomed = [_removal_span(entries, k, raw) for entries in groups
              for k, entry in enumerate(entries) if entry.paper_id == target]
    if not doomed:
        return text
    keep = [True] * len(raw)
    for first, end in doomed:
        keep[first:end] = [False] * (end - first)
    out = [line for line, kept in zip(raw, keep, strict=True) if kept]
    if not text.endswith("\n") and out and not keep[-1]:
        out[-1] = out[-1].removesuffix("\r")
    return "\n".join(out)


def _removal_span(entries: list[Entry], k: int, raw: list[str]) -> tuple[int, int]:
    """The entry's lines, plus the blank lines that separate it from a neighbouring entry."""
    entry = entries[k]
    after = entries[k + 1] if k + 1 < len(entries) else None
    before = entries[k - 1] if k else None
    if after and _blank_gap(raw, entry.end_line, after.first_line):
        return entry.first_line, after.first_line
    if before and _blank_gap(raw, before.end_line, entry.first_line):
        return before.end_line, entry.end_line
    return entry.first_line, entry.end_line


def _blank_gap(raw: list[str], start: int, end: int) -> bool:
    return 0 < end - start <= 2 and all(not line.strip() for line in raw[start:end])
