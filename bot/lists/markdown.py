"""markdown-it-py as the block layer under the list reader: CommonMark with GitHub's tables, its
blocks as a tree of line ranges (inline content is never parsed: the reader reads raw lines), and
HTML blocks cut at the lines where a list keeps structure (`<hN>` headings, `<details>` folds).

The table rule is markdown-it's own, trimmed to what the reader reads: the table and the line of
each row. markdown-it's `table` rule recognises exactly the same tables but splits every row
character by character in Python and makes three tokens per cell; on a list kept as tables of a few
thousand rows that was over 90% of the parse (benchmarks/README.md, "Parse coverage"). Its
recognition steps follow markdown_it/rules_block/table.py (markdown-it-py 4.x) one by one; having no
cells, it needs no cap on the empty cells a short row fills in.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

# markdown-it-py logs every block rule it tries at DEBUG: a million records for a 50,000-line list,
# which would bury the bot's own debug log and cost more than the parse. Its warnings still show.
logging.getLogger("markdown_it").setLevel(logging.INFO)

# An HTML heading on one line: `<h3 align="center">Jailbreak</h3>`, or closed the way maintainers
# get wrong and browsers forgive (`<h3>Jailbreak<h3/>`, `</h2>` for `<h3>`, no closing at all).
HTML_HEADING = re.compile(
    r"^\s*<h([1-6])\b[^>]*>(.*?)(</h[1-6]\s*>|<h[1-6]\s*/?>)?\s*$", re.IGNORECASE)
DETAILS_OPEN = re.compile(r"<details\b", re.IGNORECASE)
DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_SEPARATOR_LINE = re.compile(r"^[-:|][-:| \t]*$")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _cells(text: str) -> int:
    """How many cells a row has (outer pipes do not open a cell)."""
    parts = _UNESCAPED_PIPE.split(text.strip())
    if parts and parts[0] == "":
        parts.pop(0)
    if parts and parts[-1] == "":
        parts.pop()
    return len(parts)


def _aligns(separator: str) -> int:
    """Columns the separator row declares, or -1 when it is not one."""
    columns = separator.split("|")
    count = 0
    for i, column in enumerate(columns):
        cell = column.strip()
        if not cell:
            if i in (0, len(columns) - 1):
                continue  # ` |---| ` may have empty ends, `---||---` may not have an empty middle
            return -1
        if not _SEPARATOR_CELL.match(cell):
            return -1
        count += 1
    return count


def fast_table_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if start + 2 > end:
        return False
    second = start + 1
    if state.sCount[second] < state.blkIndent or state.is_code_block(second):
        return False
    separator = _line(state, second)
    if len(separator) < 2 or not _SEPARATOR_LINE.match(separator):
        return False
    if separator[0] == "-" and separator[1] in " \t":  # a list item, not a separator
        return False
    aligns = _aligns(separator)
    header = _line(state, start).strip()
    if aligns < 0 or "|" not in header or state.is_code_block(start):
        return False
    if _cells(header) != aligns or aligns == 0:
        return False
    if silent:
        return True

    old_parent = state.parentType
    state.parentType = "table"
    terminators = state.md.block.ruler.getRules("blockquote")
    table = state.push("table_open", "table", 1)
    table.map = [start, 0]
    state.push("thead_open", "thead", 1).map = [start, start + 1]
    state.push("tr_open", "tr", 1).map = [start, start + 1]
    state.push("tr_close", "tr", -1)
    state.push("thead_close", "thead", -1)
    line = start + 2
    body = None
    while line < end:
        if state.sCount[line] < state.blkIndent:
            break
        if any(rule(state, line, end, True) for rule in terminators):
            break
        if not _line(state, line).strip() or state.is_code_block(line):
            break
        if body is None:
            body = state.push("tbody_open", "tbody", 1)
            body.map = [start + 2, 0]
        state.push("tr_open", "tr", 1).map = [line, line + 1]
        state.push("tr_close", "tr", -1)
        line += 1
    if body is not None:
        state.push("tbody_close", "tbody", -1)
        body.map[1] = line
    state.push("table_close", "table", -1)
    table.map[1] = line
    state.parentType = old_parent
    state.line = line
    return True


def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # Like the rule it replaces, a table may interrupt a paragraph or a link reference.
    md.block.ruler.at("table", fast_table_rule, {"alt": ["paragraph", "reference"]})
    return md


PARSER = markdown_parser()


@dataclass
class Node:
    """A block of markdown-it's token stream: its type (`_open` dropped), lines, token, children."""

    kind: str
    first: int
    end: int
    token: Token
    children: list[Node] = field(default_factory=list)


def html_heading(line: str) -> tuple[int, str] | None:
    """The level and inner HTML of a one-line HTML heading; None for anything else, such as a
    heading's opening tag alone (`<h5 align="center">` over lines of badges)."""
    match = HTML_HEADING.match(line)
    if not match or (match[3] is None and not match[2].strip()):
        return None
    return int(match[1]), match[2]


def block_tree(source: str) -> list[Node]:
    """markdown-it's blocks as a tree (inline content is not parsed: nothing here reads it)."""
    roots: list[Node] = []
    stack = [roots]
    for token in PARSER.block.parse(source, PARSER, {}, []) or ():
        if token.nesting == -1:
            stack.pop()
            continue
        lines = token.map or (0, 0)
        node = Node(token.type.removesuffix("_open"), lines[0], lines[1], token)
        stack[-1].append(node)
        if token.nesting == 1:
            stack.append(node.children)
    return roots


def split_html(nodes: list[Node], lines: list[str]) -> list[Node]:
    """HTML blocks cut where the list's structure is: each `<hN>` heading line, each line opening or
    closing a `<details>` fold, and the text between them; a comment stays whole."""
    if not any(n.kind == "html_block" for n in nodes):
        return nodes
    out: list[Node] = []
    for node in nodes:
        if node.kind != "html_block":
            out.append(node)
        elif lines[node.first].lstrip().startswith("<!--"):
            out.append(Node("html_comment", node.first, node.end, node.token))
        else:
            out.extend(_html_pieces(node, lines))
    return out


def _html_pieces(node: Node, lines: list[str]) -> list[Node]:
    pieces: list[Node] = []
    text_from = -1
    for j in range(node.first, node.end):
        line = lines[j]
        if html_heading(line):
            kind = "html_heading"
        elif DETAILS_OPEN.match(line.lstrip()):
            kind = "html_details"
        elif DETAILS_CLOSE.search(line) and line.lstrip().startswith("</"):
            kind = "html_details_end"
        else:
            if text_from < 0:
                text_from = j
            continue
        if text_from >= 0:
            pieces.append(Node("html_text", text_from, j, node.token))
            text_from = -1
        pieces.append(Node(kind, j, j + 1, node.token))
    if text_from >= 0:
        pieces.append(Node("html_text", text_from, node.end, node.token))
    return pieces
