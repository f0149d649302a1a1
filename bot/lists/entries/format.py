"""Learn how a section writes its entries, so that a new paper is written the same way.

The learner induces a template from each of the entries nearest to where new entries go (the top of
a newest-first section, the bottom of an appended one), picks the most common template (one with an
arXiv link when there is one), and learns the styles around it from all of them: the arXiv link form,
how authors are cut ("et al."), how the section spells arXiv as a venue, the numbering, the blank
lines between entries and, for tables, which cells are padded to the column width.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING

from bot.lists.entries.cells import CellFormat, row_edges, table_cells
from bot.lists.entries.choice import (
    indents_like,
    name_as_field,
    optional_venue,
    prefer_short_name,
    prefer_side_links,
    without_short,
)
from bot.lists.entries.dates import DateSpan, settle_widths
from bot.lists.entries.order import ORDER_SAMPLE, entry_date_key
from bot.lists.entries.pieces import PAPER_HOST, arxiv_ids_in, find_dates, split_authors, surname_first
from bot.lists.entries.template import SLOT, Induced, induce
from bot.lists.entries.title import entry_title
from bot.lists.scan import is_paper_text

if TYPE_CHECKING:
    from bot.lists.model import Entry, Section

NEAREST_ENTRIES = 25  # how many entries next to the insertion point the format is learned from
FURTHER_ENTRIES = 100  # how many more are read for where a venue goes when none of those shows one
_NUMBER = re.compile(r"^\s*(\d{1,9})[.)]\s")
INDENT_SLOT = "⟦indent⟧"
_NUMBER_MARKER = re.compile(r"^\s*\d{1,9}[.)][ \t]+(?=\S)")
_MARKER_PREFIX = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_PAPER_LINK_LINE = re.compile(r"^\s*\[[^\]]+\]\([^)\s]+\)")  # a line that opens with a link
_DATE_SLOT = re.compile(r"⟦date:([^⟧]+)⟧")
_VENUE_THEN_DATE = re.compile(r"⟦venue:\w+⟧(?:,? |['’])⟦date:([^⟧]+)⟧")
_ET_AL = re.compile(r",?\s*et\.?\s+al\b\.?")
# A table's venue cell: a name, then its year (`NAACL2024`, `Arxiv 2023`, `NAACL'24`, `ENNLP, 2019`).
_VENUE_AND_YEAR = re.compile(r"^(?P<name>[A-Za-z][\w&.\- ]*?[A-Za-z&.)])(?P<sep>[ ,]*'?)"
                             r"(?P<year>(?:19|20)\d{2}|\d{2})(?!\d)")


@dataclass(frozen=True)
class AuthorStyle:
    max_names: int | None = None  # None: every author; N: the first N, then `et_al`
    et_al: str = " et al."
    separator: str = ", "
    surname_first: bool = False  # `Bruna, Joan and LeCun, Yann`, as a bibliography writes names


@dataclass(frozen=True)
class EntryFormat:
    """The shape of a section's entries. Template lines hold slots: `⟦title:link⟧` (context: text,
    link, html, cell, cell-link), `⟦url⟧`, `⟦date:YYYY/MM⟧`, `⟦authors:text⟧`, `⟦venue:text⟧`,
    `⟦venue:badge⟧`, `⟦short:text⟧`, `⟦short:badge⟧`, `⟦abstract:text⟧`, `⟦number⟧`, `⟦unknown⟧` (a
    field arXiv cannot fill), and `⟦indent⟧` at the start of a continuation line: as wide as the
    entry's own list marker."""

    kind: str = "list_item"  # "list_item" | "table_row" | "details" | "paragraph"
    lines: tuple[str, ...] = ("- [⟦title:link⟧](⟦url⟧)",)
    url_form: str = "https://arxiv.org/abs/{id}"  # `{v}` marks "v<version>"
    authors: AuthorStyle = AuthorStyle()
    venue: str = "arXiv"  # how the section writes "not published elsewhere"
    # Table venue cells: how they show a year (`{name}` then `{year}` or `{yy}`: "{name}{year}" for
    # `NAACL2024`, "{name}'{yy}" for `NAACL'24`), and whether the named venues and the "not published
    # elsewhere" cells (`Arxiv 2023`) show it.
    year_form: str = "{name} {year}"
    named_year: bool = True
    arxiv_year: bool = False
    # The date entries write right after a venue other than arXiv (`Nature Medicine, 2024`: "YYYY"; "" when
    # none does): a year alone is the venue's, a fuller date the first version's (`NeurIPS, 2023.6`).
    named_venue_date: str = ""
    newest_first: bool = False
    numbering: tuple[int, int, int] | None = None  # first and last number in the section, step
    gap: int = 0  # blank lines between two entries
    cells: tuple[CellFormat, ...] = ()  # table rows only
    row_edges: tuple[bool, bool] = (True, True)  # table rows: leading and trailing pipe
    example: str = ""  # the existing entry the template was learned from
    dates: tuple[DateSpan, ...] = ()  # the siblings' dates: widths they disagree on follow the nearest

    @property
    def title_style(self) -> str:
        """"bold-link", "link", "bold", "html", "cell", "quoted" or "text"."""
        joined = "\n".join(self.lines)
        match = re.search(r"(\*\*|__)?(\[)?[\"“]?⟦title:(\w[\w-]*)⟧", joined)
        if not match:
            return ""
        context = match[3]
        if context in ("link", "cell-link"):
            return "bold-link" if match[1] else "link"
        if match[1]:
            return "bold"
        return context if context in ("html", "cell") else "text"

    @property
    def link_form(self) -> str:
        match = re.search(r"arxiv\.org/(\w+)/", self.url_form)
        return match[1] if match else ""

    @property
    def date_format(self) -> str:
        match = re.search(r"⟦date:([^⟧]+)⟧", "\n".join(self.lines + tuple(c.template for c in self.cells)))
        return match[1] if match else ""


