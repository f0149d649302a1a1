"""The write guard: before a list edit is proposed, check that it only adds the new paper's entry.

An edit passes when (1) it only inserts lines (a line that differs from the old one in its numbers
alone, such as "Total: 120 papers", may change); (2) every inserted line mentions the new paper's
links and no other paper's (no other arXiv id, no other URL but a badge image, no title of an entry
already in the section); (3) the inserted entry holds no empty list item and no unclosed emphasis,
and has the line layout of one of its siblings (or that layout less some of its later lines: what
only a maintainer can write, such as an affiliation, is left out rather than written empty); and
(4) the list, parsed again, has the same sections and entries plus the new one. An edit that fails
is not proposed: the list's shape was not understood. Pure.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.lists.document import Entry, ListDocument, Section, insert_entries, parse_list
from bot.lists.entries.format import anchor_entries, group_parts
from bot.lists.entries.pieces import PIECE_PATTERN, arxiv_ids_in, plain_text
from bot.lists.render import code_link
from bot.papers.references import Paper, find_arxiv_ids, normalise_id

# Why an edit was refused, in the maintainer's words (they end the reply's "not added" line).
CHANGED_LINES = "the edit would have changed {count} existing line(s) of the list"
NOTHING_WRITTEN = "no line was written for it"
NO_LINK = "the written entry would not link the paper"
OTHER_PAPER = "the written entry would mention another paper ({what})"
EMPTY_ITEM = "the written entry would hold an empty list item"
OPEN_EMPHASIS = "the written entry would leave bold or italic text open"
UNLIKE_SIBLINGS = "the written entry would not be laid out like the section's entries ({detail})"
SECTIONS_CHANGED = "the list's headings would no longer read the same"
ENTRIES_CHANGED = "the list's existing entries would no longer read the same"
NOT_ONE_ENTRY = "the new lines would not read as one entry of their own in «{section}»"

NEIGHBOURS_READ = 30  # entries read for titles at each end of a section and around the new entry
SIBLINGS_COMPARED = 50  # the entries nearest to the new one whose layouts it may take
_URL = re.compile(r"(?:https?|ftp)://[^\s<>()\[\]\"'`|]+|\bwww\.[^\s<>()\[\]\"'`|]+", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]+)|<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_MARKER = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(?=\s|$)")
_EMPTY_ITEM = re.compile(r"^\s*(?:(?:[-*+]|\d{1,9}[.)])(?:\s+|$))+(?:[-–—.]\s*)?$")
_WORDS = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_PIPE = re.compile(r"(?<!\\)\|")
TITLE_MIN_WORDS = 4  # shorter link texts ("Paper", "Code", "Project page") name no paper


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""  # why not, for the maintainer; "" when ok


ACCEPTED = Verdict(True)


def insert_checked(doc: ListDocument, section: Section, paper: Paper) -> tuple[str, Verdict]:
    """The list with `paper` written into `section`, and the guard's verdict on that edit.

    An `/add` asks twice for the same edit (to answer, then to write the branch): the last answer
    is kept, for the very same document object (held, so that `is` cannot mistake another for it)."""
    last = _LAST_EDIT.get("edit")
    if last is not None and last[0] is doc and last[1] == section.path and last[2] == paper:
        return last[3]
    after = insert_entries(doc, [(section, paper)])
    result = after, check_addition(doc.text, after, paper, section.path)
    _LAST_EDIT["edit"] = (doc, section.path, paper, result)
    return result


_LAST_EDIT: dict[str, tuple[ListDocument, tuple[str, ...], Paper, tuple[str, Verdict]]] = {}


def check_addition(before: str, after: str, paper: Paper, section_path: Sequence[str]) -> Verdict:
    """Whether `after` is `before` with only `paper`'s entry added to the section at `section_path`."""
    old, new = before.split("\n"), after.split("\n")
    inserted, changed, at = _diff_with_start(old, new)
    if changed:
        return Verdict(False, CHANGED_LINES.format(count=changed))
    if not any(line.strip() for line in inserted):
        return Verdict(False, NOTHING_WRITTEN)
    doc_before = parse_list(before)
    section = _section(doc_before, section_path)
    others = other_titles(before, section, paper, near=at) if section else set()
    for line in inserted:
        if what := foreign_mention(line, paper, others):
            return Verdict(False, OTHER_PAPER.format(what=what))
    if not any(links_to(line, paper) for line in inserted):
        return Verdict(False, NO_LINK)
    if any(_EMPTY_ITEM.match(line) for line in inserted if line.strip()):
        return Verdict(False, EMPTY_ITEM)
    if any(_open_emphasis(line) for line in inserted):
        return Verdict(False, OPEN_EMPHASIS)
    return _check_structure(doc_before, parse_list(after), paper, tuple(section_path))


def diff_lines(old: list[str], new: list[str]) -> tuple[list[str], int]:
    """The lines `new` inserts into `old`, and how many of `old`'s lines it changes or drops (a
    line whose numbers alone changed is neither: lists keep counts such as "Total: 120")."""
    inserted, changed, _ = _diff_with_start(old, new)
    return inserted, changed


