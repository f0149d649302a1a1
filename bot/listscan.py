"""Block structure of a Markdown paper list: headings, and the blocks that can be entries (list
items, table rows, `<details>` folds, paragraphs). Code fences and HTML comments hold neither.
Works on the document's lines without their line endings; pure and linear in the number of lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from bot.entrypieces import PAPER_HOST, PIECE_PATTERN, arxiv_ids_in, looks_like_title, plain_text

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1\s*>\s*$", re.IGNORECASE)
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})")
THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]+|$)")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
DETAILS_OPEN = re.compile(r"<details\b", re.IGNORECASE)
DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
SUMMARY_END = re.compile(r"</summary\s*>", re.IGNORECASE)
LATEST_START = re.compile(r"<!--\s*LATEST_PAPERS_START\s*-->")
LATEST_END = re.compile(r"<!--\s*LATEST_PAPERS_END\s*-->")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str  # plain text


class Block(NamedTuple):
    first: int
    end: int  # exclusive, never counting trailing blank lines
    kind: str  # "list_item" | "table_row" | "details" | "paragraph"
    columns: tuple[str, ...] = ()  # table header cells (plain text); () for other kinds
    separator: int = -1  # line of the table's separator row, -1 when there is none
    latest: bool = False  # inside the LATEST_PAPERS block


@dataclass
class Scan:
    headings: list[Heading]
    blocks: list[Block]
    latest: tuple[int, int] | None  # first line (the START marker) and end (after END marker)


def indent_width(line: str) -> int:
    spaces = len(line) - len(line.lstrip(" "))
    if line[spaces : spaces + 1] != "\t":
        return spaces
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def split_cells(row: str) -> list[str]:
    """Cells of a table row, outer pipes removed; `\\|` stays inside its cell."""
    body = row.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return _UNESCAPED_PIPE.split(body)


def is_paper_text(text: str, arxiv_ids: list[str] | tuple[str, ...] | None = None, kind: str = "") -> bool:
    """Whether a block reads as a paper: an arXiv id, a link to a paper host, or (not in a table,
    whose rows of names and dates read like anything) a title with no link at all."""
    if arxiv_ids if arxiv_ids is not None else arxiv_ids_in(text):
        return True
    urls = [m["link_url"] or m["hl_url"] or m["url"] or "" for m in PIECE_PATTERN.finditer(text)]
    urls = [u for u in urls if u]
    if urls:
        return any(PAPER_HOST.search(u) for u in urls if not u.startswith("#"))
    if kind == "table_row":
        return False
    first = text.split("\n", 1)[0]
    return looks_like_title(plain_text(LIST_ITEM.sub("", first, count=1)))


def heading_at(lines: list[str], i: int) -> tuple[int, str] | None:
    line = lines[i]
    head = line.lstrip()[:1]
    if head == "#":
        match = ATX_HEADING.match(line)
        if match:
            return len(match[1]), plain_text(match[2] or "")
    elif head == "<":
        match = HTML_HEADING.match(line)
        if match:
            return int(match[1]), plain_text(match[2])
    return None


def scan_lines(lines: list[str]) -> Scan:
    scan = Scan([], [], None)
    _Scanner(lines, scan).run(0, len(lines))
    return scan


class _Scanner:
    def __init__(self, lines: list[str], scan: Scan) -> None:
        self.lines = lines
        self.scan = scan
        self.latest_from = -1

    def run(self, lo: int, hi: int) -> None:
        lines, i = self.lines, lo
        while i < hi:
            stripped = lines[i].strip()
            head = stripped[:1]
            if not head:
                i += 1
            elif head in "-*+" or head.isdigit():
                i = self._bullet_or_other(i, hi)
            elif head == "<":
                i = self._html(i, hi)
            elif head == "|":
                i = self._pipe_line(i, hi)
            else:
                i = self._other(i, hi)

    def _bullet_or_other(self, i: int, hi: int) -> int:
        line = self.lines[i]
        match = LIST_ITEM.match(line)
        if match and not (line.lstrip()[:1] in "-*" and THEMATIC_BREAK.match(line)):
            return self._item(i, hi, match)
        return self._other(i, hi)

    def _html(self, i: int, hi: int) -> int:
        stripped = self.lines[i].strip()
        if stripped.startswith("<!--"):
            return self._comment(i, hi)
        if heading := heading_at(self.lines, i):
            self.scan.headings.append(Heading(i, heading[0], heading[1]))
            return i + 1
        if DETAILS_OPEN.match(stripped):
            return self._details(i, hi)
        return self._paragraph(i, hi)

    def _pipe_line(self, i: int, hi: int) -> int:
        lines = self.lines
        if i + 1 < hi and "-" in lines[i + 1] and TABLE_SEPARATOR.match(lines[i + 1]):
            return self._table(i, hi)
        stripped = lines[i].strip()
        if stripped.endswith("|") and stripped.count("|") >= 3:
            self._add(i, i + 1, "table_row")  # a row whose table header is missing
            return i + 1
        return self._paragraph(i, hi)

    def _other(self, i: int, hi: int) -> int:
        lines = self.lines
        line = lines[i]
        if FENCE_OPEN.match(line):
            return self._fence_end(i, hi)
        if heading := heading_at(lines, i):
            self.scan.headings.append(Heading(i, heading[0], heading[1]))
            return i + 1
        if self._is_setext(i, hi):
            return self._setext(i)
        if "|" in line and i + 1 < hi and "-" in lines[i + 1] and TABLE_SEPARATOR.match(lines[i + 1]):
            return self._table(i, hi)
        return self._paragraph(i, hi)

    def _setext(self, i: int) -> int:
        level = 1 if self.lines[i + 1].strip()[0] == "=" else 2
        self.scan.headings.append(Heading(i, level, plain_text(self.lines[i].strip())))
        return i + 2

    def _add(self, first: int, end: int, kind: str, columns: tuple[str, ...] = (), sep: int = -1) -> None:
        latest = self.latest_from >= 0
        self.scan.blocks.append(Block(first, end, kind, columns, sep, latest))

    def _comment(self, i: int, hi: int) -> int:
        line = self.lines[i]
        if LATEST_START.search(line):
            self.latest_from = i
        if LATEST_END.search(line) and self.latest_from >= 0:
            self.scan.latest = (self.latest_from, i + 1)
            self.latest_from = -1
        j = i
        rest = line.strip()[4:]
        while "-->" not in rest and j + 1 < hi:
            j += 1
            rest = self.lines[j]
        return j + 1

    def _fence_end(self, i: int, hi: int) -> int:
        opener = FENCE_OPEN.match(self.lines[i])[1]  # type: ignore[index]
        closing = re.compile(rf"^\s*{re.escape(opener[0])}{{{len(opener)},}}\s*$")
        for j in range(i + 1, hi):
            if closing.match(self.lines[j]):
                return j + 1
        return hi

    def _is_setext(self, i: int, hi: int) -> bool:
        if i + 1 >= hi or self.lines[i + 1].lstrip()[:1] not in ("=", "-"):
            return False
        if not SETEXT_UNDERLINE.match(self.lines[i + 1]):
            return False
        line = self.lines[i]
        if indent_width(line) > 3 or line.lstrip()[:1] in "|<>#" or LIST_ITEM.match(line):
            return False
        return i == 0 or not self.lines[i - 1].strip()

    def _table(self, i: int, hi: int) -> int:
        columns = tuple(plain_text(c) for c in split_cells(self.lines[i]))
        j = i + 2
        while j < hi:
            line = self.lines[j]
            if not line.strip() or "|" not in line or heading_at(self.lines, j):
                break
            self._add(j, j + 1, "table_row", columns, i + 1)
            j += 1
        return j

    def _details(self, i: int, hi: int) -> int:
        depth, j = 0, i
        while j < hi:
            line = self.lines[j]
            depth += len(DETAILS_OPEN.findall(line)) - len(DETAILS_CLOSE.findall(line))
            if depth <= 0:
                break
            j += 1
        if j >= hi:
            return self._paragraph(i, hi)
        end = j + 1
        summary_end = next((k for k in range(i, end) if SUMMARY_END.search(self.lines[k])), i)
        summary = "\n".join(self.lines[i : summary_end + 1])
        inner_from = len(self.scan.blocks)
        if not arxiv_ids_in(summary) and not PAPER_HOST.search(summary):
            self.run(summary_end + 1, j)  # a fold of entries under a label such as "2023"
            if len(self.scan.blocks) > inner_from:
                return end
            if not looks_like_title(plain_text(summary)):
                return end
        del self.scan.blocks[inner_from:]
        self._add(i, end, "details")
        return end

    def _item(self, i: int, hi: int, match: re.Match[str]) -> int:
        lines = self.lines
        marker_indent = indent_width(match["indent"])
        content_indent = marker_indent + len(match["marker"]) + max(1, len(match["space"]))
        last, j = i, i + 1
        while j < hi:
            line = lines[j]
            if not line.strip():
                j += 1
                continue
            width = indent_width(line)
            if width < content_indent and heading_at(lines, j):
                break
            if width > marker_indent:
                if FENCE_OPEN.match(line):
                    j = self._fence_end(j, hi)
                    last = j - 1
                    continue
                last, j = j, j + 1
                continue
            if j == last + 1 and not self._starts_block(j):
                last, j = j, j + 1  # lazy continuation of the item's paragraph
                continue
            break
        end = last + 1
        if end - i > 2 and not self._first_line_names_paper(i):
            inner_from = len(self.scan.blocks)
            self.run(i + 1, end)
            children = self.scan.blocks[inner_from:]
            paper_children = [b for b in children if b.kind != "paragraph" and self._links_paper(b)]
            if len(paper_children) >= 2:
                return end
            del self.scan.blocks[inner_from:]
        self._add(i, end, "list_item")
        return end

    def _first_line_names_paper(self, i: int) -> bool:
        first = self.lines[i]
        return "](" in first or "href" in first or is_paper_text(first)

    def _links_paper(self, block: Block) -> bool:
        text = "\n".join(self.lines[block.first : block.end])
        return bool(arxiv_ids_in(text) or PAPER_HOST.search(text))

    def _starts_block(self, j: int) -> bool:
        line = self.lines[j]
        head = line.lstrip()[:1]
        if head in "|<>#`~" or ((head in "-*+" or head.isdigit()) and LIST_ITEM.match(line)):
            return True
        if head in "-*_" and THEMATIC_BREAK.match(line):
            return True
        following = self.lines[j + 1].lstrip()[:1] if j + 1 < len(self.lines) else ""
        return following in ("=", "-") and bool(SETEXT_UNDERLINE.match(self.lines[j + 1]))

    def _paragraph(self, i: int, hi: int) -> int:
        j = i + 1
        while j < hi and self.lines[j].strip() and not self._starts_block(j):
            j += 1
        self._add(i, j, "paragraph")
        return j