DEFAULT_FORMAT = EntryFormat()
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def learn_format(section: Section) -> EntryFormat:
    """The shape of `section`'s paper entries; the default bullet when it has none."""
    anchors = anchor_entries(section.entries)
    if not anchors:
        return DEFAULT_FORMAT
    newest_first, numbering = _order(anchors)
    window = list(anchors[:NEAREST_ENTRIES] if newest_first else anchors[-NEAREST_ENTRIES:])
    if not newest_first:
        window.reverse()  # nearest to the insertion point first
    induced = [(i, t) for i, e in enumerate(window)
               if (t := induce(e.text, e.kind, e.title, e.columns)) is not None]
    if not induced:
        return EntryFormat(lines=(_bare_link(window[0]),), newest_first=newest_first, numbering=numbering,
                           gap=_gap(anchors))
    counts = Counter(without_short(t.signature) for _, t in induced)
    best_index, best = max(induced, key=lambda it: (it[1].has_url, counts[without_short(it[1].signature)],
                                                    -it[0]))
    best_index, best = prefer_short_name(best_index, best, induced, window)
    best_index, best = prefer_side_links(best_index, best, induced)
    best_index, best = optional_venue(best_index, best, induced, _further(anchors, newest_first, induced))
    best = name_as_field(best, induced, window)  # last: the choices above may pick another entry
    templates = [t for _, t in induced]
    samples = [d for e in window for d in find_dates(e.text)]
    best.lines = [_DATE_SLOT.sub(lambda m: f"⟦date:{settle_widths(m[1], samples)}⟧", ln) for ln in best.lines]
    best.cells = [(_DATE_SLOT.sub(lambda m: f"⟦date:{settle_widths(m[1], samples)}⟧", c), w, r)
                  for c, w, r in best.cells]
    return EntryFormat(
        kind=window[best_index].kind,
        lines=tuple(_hanging(indents_like(_with_url(best.lines), window), window[best_index].text, window)),
        url_form=_majority([f for t in templates for f in t.url_forms], DEFAULT_FORMAT.url_form),
        authors=_author_style([a for t in templates for a in t.authors]),
        venue=_venue_spelling([v for t in templates for v in t.venues]),
        **_venue_year_form([v for t in templates for v in t.venues], window[best_index].kind),
        named_venue_date=_named_venue_date(templates),
        newest_first=newest_first,
        numbering=numbering,
        gap=_gap(anchors),
        cells=table_cells(best, window, templates) if window[best_index].kind == "table_row" else (),
        row_edges=row_edges(window[best_index].text),
        example=window[best_index].text,
        dates=tuple(samples),
    )


