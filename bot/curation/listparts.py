"""What of a list speaks to its topic: the parts (a section path, its heading, its entries) of the
README's topical sections and of the files the README links to.

Many lists keep their papers in other files of the repository and link them from the README
(`👉[JailBreak & Attacks papers](./subtopic/Jailbreaks&Attack.md)`, `Please refer to
[dataset&benchmark for LLM](./collection/dataset/dataset_for_LLM.md)`): those files are the list
as much as its README is. `linked_parts` reads them from a `{path: text}` map of the repository's
files (whoever fetched them), each as the entries of the section that links it; the file's own
headings become subsections. Left out: boilerplate sections (contributing, licence, citation), the
latest-papers table and its archive (the bot, or an older cron script, writes those: they say what
a query found, not what the maintainer chose), and links to other sites. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.lists.document import ListDocument, Section, parse_list
from bot.lists.index import OUTSIDE, resolve_target
from bot.lists.latest.table import is_header, split_cells
from bot.lists.model import Entry

# Headings of sections that are about the repository, not the topic.
_BOILERPLATE = frozenset("""contributing contribution contributions contributors contribute license
    licence citation citations cite contact acknowledgements acknowledgments acknowledgement
    contents toc faq references star stars history todo sponsor sponsors changelog news
    update updates""".split())
# Link targets in Markdown (`[text](target "title")`) and HTML (`href="target"`).
_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|href=[\"']([^\"']+)[\"']")
# Stands for the linking section while a linked file is parsed: entries above the file's first
# heading belong to that section.
_ROOT = "paperbot linked file root"
# A linked file is read once even when several sections link it, and at most this many files
# are read: a README that links hundreds of files is an index, and its first files show the topic.
MAX_LINKED_FILES = 60


@dataclass(frozen=True)
class TopicPart:
    path: tuple[str, ...]  # where the part sits in the list (the linking section's path first)
    heading: str
    entries: tuple[Entry, ...]


def list_title(doc: ListDocument) -> str:
    """The list's first top-level heading (or its first heading of any level)."""
    if not doc.sections:
        return ""
    top = min(s.level for s in doc.sections)
    return next(s.heading for s in doc.sections if s.level == top)


def is_boilerplate(heading: str) -> bool:
    return bool(set(re.findall(r"[a-z]+", heading.lower())) & _BOILERPLATE)


def topical_sections(doc: ListDocument) -> list[Section]:
    """Sections below the title that are about the topic: not boilerplate, not the section
    that holds the latest-papers table (the bot writes that one)."""
    title = list_title(doc)
    return [section for section in doc.sections
            if not (section.heading == title and len(section.path) == 1)
            and not is_boilerplate(section.heading) and not _holds_latest(doc, section)]


def readme_parts(doc: ListDocument) -> list[TopicPart]:
    return [TopicPart(s.path, s.heading, s.entries) for s in topical_sections(doc)]


def linked_parts(doc: ListDocument, files: Mapping[str, str], *,
                 readme_path: str = "README.md") -> list[TopicPart]:
    """The topical parts of the repository files `doc` (the file at `readme_path`) links to."""
    topical = {id(s) for s in topical_sections(doc)}
    lines = doc.text.split("\n")
    parts: list[TopicPart] = []
    read = {readme_path}
    for section in doc.sections:
        if _holds_latest(doc, section) or len(read) > MAX_LINKED_FILES:
            continue
        span = "\n".join(lines[section.line:section.end_line])
        for match in _TARGET.finditer(span):
            path = resolve_link(match[1] or match[2], readme_path, files)
            if path is None or path in read or len(read) > MAX_LINKED_FILES:
                continue
            read.add(path)
            # A link from boilerplate (a table of contents) still leads to the list's papers.
            prefix = section.path if id(section) in topical else ()
            parts += file_parts(files[path], prefix)
    return parts


def resolve_link(target: str, readme_path: str, files: Mapping[str, str]) -> str | None:
    """The repository path a relative link from `readme_path` names, if `files` holds it
    (`./a/b.md`, `a//b.md`, `/a/b.md`, `a/b` for `a/b.md`, `a/` for `a/README.md`)."""
    path = resolve_target(target, readme_path)
    if path is None or path == OUTSIDE:
        return None
    for candidate in (path, f"{path}.md", f"{path}/README.md"):
        if candidate in files:
            return candidate
    return None


def file_parts(text: str, prefix: tuple[str, ...]) -> list[TopicPart]:
    """A linked file's topical parts, under `prefix`; none when the file is a latest-papers
    archive."""
    if is_latest_archive(text):
        return []
    doc = parse_list(f"# {_ROOT}\n\n{text}")
    parts = []
    for section in doc.sections:
        if is_boilerplate(section.heading) or _holds_latest(doc, section):
            continue
        own = tuple(p for p in section.path if p != _ROOT)
        heading = section.heading if section.heading != _ROOT else ""
        if section.entries or heading:
            parts.append(TopicPart(prefix + own, heading, section.entries))
    return parts


def is_latest_archive(text: str) -> bool:
    """Whether the file holds a latest-papers table (Date | Title | Authors | Abstract Summary)."""
    for line in text.split("\n", 400)[:400]:
        cells = split_cells(line)
        if cells is not None and is_header(cells):
            return True
    return False


def _holds_latest(doc: ListDocument, section: Section) -> bool:
    return bool(doc.latest_block) and section.line <= doc.latest_block[0] < section.end_line