def _diff_with_start(old: list[str], new: list[str]) -> tuple[list[str], int, int]:
    """`diff_lines`, and the first line where `old` and `new` differ."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    a, b = old[start : len(old) - end], new[start : len(new) - end]
    if not a:
        return b, 0, start
    inserted: list[str] = []
    changed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "insert":
            inserted.extend(b[j1:j2])
        elif tag == "delete":
            changed += i2 - i1
        elif tag == "replace":
            pairs = min(i2 - i1, j2 - j1)
            changed += sum(1 for k in range(pairs) if not is_count_update(a[i1 + k], b[j1 + k]))
            changed += max(0, (i2 - i1) - (j2 - j1))
            inserted.extend(b[j1 + pairs : j2])
    return inserted, changed, start


def is_count_update(old: str, new: str) -> bool:
    """"Total: 120 papers" -> "Total: 121 papers": the same line with other numbers, naming no paper."""
    return (old != new and _DIGITS.sub("#", old) == _DIGITS.sub("#", new)
            and not arxiv_ids_in(old) and not _URL.search(old))


def other_titles(text: str, section: Section, paper: Paper, near: int | None = None) -> set[str]:
    """Titles of the papers already in the section (entry titles and link texts), as word runs: of
    its first and last entries (where the writer learns its template) and of those around line
    `near` (where the new entry goes); a long section is not read whole."""
    own = _normal(paper.title)
    entries = list(section.entries)
    chosen = entries[:NEIGHBOURS_READ] + entries[-NEIGHBOURS_READ:]
    if near is not None:
        at = next((k for k, e in enumerate(entries) if e.first_line >= near), len(entries))
        chosen += entries[max(0, at - NEIGHBOURS_READ) : at + NEIGHBOURS_READ]
    lines = text.split("\n")
    found = {e.title for e in chosen}
    found.update(m["link_text"] or "" for e in chosen for line in lines[e.first_line : e.end_line]
                 for m in PIECE_PATTERN.finditer(line) if m["link"])
    titles = set()
    for title in found:
        normal = _normal(plain_text(title))
        if len(normal.split()) >= TITLE_MIN_WORDS and normal not in own:
            titles.add(normal)
    return titles


def foreign_mention(line: str, paper: Paper, titles: set[str] = frozenset()) -> str:
    """What in an inserted line names a paper other than `paper` ("" when nothing does): another
    arXiv id, a URL that is neither the paper's arXiv link nor a badge image, or another title."""
    for arxiv_id in [*arxiv_ids_in(line), *find_arxiv_ids(line)]:
        if normalise_id(arxiv_id) != paper.arxiv_id:
            return f"arXiv {arxiv_id}"
    images = {m[1] or m[2] for m in _IMAGE.finditer(line)}
    for match in _URL.finditer(line):
        url = match[0]
        if own_url(url, paper):
            continue
        if any(url in image or image in url for image in images) and not arxiv_ids_in(url):
            continue  # a badge: decoration, not a link to a paper
        return url
    if titles:
        words = f" {_normal(plain_text(line))} "
        for title in titles:
            if f" {title} " in words:
                return f"«{title}»"
    return ""


def _ids(paper: Paper) -> set[str]:
    """The arXiv ids the paper's entry carries: its own, or none for a paper with no arXiv version."""
    return {paper.arxiv_id} if paper.arxiv_id else set()


def links_to(line: str, paper: Paper) -> bool:
    """Whether `line` links `paper` itself (on arXiv, or by its DOI or venue page)."""
    if paper.arxiv_id and any(normalise_id(i) == paper.arxiv_id for i in arxiv_ids_in(line)):
        return True
    return any(own_url(match[0], paper) for match in _URL.finditer(line))


def own_url(url: str, paper: Paper) -> bool:
    """A link to `paper` itself: its arXiv page, its DOI, its ACL Anthology or OpenReview page, or
    a link its metadata carries (code, project page)."""
    lowered = url.lower().rstrip("/)")
    if paper.arxiv_id and paper.arxiv_id in url and "arxiv" in lowered:
        return True
    own = [paper.doi, paper.acl_id, paper.openreview_id, paper.link, code_link(paper), *paper.links.values()]
    return any(value and value.lower().rstrip("/") in lowered for value in own)


def _open_emphasis(line: str) -> bool:
    """An odd number of `*` (not escaped, not the list marker, not in a URL): emphasis left open."""
    body = _MARKER.sub("", line, count=1)
    body = _URL.sub("", body.replace("\\\\", "").replace("\\*", ""))
    return body.count("*") % 2 == 1