def _further(anchors: Sequence[Entry], newest_first: bool,
             induced: list[tuple[int, Induced]]) -> list[Induced]:
    """The templates of the entries beyond the nearest ones (nearest first, at most FURTHER_ENTRIES), read
    only when none of the nearest shows a venue: where the section writes one (choice.optional_venue)."""
    if any("⟦venue:" in t.signature for _, t in induced) or len(anchors) <= NEAREST_ENTRIES:
        return []
    beyond = anchors[NEAREST_ENTRIES:][:FURTHER_ENTRIES] if newest_first \
        else anchors[:-NEAREST_ENTRIES][::-1][:FURTHER_ENTRIES]
    return [t for e in beyond if (t := induce(e.text, e.kind, e.title, e.columns)) is not None]


def _bare_link(entry: Entry) -> str:
    """A linked title, indented and marked like the entry (no template could be read from it): an
    entry nested under a label (`    - ` under `  - **CVPR**`) must stay as deep as its siblings."""
    first = entry.text.split("\n", 1)[0]
    indent = first[: len(first) - len(first.lstrip())]
    if entry.kind == "paragraph":
        return f"{indent}[⟦title:link⟧](⟦url⟧)"
    marker = _LIST_MARKER.match(first)
    prefix = re.sub(r"\d+", "⟦number⟧", marker[0], count=1) if marker else indent + "- "
    return f"{prefix}[⟦title:link⟧](⟦url⟧)"


def anchor_entries(entries: Sequence[Entry]) -> list[Entry]:
    """The section's paper entries of its dominant kind: what new entries imitate and go next to.
    A list item that groups several papers under a label stands for its papers, one per line."""
    papers = [part for e in entries if e.is_paper for part in group_parts(e)]
    papers = [e for e in papers if e.is_paper]
    if not papers:
        return []
    kind = Counter(e.kind for e in papers).most_common(1)[0][0]
    return [e for e in papers if e.kind == kind]


def group_parts(entry: Entry) -> list[Entry]:
    """The papers of a list item that is a label over one paper link per line (`- Re-ranking` then
    `[Title](url)` lines under it), each as an entry of its own; [entry] for any other entry. Such
    a label is not a paper's title, and its lines are not one paper's entry."""
    if entry.kind != "list_item" or "\n" not in entry.text:
        return [entry]
    lines = entry.text.split("\n")
    label = _MARKER_PREFIX.sub("", lines[0])
    if len(lines) < 3 or _PAPER_LINK_LINE.match(label) \
            or PAPER_HOST.search(label) or arxiv_ids_in(label):
        return [entry]
    depth = len(lines[0]) - len(lines[0].lstrip())
    parts = []
    for offset, line in enumerate(lines[1:], start=1):
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= depth or not _PAPER_LINK_LINE.match(line):
            return [entry]  # prose, a nested list or a line at the label's depth: not a plain group
        ids = tuple(arxiv_ids_in(line))
        parts.append(replace(entry, first_line=entry.first_line + offset,
                             end_line=entry.first_line + offset + 1, text=line, arxiv_ids=ids,
                             title=entry_title(line, "paragraph"), kind="paragraph",
                             is_paper=is_paper_text(line, ids, "paragraph")))
    return parts if sum(p.is_paper for p in parts) >= 2 else [entry]


def _order(anchors: Sequence[Entry]) -> tuple[bool, tuple[int, int, int] | None]:
    numbers = [int(m[1]) for e in anchors if (m := _NUMBER.match(e.text))]
    if anchors[0].kind == "list_item" and len(numbers) == len(anchors):
        steps = Counter((b > a) - (b < a) for a, b in pairwise(numbers))
        step = steps.most_common(1)[0][0] if steps else 1
        return step < 0, (numbers[0], numbers[-1], step)
    pairs: Counter[int] = Counter()
    for sample in (anchors[:ORDER_SAMPLE], anchors[ORDER_SAMPLE:][-ORDER_SAMPLE:]):
        keys = [k for k in (entry_date_key(e) for e in sample) if k]
        pairs.update((b > a) - (b < a) for a, b in pairwise(keys))
    return pairs[-1] > pairs[1], None


def _gap(anchors: Sequence[Entry]) -> int:
    gaps = Counter(b.first_line - a.end_line for a, b in pairwise(anchors)
                   if 0 <= b.first_line - a.end_line <= 2)
    return gaps.most_common(1)[0][0] if gaps else 0


