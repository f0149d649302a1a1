"""A list kept in several files, as one document: sections from every file, paths that start with
each file's place in the index, edits that go back to the file they belong to.

`assemble` parses each file on its own and joins them into one `ListDocument` (a `CombinedDocument`)
whose text is the files one after another and whose sections carry their lines in that text, so
section choice, format learning and "already listed" work across all files unchanged. `locate`
turns a line of the combined text back into a file and its line; `edit` writes a paper into the
file that holds the chosen section, with that file's own write guard. A list of one file is that
file's own document, exactly as before. Pure.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cachetools import LRUCache

from bot.lists.document import Entry, ListDocument, Section, parse_list
from bot.lists.layout import ListFile
from bot.lists.write_guard import Verdict, insert_checked
from bot.papers.references import Paper

_ENTRY_START = re.compile(r"^\s{0,3}(?:[-*+]\s|\d+[.)]\s|\|)")
_parsed: LRUCache[str, ListDocument] = LRUCache(maxsize=256)  # file text -> its document


@dataclass(frozen=True)
class CombinedDocument(ListDocument):
    """The files of a list as one document; sections of held files (the archive) are known for
    "already listed" but are never where a new paper goes."""

    held: frozenset[int] = field(default=frozenset(), repr=False)  # heading lines of held sections

    def paper_sections(self) -> list[Section]:
        return [s for s in super().paper_sections() if s.line not in self.held]


@dataclass(frozen=True)
class Part:
    file: ListFile
    text: str  # the file as it is
    doc: ListDocument  # the file parsed (after a heading line naming it, when `headed`)
    headed: bool  # entries come before the file's first heading: a heading line was put above
    offset: int  # the line the part starts at in the combined text
    lines: int  # its lines in the combined text


@dataclass(frozen=True)
class ListSet:
    parts: tuple[Part, ...]
    doc: ListDocument
    where: Mapping[int, tuple[int, Section]] = field(repr=False)  # combined heading line -> part, own section
    notes: tuple[str, ...] = ()  # what discovery skipped
    aliases: Mapping[str, str] = field(default_factory=dict)  # a link's path -> the file it names

    @property
    def index(self) -> Part:
        return self.parts[0]

    @property
    def texts(self) -> dict[str, str]:
        return {part.file.path: part.text for part in self.parts}

    def locate(self, line: int) -> tuple[str, int]:
        """A 1-based line of the combined text as (file, 1-based line in that file)."""
        for part in self.parts:
            if part.offset < line <= part.offset + part.lines:
                return part.file.path, max(1, line - part.offset - part.headed)
        return self.index.file.path, line

    def file_of(self, section: Section) -> str:
        found = self.where.get(section.line)
        return self.parts[found[0]].file.path if found else self.index.file.path

    def edit(self, section: Section, paper: Paper) -> tuple[str, str, Verdict]:
        """(file, its text with `paper` written into `section`, the write guard's verdict)."""
        index, own = self.where[section.line]
        part = self.parts[index]
        after, verdict = insert_checked(part.doc, own, paper)
        return part.file.path, _unheaded(after, part.headed, part.text), verdict

    def with_texts(self, texts: Mapping[str, str]) -> ListSet:
        """The same files with some texts replaced (each changed file parsed again, alone)."""
        if not texts:
            return self
        pairs = [(p.file, texts.get(p.file.path, p.text)) for p in self.parts]
        return assemble(pairs, notes=self.notes, aliases=self.aliases)


def assemble(files: Sequence[tuple[ListFile, str]], *, notes: Iterable[str] = (),
             aliases: Mapping[str, str] | None = None) -> ListSet:
    """One document over the files, the index first."""
    parts: list[Part] = []
    offset = 0
    for file, text in files:
        headed = _needs_heading(file, text)
        name = file.place[-1] if file.place else posixpath.basename(file.path)
        parsed = f"# {name}\n{text.removeprefix(chr(0xFEFF))}" if headed else text
        doc = _parse(parsed)
        lines = len(doc.text.split("\n")) - (1 if doc.text.endswith("\n") else 0)
        parts.append(Part(file, text, doc, headed, offset, lines))
        offset += lines
    only = parts[0] if len(parts) == 1 else None
    if only is not None and not only.file.place and not only.headed and only.file.role != "archive":
        return ListSet(tuple(parts), only.doc, {s.line: (0, s) for s in only.doc.sections}, tuple(notes),
                       dict(aliases or {}))
    sections: list[Section] = []
    where: dict[int, tuple[int, Section]] = {}
    held: set[int] = set()
    for number, part in enumerate(parts):
        for own in part.doc.sections:
            moved = _moved(own, part)
            sections.append(moved)
            where[moved.line] = (number, own)
            if part.file.role == "archive":
                held.add(moved.line)
    index = parts[0].doc
    text = "".join(p.doc.text if p.doc.text.endswith("\n") else p.doc.text + "\n" for p in parts)
    doc = CombinedDocument(text, tuple(sections), index.latest_block, index.latest_entries,
                           held=frozenset(held))
    return ListSet(tuple(parts), doc, where, tuple(notes), dict(aliases or {}))


def _parse(text: str) -> ListDocument:
    doc = _parsed.get(text)
    if doc is None:
        doc = _parsed[text] = parse_list(text)
    return doc


def _needs_heading(file: ListFile, text: str) -> bool:
    """A topic file whose entries come before its first heading (it has no title), or a list with
    no heading at all (a README that is one list of papers): a heading line naming the file is put
    above, so its entries make a section (`A1. Jailbreak`, `README.md`) that papers can go to."""
    if file.role == "archive" or not _entries_before_heading(text):
        return False
    return bool(file.place) or not _parse(text).sections


def _entries_before_heading(text: str) -> bool:
    """Whether the file lists entries before its first heading (a topic file with no title)."""
    doc = _parse(text)
    first = doc.sections[0].line if doc.sections else None
    lines = text.split("\n")[:first]
    return any(_ENTRY_START.match(line) for line in lines)


def _key(heading: str) -> str:
    return "".join(re.findall(r"\w+", heading.lower()))


def _moved(own: Section, part: Part) -> Section:
    """The file's section as the combined document has it: its path after the file's place (the
    file's title and the link's text, when they say the same, count once), its lines shifted."""
    place = part.file.place
    merged = bool(place) and _key(own.path[0]) == _key(place[-1])
    path = (*place, *own.path[1:]) if merged else (*place, *own.path)
    level = min(6, own.level + len(place) - merged)
    shift = part.offset
    entries = tuple(_shifted(e, shift) for e in own.entries) if shift else own.entries
    return replace(own, level=level, path=path, line=own.line + shift, end_line=own.end_line + shift,
                   entries=entries)


def _shifted(entry: Entry, by: int) -> Entry:
    moved = object.__new__(Entry)  # as parse_list builds them: the title stays lazy
    values: dict[str, Any] = dict(entry.__dict__)
    values.update(first_line=entry.first_line + by, end_line=entry.end_line + by)
    moved.__dict__.update(values)
    return moved


def _unheaded(text: str, headed: bool, original: str) -> str:
    if not headed:
        return text
    body = text.split("\n", 1)[1] if "\n" in text else ""
    return ("\ufeff" + body) if original.startswith("\ufeff") else body
