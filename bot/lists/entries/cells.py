"""Table cells: what each column holds (by its header), the cells the bot fills itself (a name) or
leaves to the maintainer, written in the emphasis their column's rows use (`| **AS-1B** | ...`), and
each column's width, alignment and "none", learned from the section's rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.lists.entries.pieces import CODE_HOST, GENERIC_LINK_TEXT, PAGE_WORDS
from bot.lists.scan import split_cells

if TYPE_CHECKING:
    from bot.lists.model import Entry


class InducedRow(Protocol):
    """A row turned into a template (`bot.lists.entries.template.Induced`): each cell's template, raw
    width and raw text."""

    cells: list[tuple[str, int, str]]


_COLUMN_ROLES = (
    ("date", re.compile(r"date|time|year|month|published", re.IGNORECASE)),
    ("authors", re.compile(r"author", re.IGNORECASE)),
    ("venue", re.compile(r"venue|publication|conference|journal|\bpub\b", re.IGNORECASE)),
    ("abstract", re.compile(r"abstract|summary|tl;?dr", re.IGNORECASE)),
    ("title", re.compile(r"title|paper|name|article", re.IGNORECASE)),
)
# Columns a maintainer fills with a short phrase that metadata may give: the paper's own code, or its
# short name (`**Name:** Title`). Read only where a cell names no paper field of its own.
_CODE_COLUMN = re.compile(r"code|github|repo", re.IGNORECASE)
# A column of the paper's own page (a demo, a project site): filled from a page arXiv's comment or
# abstract names (`bot.lists.render.page_link`).
_PAGE_COLUMN = re.compile(rf"\b{PAGE_WORDS}\b", re.IGNORECASE)
# A link in a cell (`[GitHub](https://...)`, `[Coming soon]()`): its label and its target.
_CELL_LINK = re.compile(r"\[([^\[\]⟧]+)\]\(([^)\s]*)\)")
_NAME_COLUMN = re.compile(r"\b(?:name|model|method|benchmark|dataset|framework|system)s?\b", re.IGNORECASE)
# Cells that say "none" (no code, no demo): where a column's rows often write one, a field metadata
# cannot fill is written so too, not as a placeholder.
EMPTY_CELLS = ("-", "—", "–", "N/A", "n/a", "/", "")
# A GitHub stars badge (`![Star](https://img.shields.io/github/stars/OWNER/REPO.svg?style=social)`):
# group 1 is the repository, which the bot fills from the paper's code link.
STARS_BADGE = re.compile(r"img\.shields\.io/github/stars/([\w.-]+/[\w-]+(?:\.(?!svg\b)[\w-]+)*)")
# The badge as a template (`⟦repo⟧` in its URL, maybe itself linked), with a `<br>` that follows it.
_REPO_BADGE = re.compile(r"\[?!\[[^\]]*\]\([^)\s]*⟦repo⟧[^)\s]*\)(?:\]\([^)\s]*\))?\s*(?:<br\s*/?>\s*)?")
_TRAILING_BREAK = re.compile(r"\s*<br\s*/?>\s*$", re.IGNORECASE)
# A cell written whole in one emphasis (`**AS-1B**`, `*Name*`, `` `Name` ``): the wrapper, then the text.
_WRAPPED_CELL = re.compile(r"^(\*\*|__|\*|_|`)(?![\s*_`])(.+?)(?<![\s*_`])\1$")
_FILLED_SLOT = re.compile(r"^⟦(?:name|unknown):cell⟧$")


def cell_emphasis(values: Sequence[str]) -> str:
    """The emphasis a column writes its whole cells in (`**`), when more than half of the given cells
    (the rows that write something there) are wrapped in it; "" otherwise. Links are not emphasis."""
    wrappers = Counter(m[1] if (m := _WRAPPED_CELL.match(v)) and "](" not in v else "" for v in values)
    wrapper, count = wrappers.most_common(1)[0] if wrappers else ("", 0)
    return wrapper if count * 2 > len(values) else ""


def emphasised_slot(template: str, values: Sequence[str]) -> str:
    """A name or maintainer's cell slot wrapped in its column's emphasis; any other template as it is."""
    if not _FILLED_SLOT.match(template):
        return template
    wrapper = cell_emphasis(values)
    return f"{wrapper}{template}{wrapper}"


def github_repo(code_url: str) -> str:
    """`OWNER/REPO` of a GitHub code link (what a stars badge shows), "" for any other host."""
    match = re.match(r"https?://(?:www\.)?github\.com/([\w.-]+/[\w.-]+)", code_url, re.IGNORECASE)
    return match[1].removesuffix(".git") if match else ""


def without_stars_badge(template: str) -> str:
    """The template with its stars badge dropped (no GitHub repository known), and the `<br>` that
    set the badge apart from the title, so the entry reads like its siblings that show none."""
    if "⟦repo⟧" not in template:
        return template
    dropped = _REPO_BADGE.sub("", template)
    return _TRAILING_BREAK.sub("", dropped) if dropped != template else dropped


@dataclass(frozen=True)
class CellFormat:
    template: str  # one table cell, with slots
    width: int  # width of the column in the separator row (0 when the table has none)
    align: str  # "left" | "center" | "right"
    padded: bool  # the section's rows pad this cell to the column width
    empty: str = ""  # what the rows write in this column when they have nothing (`-`), if they do


def column_role(name: str) -> str:
    for role, pattern in _COLUMN_ROLES:
        if pattern.search(name):
            return role
    return "other"


def column_field(name: str) -> str:
    """The slot a column whose cells the bot cannot copy is filled from: `code`, `page`, `name` or
    `unknown`."""
    plain = re.sub(r"[*_`]", "", name)
    for field, pattern in (("code", _CODE_COLUMN), ("page", _PAGE_COLUMN), ("name", _NAME_COLUMN)):
        if pattern.search(plain):
            return field
    return "unknown"


def fillable_cell(cell: str, slot: str) -> str:
    """A cell only the maintainer fills, as a slot: a code or page link keeps the label its siblings give
    it (`[GitHub](...)`, `[Demo](...)`), with `⟦code:⟧` alone when they write the bare URL or something
    else."""
    if slot not in ("code", "page"):
        return f"⟦{slot}:cell⟧"
    link = _CELL_LINK.fullmatch(cell)
    return f"⟦{slot}:{link[1]}⟧" if link and link[2] and GENERIC_LINK_TEXT.match(link[1]) else f"⟦{slot}:⟧"


def row_edges(row: str) -> tuple[bool, bool]:
    """Whether a table row opens and closes with a pipe."""
    stripped = row.strip()
    return stripped.startswith("|"), stripped.endswith("|")


def table_cells(best: InducedRow, window: Sequence[Entry], templates: Sequence[InducedRow]
                ) -> tuple[CellFormat, ...]:
    """Each column of the chosen row: its template, width and alignment, whether the rows pad it, and
    what they write in it for "none"."""
    separator = split_cells(window[0].separator) if window[0].separator else []
    columns = len(best.cells)
    rows = [t for t in templates if len(t.cells) == columns]
    cells = []
    for index, (template, _, _) in enumerate(best.cells):
        sep = separator[index].strip() if index < len(separator) else ""
        width = len(separator[index]) if index < len(separator) else 0
        align = ("center" if sep.startswith(":") and sep.endswith(":") else
                 "right" if sep.endswith(":") else "left")
        padded_rows = sum(1 for t in rows if width and t.cells[index][1] == width and
                          t.cells[index][2].strip() and t.cells[index][2] != f" {t.cells[index][2].strip()} ")
        values = [t.cells[index][2].strip() for t in rows]
        template = _code_if_rows_link_code(template, best.cells[index][2].strip(), values)
        template = _label_of_rows(template, values)
        if template.startswith("⟦code:"):  # no code found: written like the rows that link none
            values = [v for v in values if "](" not in v or v.endswith("]()")]
        empty = Counter(v for v in values if v in EMPTY_CELLS).most_common(1)
        template = emphasised_slot(template, [v for v in values if v not in EMPTY_CELLS])
        cells.append(CellFormat(template, width, align, padded_rows * 5 >= len(rows) * 3 > 0,
                                empty[0][0] if empty and empty[0][1] * 3 >= len(values) else ""))
    return tuple(cells)


def _code_if_rows_link_code(template: str, cell: str, values: Sequence[str]) -> str:
    """A maintainer's cell (`⟦unknown:cell⟧`, `⟦page:...⟧`) whose column's rows mostly link a code host:
    the paper's code, labelled as the chosen row labels it."""
    if template != "⟦unknown:cell⟧" and not template.startswith("⟦page:"):
        return template
    linked = [v for v in values if v not in EMPTY_CELLS]
    code = sum(1 for v in linked if any(CODE_HOST.match(target) for _, target in _CELL_LINK.findall(v)))
    return fillable_cell(cell, "code") if linked and code * 2 > len(linked) else template


def _label_of_rows(template: str, values: Sequence[str]) -> str:
    """A code or page slot without a label (the chosen row wrote `-` or `[Coming soon](...)`): the
    generic label the column's rows give most (`[Demo](...)`, `[Link](...)`), if any gives one."""
    slot = re.fullmatch(r"⟦(code|page):⟧", template)
    labels = Counter(m[1] for v in values if (m := _CELL_LINK.fullmatch(v)) and GENERIC_LINK_TEXT.match(m[1]))
    return f"⟦{slot[1]}:{labels.most_common(1)[0][0]}⟧" if slot and labels else template
