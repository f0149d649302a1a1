"""Block structure of a Markdown paper list, read with markdown-it-py (CommonMark and GitHub's table
extension): headings, and the blocks that can be entries (list items, table rows, `<details>` folds,
paragraphs), and the labels a list groups papers under instead of headings (`bot.lists.labels`:
fold summaries, label bullets, bold lines, one-line quotes), each with the lines it groups. Code
(fenced or indented) and HTML comments hold neither. markdown-it gives every block
its line range; this module only decides which blocks are entries, so the list is edited by line
ranges and never re-rendered. Works on the document's lines without their line endings; pure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from bot.lists.entries.pieces import PAPER_HOST, PIECE_PATTERN, arxiv_ids_in, looks_like_title, plain_text
from bot.lists.labels import bullet_label, emphasised_label, fold_label, names_own_paper, quote_label
from bot.lists.markdown import DETAILS_CLOSE, DETAILS_OPEN, Node, block_tree, html_heading, split_html

LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]+|$)")
SUMMARY_END = re.compile(r"</summary\s*>", re.IGNORECASE)
LATEST_START = re.compile(r"<!--\s*LATEST_PAPERS_START\s*-->")
LATEST_END = re.compile(r"<!--\s*LATEST_PAPERS_END\s*-->")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_NAMING = re.compile(r"[^\W_]")  # a letter or digit: what a group's name needs
LISTS = ("bullet_list", "ordered_list")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int  # 0 for a label: its place in the outline is the label holding it, or the heading
    text: str  # plain text
    end: int = -1  # a label's scope: the lines [line, end) it groups; -1 for a heading


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
    """Columns of leading whitespace, tabs to the next multiple of four."""
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


def scan_lines(lines: list[str]) -> Scan:
    scan = Scan([], [], None)
    reader = _Reader(lines, scan)
    reader.walk(block_tree("\n".join(lines)), len(lines))
    if any(h.end >= 0 for h in scan.headings):
        scan.headings = reader.labels_holding_papers()
    return scan


class _Reader:
    def __init__(self, lines: list[str], scan: Scan) -> None:
        self.lines = lines
        self.scan = scan
        self.latest_from = -1

    def walk(self, nodes: list[Node], limit: int) -> None:
        """Reads the blocks of one container (the document, a quote, a fold, a list item) that
        ends at line `limit`."""
        nodes = split_html(nodes, self.lines)
        k = 0
        while k < len(nodes):
            node = nodes[k]
            kind = node.kind
            label = self._line_label(node)
            if label:
                self.scan.headings.append(Heading(node.first, 0, label, self._label_end(nodes, k, limit)))
            elif kind == "heading":
                self._heading(node)
            elif kind in LISTS:
                for item in node.children:
                    self._item(item)
            elif kind == "table":
                self._table(node)
            elif kind == "blockquote":
                self.walk(node.children, node.end)
            elif kind == "paragraph":
                if not (k and nodes[k - 1].kind in LISTS and self._continues_item(node)):
                    self._add(node.first, self._trimmed_end(node), "paragraph")
            elif kind == "html_comment":
                self._comment(node)
            elif kind == "html_heading":
                level, inner = html_heading(self.lines[node.first])  # type: ignore[misc]
                self.scan.headings.append(Heading(node.first, level, plain_text(inner)))
            elif kind == "html_details":
                k = self._details(nodes, k)
                continue
            elif kind in ("html_text", "html_details_end"):
                self._add(node.first, self._trimmed_end(node), "paragraph")
            # fence, code_block, hr: they hold no entry and no heading
            k += 1

    def _line_label(self, node: Node) -> str:
        """The label a one-line block stands for: an emphasised line (`**Attacks**`, `<b>1.1 X</b>`)
        or a one-line quote; "" for anything else."""
        if node.kind in ("paragraph", "html_text"):
            end = self._trimmed_end(node)
            return emphasised_label(self.lines[node.first]) if end == node.first + 1 else ""
        if node.kind == "blockquote":
            return quote_label(self.lines[node.first : self._trimmed_end(node)])
        return ""

    def _label_end(self, nodes: list[Node], k: int, limit: int) -> int:
        """A line label groups the blocks after it up to the next heading or line label beside it."""
        for node in nodes[k + 1 :]:
            if node.kind in ("heading", "html_heading") or self._line_label(node):
                return node.first
        return limit

    def labels_holding_papers(self) -> list[Heading]:
        """The headings, and the labels whose lines hold at least one block naming a paper (a
        label over prose or links to sites is no group of papers)."""
        blocks = sorted(self.scan.blocks, key=lambda b: b.first)
        starts = [b.first for b in blocks]
        papers: dict[int, bool] = {}  # block index: whether it names a paper, read once

        def holds_paper(first: int, end: int) -> bool:
            for at in range(bisect.bisect_right(starts, first), bisect.bisect_left(starts, end)):
                if at not in papers:
                    papers[at] = self._links_paper(blocks[at])
                if papers[at]:
                    return True  # the first paper settles it: most labels are read a block or two in
            return False

        return [h for h in self.scan.headings if h.end < 0 or holds_paper(h.line, h.end)]

    def _continues_item(self, node: Node) -> bool:
        """A paragraph indented under the list item before it, short of the item's content column
        (`31. Title` then `   *Authors*`): CommonMark ends the item there, its author meant it to go on.
        The item's entry takes the paragraph in."""
        previous = self.scan.blocks[-1] if self.scan.blocks else None
        if previous is None or previous.kind != "list_item" or previous.end > node.first:
            return False
        if not all(not line.strip() for line in self.lines[previous.end : node.first]):
            return False
        if indent_width(self.lines[node.first]) <= indent_width(self.lines[previous.first]):
            return False
        self.scan.blocks[-1] = previous._replace(end=self._trimmed_end(node))
        return True

    def _heading(self, node: Node) -> None:
        inline = node.children[0].token.content if node.children else ""
        text = plain_text(" ".join(inline.split("\n")))
        self.scan.headings.append(Heading(node.first, int(node.token.tag[1]), text))

    def _trimmed_end(self, node: Node) -> int:
        """The node's end without the blank lines markdown-it counts into list items."""
        end = node.end
        while end > node.first + 1 and not self.lines[end - 1].strip():
            end -= 1
        return end

    def _add(self, first: int, end: int, kind: str, columns: tuple[str, ...] = (), sep: int = -1) -> None:
        latest = self.latest_from >= 0
        self.scan.blocks.append(Block(first, end, kind, columns, sep, latest))

    def _comment(self, node: Node) -> None:
        line = self.lines[node.first]
        if LATEST_START.search(line):
            self.latest_from = node.first
        if LATEST_END.search(line) and self.latest_from >= 0:
            self.scan.latest = (self.latest_from, node.first + 1)
            self.latest_from = -1

    def _table(self, node: Node) -> None:
        columns = tuple(plain_text(c) for c in split_cells(self.lines[node.first]))
        separator = node.first + 1
        for part in node.children:
            if part.kind == "tbody":
                for row in part.children:
                    self._add(row.first, row.end, "table_row", columns, separator)

    def _details(self, nodes: list[Node], k: int) -> int:
        """A `<details>` fold: one entry when its summary names a paper (or it holds nothing but a
        title), else a fold of entries under a label such as "2023". Returns the next node's index."""
        first = nodes[k].first
        depth, close = 0, -1
        for m in range(k, len(nodes)):
            if nodes[m].kind not in ("html_details", "html_details_end"):
                continue
            line = self.lines[nodes[m].first]
            depth += len(DETAILS_OPEN.findall(line)) - len(DETAILS_CLOSE.findall(line))
            if depth <= 0:
                close = m
                break
        if close < 0:  # closed inside a later block (an indented `</details>` ends a list item)
            end = self._closing_line(first, nodes[-1].end) + 1
            close = next((m - 1 for m in range(k + 1, len(nodes)) if nodes[m].first >= end), len(nodes) - 1)
            if end <= first:  # never closed: the opening line reads as text
                self._add(first, self._trimmed_end(nodes[k]), "paragraph")
                return k + 1
        else:
            end = nodes[close].first + 1
        summary_end = next((j for j in range(first, end) if SUMMARY_END.search(self.lines[j])), first)
        summary = "\n".join(self.lines[first : summary_end + 1])
        blocks_from, headings_from = len(self.scan.blocks), len(self.scan.headings)
        if not arxiv_ids_in(summary) and not PAPER_HOST.search(summary):
            label = fold_label(summary)
            if label:
                self.scan.headings.append(Heading(first, 0, label, end))
            self.walk([n for n in nodes[k + 1 : close + 1] if summary_end < n.first < end - 1], end - 1)
            if len(self.scan.blocks) > blocks_from or not looks_like_title(plain_text(summary)):
                return close + 1
        del self.scan.blocks[blocks_from:]
        del self.scan.headings[headings_from:]
        self._add(first, end, "details")
        return close + 1

    def _closing_line(self, first: int, hi: int) -> int:
        """The line closing the fold opened at `first`, counting nested folds; -1 if none."""
        depth = 0
        for j in range(first, hi):
            line = self.lines[j]
            depth += len(DETAILS_OPEN.findall(line)) - len(DETAILS_CLOSE.findall(line))
            if depth <= 0:
                return j
        return -1

    def _item(self, item: Node) -> None:
        first, end = item.first, self._trimmed_end(item)
        last = item.children[-1] if item.children else None
        if last and last.kind == "html_block" and DETAILS_CLOSE.match(self.lines[last.first].lstrip()):
            # An indented `</details>` after the fold's last item closes the fold, not the item.
            end = self._trimmed_end(Node("", first, last.first, item.token))
        nested = item.children
        if nested and nested[0].kind == "paragraph" and nested[0].first == first:
            nested = nested[1:]  # the item's own first line: a label, or the paper
        # (most entries of two or more lines are one paragraph: nothing nested can be a paper)
        if nested and end - first >= 2 and not self._first_line_names_paper(first):
            label = bullet_label(self.lines[first])
            if (label or end - first > 2) and self._groups_papers(nested, first, end, label):
                return  # a label bullet: its papers are the entries
        self._add(first, end, "list_item")

    def _groups_papers(self, nested: list[Node], first: int, end: int, label: str) -> bool:
        """Whether the item is a label over the papers nested in it: two entries (not prose) that
        link papers, or, under a line that reads as a label, one that names its paper. If so the
        label and the papers stay read; if not, nothing does."""
        blocks_from, headings_from = len(self.scan.blocks), len(self.scan.headings)
        text = label or plain_text(LIST_ITEM.sub("", self.lines[first], count=1)).strip(" :")
        if _NAMING.search(text):  # `* **|**` names no group
            self.scan.headings.append(Heading(first, 0, text, end))
        self.walk(nested, end)
        papers = [b for b in self.scan.blocks[blocks_from:] if self._links_paper(b)]
        if sum(1 for b in papers if b.kind != "paragraph") >= 2:
            return True
        if label and any(names_own_paper(self.lines[b.first]) for b in papers):
            return True
        del self.scan.blocks[blocks_from:]
        del self.scan.headings[headings_from:]
        return False

    def _first_line_names_paper(self, i: int) -> bool:
        first = self.lines[i]
        return "](" in first or "href" in first or is_paper_text(first)

    def _links_paper(self, block: Block) -> bool:
        text = "\n".join(self.lines[block.first : block.end])
        return bool(arxiv_ids_in(text) or PAPER_HOST.search(text))