def _with_url(lines: Sequence[str]) -> list[str]:
    """Every entry the bot writes links its arXiv page, so that the paper is found again later."""
    if any("⟦url⟧" in line for line in lines):
        return list(lines)
    wrapped = {"text": "[⟦title:link⟧](⟦url⟧)", "cell": "[⟦title:cell-link⟧](⟦url⟧)",
               "html": '<a href="⟦url⟧">⟦title:html⟧</a>'}
    out, done = [], False
    for line in lines:
        match = SLOT.search(line) if not done else None
        while match and match[1] != "title":
            match = SLOT.search(line, match.end())
        if match and match[2] in wrapped:
            line = line[: match.start()] + wrapped[match[2]] + line[match.end():]
            done = True
        out.append(line)
    return out


def _hanging(lines: list[str], example: str, window: Sequence[Entry]) -> list[str]:
    """Numbered entries whose continuation lines sit under the text (`1. ` then 3 spaces, `10. ` then 4)
    get `⟦indent⟧`, so that a new number keeps them there; entries indented by a fixed amount keep it."""
    fixed = _continuation_indent(example)
    if fixed is None or not _NUMBER_MARKER.match(example):
        return lines
    aligned = constant = 0
    for entry in window:
        marker, indent = _NUMBER_MARKER.match(entry.text), _continuation_indent(entry.text)
        if marker and indent is not None and (indent == len(marker[0])) != (indent == fixed):
            aligned, constant = aligned + (indent != fixed), constant + (indent == fixed)
    if aligned <= constant:
        return lines
    out = lines[:1]
    for line in lines[1:]:
        indent = len(line) - len(line.lstrip())
        hangs = line.strip() and indent >= fixed
        out.append(f"{INDENT_SLOT}{' ' * (indent - fixed)}{line.lstrip()}" if hangs else line)
    return out


def _continuation_indent(text: str) -> int | None:
    """Indentation of the first non-blank line after the first, None when there is none."""
    line = next((ln for ln in text.split("\n")[1:] if ln.strip()), None)
    return None if line is None else len(line) - len(line.lstrip())


def _majority(values: Sequence[str], default: str) -> str:
    return Counter(values).most_common(1)[0][0] if values else default


def _author_style(values: Sequence[str]) -> AuthorStyle:
    if not values:
        return AuthorStyle()
    parsed = [split_authors(v) for v in values]
    with_et_al = [names for names, et_al in parsed if et_al]
    if sum(1 for v in values if surname_first(v) is not None) * 2 > len(values):
        return AuthorStyle(separator=" and ", surname_first=True)
    if len(with_et_al) * 2 < len(parsed):
        return AuthorStyle()
    forms = [m[0] for v in values if (m := _ET_AL.search(v))]
    return AuthorStyle(max(1, round(median(len(n) for n in with_et_al))), _majority(forms, " et al."))


def _venue_spelling(values: Sequence[str]) -> str:
    names = [m["name"] if (m := _VENUE_AND_YEAR.match(v.strip())) else v.strip() for v in values]
    return _majority([n for n in names if n.lower() == "arxiv"], "arXiv")


def _named_venue_date(templates: Sequence[Induced]) -> str:
    """The date format most entries that name one venue other than arXiv write right after it."""
    forms = [m[1] for t in templates if len(t.venues) == 1 and not t.venues[0].lower().startswith("arxiv")
             and (m := _VENUE_THEN_DATE.search(t.signature))]
    return _majority(forms, "")


def _venue_year_form(values: Sequence[str], kind: str) -> dict[str, str | bool]:
    """How a table's venue cells write the year after the name (the majority form of those that show
    one), and whether they show one: named venues when at least half of them do, arXiv likewise."""
    if kind != "table_row" or not values:
        return {}
    parsed = [(v.strip().lower().startswith("arxiv"), _VENUE_AND_YEAR.match(v.strip())) for v in values]
    forms = [f"{{name}}{m['sep']}{{{'year' if len(m['year']) == 4 else 'yy'}}}" for _, m in parsed if m]

    def shown(arxiv: bool, default: bool) -> bool:
        group = [m for a, m in parsed if a == arxiv]
        return sum(1 for m in group if m) * 2 >= len(group) if group else default

    return {"year_form": _majority(forms, EntryFormat.year_form), "named_year": shown(False, True),
            "arxiv_year": shown(True, False)}