def _normal(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _section(doc: ListDocument, path: Sequence[str]) -> Section | None:
    return next((s for s in doc.sections if s.path == tuple(path)), None)


def _check_structure(before: ListDocument, after: ListDocument, paper: Paper,
                     path: tuple[str, ...]) -> Verdict:
    """The parser sees the same headings and entries as before, plus one entry that is the paper's."""
    if [s.path for s in before.sections] != [s.path for s in after.sections]:
        return Verdict(False, SECTIONS_CHANGED)
    if [e.text for e in before.latest_entries] != [e.text for e in after.latest_entries]:
        return Verdict(False, ENTRIES_CHANGED)
    target = None
    for old, new in zip(before.sections, after.sections, strict=True):
        old_texts, new_texts = [e.text for e in old.entries], [e.text for e in new.entries]
        if old_texts == new_texts:
            continue
        if old.path != path or target is not None:
            return Verdict(False, ENTRIES_CHANGED)
        target = (old, new)
    if target is None:
        return Verdict(False, NOT_ONE_ENTRY.format(section=path[-1] if path else ""))
    old, new = target
    found = _new_entry(list(old.entries), list(new.entries), paper)
    if found is None:
        return Verdict(False, NOT_ONE_ENTRY.format(section=path[-1]))
    return check_shape(found, _siblings(old, before))


def _new_entry(old: list[Entry], new: list[Entry], paper: Paper) -> Entry | None:
    """The paper's entry in `new` when `new` is `old` plus it: a new entry, or lines added to an
    entry that already held several papers (a group under a label, when the parser reads it as one)."""
    if len(new) == len(old) + 1:
        k = next((i for i, (o, n) in enumerate(zip(old, new, strict=False)) if o.text != n.text), len(old))
        entry = new[k]
        if any(o.text != n.text for o, n in zip(old[k:], new[k + 1:], strict=True)):
            return None
        return entry if set(entry.arxiv_ids) == _ids(paper) and entry.is_paper else None
    if len(new) != len(old):
        return None
    grown = [(o, n) for o, n in zip(old, new, strict=True) if o.text != n.text]
    if len(grown) != 1:
        return None
    was, now = grown[0]
    _, changed = diff_lines(was.text.split("\n"), now.text.split("\n"))
    if changed or sum(p.is_paper for p in group_parts(was)) < 2 \
            or set(now.arxiv_ids) - set(was.arxiv_ids) != _ids(paper):
        return None
    parts = [e for e in group_parts(now) if set(e.arxiv_ids) == _ids(paper)
             and (paper.arxiv_id or links_to(e.text, paper))]
    return parts[0] if len(parts) == 1 else None


def _siblings(section: Section, doc: ListDocument) -> list[Entry]:
    own = anchor_entries(section.entries)
    if own:
        return own
    return [e for s in doc.paper_sections() for e in anchor_entries(s.entries)]


def check_shape(entry: Entry, siblings: Sequence[Entry]) -> Verdict:
    """The entry has the kind and the line layout (lines, indentation, markers, table columns) of one
    of its siblings."""
    if not siblings:
        return ACCEPTED
    kinds = Counter(e.kind for e in siblings)
    if entry.kind not in kinds:
        usual = kinds.most_common(1)[0][0]
        return Verdict(False, UNLIKE_SIBLINGS.format(
            detail=f"a {_KIND_WORDS.get(entry.kind, entry.kind)} among {_KIND_WORDS.get(usual, usual)}s"))
    nearest = sorted(siblings, key=lambda e: abs(e.first_line - entry.first_line))[:SIBLINGS_COMPARED]
    layouts = {layout(e.text) for e in nearest if e.kind == entry.kind}
    own = layout(entry.text)
    if own not in layouts and not any(_fewer_lines(own, other) for other in layouts):
        lines = len(entry.text.split("\n"))
        counts = sorted({len(e.text.split("\n")) for e in nearest})
        return Verdict(False, UNLIKE_SIBLINGS.format(
            detail=f"{lines} line(s) laid out unlike any of the {len(nearest)} nearest, which have "
                   f"{', '.join(map(str, counts[:5]))} line(s)"))
    return ACCEPTED


def _fewer_lines(own: tuple[str, ...], sibling: tuple[str, ...]) -> bool:
    """The sibling's layout with some of its later lines left out (what only the maintainer can
    write, such as an affiliation or keywords, is not written as an empty line)."""
    if not own or own[0] != sibling[0] or len(own) >= len(sibling):
        return False
    rest = iter(sibling[1:])
    return all(line in rest for line in own[1:])


_KIND_WORDS = {"list_item": "list item", "table_row": "table row", "details": "<details> fold",
               "paragraph": "paragraph"}


def layout(text: str) -> tuple[str, ...]:
    """Each line as its indentation and what opens it: a list marker, a table's column count, an
    HTML tag, a quote, or text. Numbers are one marker and text is not compared."""
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            out.append("")
            continue
        indent = len(line) - len(line.lstrip())
        marker = _MARKER.match(line)
        if marker:
            opener = "1." if marker[2][0].isdigit() else marker[2]
            indent = len(marker[1])
        elif stripped.startswith("|"):
            opener = f"|{len(_PIPE.findall(stripped))}"
        elif stripped.startswith("<"):
            opener = "<" + re.split(r"[\s>/]", stripped[1:], maxsplit=1)[0].lower()
        elif stripped.startswith(">"):
            opener = ">"
        else:
            opener = "t"
        out.append(f"{indent}{opener}")
    return tuple(out)
