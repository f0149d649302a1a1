"""Entries as text, written in a section's learned format, with everything that came from arXiv
escaped for the place it lands in: Markdown inline text, link text, a table cell, or raw HTML.
A hostile title cannot open a heading, a table column, a code span, an HTML comment or a marker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.lists.entries.cells import github_repo, without_stars_badge
from bot.lists.entries.choice import OPTIONAL_VENUE, OPTIONAL_VENUE_PIECE
from bot.lists.entries.dates import DateSpan, settle_widths
from bot.lists.entries.dates import format_date as write_date
from bot.lists.entries.format import INDENT_SLOT, AuthorStyle, CellFormat, EntryFormat
from bot.lists.entries.labels import CODE_LINE
from bot.lists.entries.pieces import PAPER_HOST
from bot.lists.entries.template import HEAD_SLOTS, SHORT_BADGE, SHORT_SLOT, SIDE_LINK, SLOT
from bot.lists.entries.title import name_and_rest, paper_name
from bot.papers.references import Paper
from bot.papers.venues import venue_of

NEUTRAL_VALUE = "-"  # no author at all
# A field the section always fills that metadata cannot (topic, affiliation, keywords): visible in the
# rendered list, unlike any value a maintainer writes, and listed under "to fill in" in the pull request.
PLACEHOLDER = "*(to fill in)*"
_CODE_URL = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[\w.-]+/[\w.-]+", re.IGNORECASE)
# The paper's own page: a URL its authors introduce as one ("Our project page is https://...", "Demo:
# https://..."), or a GitHub Pages site, where projects keep theirs. A URL stops at what would end a
# Markdown link or a table cell.
_PAGE_URL = re.compile(r"\b(?:project|home|web)\s*(?:page|site)\b|\bwebsite\b|\bdemos?\b", re.IGNORECASE)
_ANY_URL = re.compile(r"https?://[^\s<>()\[\]{}|\\`,;\"']+", re.IGNORECASE)
_GITHUB_PAGES = re.compile(r"^https?://[\w-]+\.github\.io\b", re.IGNORECASE)
ABSTRACT_EXCERPT_CHARS = 280
_ENTITY = re.compile(r"&(?=#?\w+;)")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*\[\]~])")
_LONE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_AUTOLINK = re.compile(r"\b(?:https?|ftp)://|\bwww\.", re.IGNORECASE)  # GitHub would link them
_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d+[.)](?=\s|$))")
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,9}[.)]|[-*+])[ \t]+")
# A date written right after the venue: `ICLR 2025`, `[**Nature Medicine, 2024**]`, `VLDB'22`
_VENUE_DATE = re.compile(r"⟦venue:(?P<context>\w+)⟧(?P<sep>,? |['’](?=⟦date:YY⟧))⟦date:(?P<fmt>[^⟧]+)⟧")
_VENUE_YEAR = re.compile(r"⟦venue:(\w+)⟧ ⟦date:YYYY⟧")
_NAMED_YEAR = re.compile(r"(?P<name>.+?),?\s+(?P<year>(?:19|20)(?P<yy>\d{2}))")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def escape_inline(text: str) -> str:
    """Markdown inline text: one line, no raw HTML (so no `<!--`), no emphasis, code, link syntax or
    autolinked URL."""
    text = _ENTITY.sub("&amp;", _one_line(text))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = _LONE_UNDERSCORE.sub(r"\\_", text)
    text = _AUTOLINK.sub(lambda m: m[0][:-3] + "\\://" if m[0].endswith("://") else m[0][:-1] + "\\.", text)
    # a paper host named in metadata (an author "doi.org") must not read as the entry's link
    text = PAPER_HOST.sub(lambda m: m[0].replace(".", "\\.", 1), text)
    start = _BLOCK_START.match(text)
    if not start:
        return text
    if start[0][0].isdigit():  # "1. x" would start a list: escape the delimiter, digits cannot be
        return f"{start[0][:-1]}\\{text[start.end() - 1:]}"
    return "\\" + text


def escape_link_text(text: str) -> str:
    """Text inside `[...]`: inline escaping, which also escapes both brackets."""
    return escape_inline(text)


def escape_table_cell(text: str) -> str:
    """Text inside a table cell: inline escaping plus `|`, so the column count cannot change."""
    return escape_inline(text).replace("|", "\\|")


def escape_html(text: str) -> str:
    """Text inside raw HTML such as `<summary>`: one line, entities for `& < > "`. An apostrophe stays as
    it is, the way lists write titles such as "Don't Say No" (only an attribute value could need it
    escaped, and arXiv text never lands in one)."""
    return html.escape(_one_line(text), quote=False).replace('"', "&quot;")


_ESCAPERS = {
    "text": escape_inline,
    "link": escape_link_text,
    "cell": escape_table_cell,
    "cell-link": escape_table_cell,
    "html": escape_html,
}


def render_entry(fmt: EntryFormat, paper: Paper, *, number: int | None = None) -> str:
    """The entry for `paper`, lines joined with "\\n", no trailing newline."""
    if number is None and fmt.numbering:
        first, last, step = fmt.numbering
        number = first + 1 if step < 0 else last + step
    if fmt.kind == "table_row" and fmt.cells:
        return _render_row(fmt, paper)
    lines = fmt.lines if code_link(paper) else _without_code_lines(fmt.lines)
    first = _fill(lines[0], fmt, paper, number)
    marker = _LIST_MARKER.match(first)
    hanging = " " * len(marker[0]) if marker else ""  # continuation lines under the text, past the marker
    rest: list[str] = []
    for line in lines[1:]:
        line = hanging + line.removeprefix(INDENT_SLOT) if line.startswith(INDENT_SLOT) else line
        rest.append(_fill(line, fmt, paper, number))
    while rest and not rest[-1].strip() and fmt.lines[-1].strip():
        rest.pop()
    return "\n".join([first, *rest])


def _without_code_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    """The template without the lines that only link the paper's code (`  - Code: [official](url)`)."""
    joined = "\n".join(lines)
    return tuple(CODE_LINE.sub("", joined).split("\n")) if "⟦codelink:" in joined else lines


def _render_row(fmt: EntryFormat, paper: Paper) -> str:
    cells = [_pad(_cell_value(cell, fmt, paper), cell) for cell in fmt.cells]
    lead, trail = fmt.row_edges
    row = "|".join(cells)
    return ("|" if lead else "") + (row if lead else row.lstrip()) + ("|" if trail else "")


def _cell_value(cell: CellFormat, fmt: EntryFormat, paper: Paper) -> str:
    value = _fill(cell.template, fmt, paper, None)
    if value != PLACEHOLDER and value.strip("*_`") == PLACEHOLDER.strip("*"):
        value = PLACEHOLDER  # a cell left to the maintainer: the bare placeholder, not `**` around it
    # `-` where the rows write it for "none" only in a code column: metadata names a paper's code when it
    # has one; a demo or a note no metadata gives is the placeholder, for the maintainer to fill.
    none = cell.empty if cell.template.startswith("⟦code:") else ""
    return none if value == PLACEHOLDER and none else value


def _pad(value: str, cell: CellFormat) -> str:
    if not cell.padded or len(value) + 2 > cell.width:
        return f" {value} " if value else " "
    if cell.align == "center":
        return value.center(cell.width)
    return value.rjust(cell.width - 1) + " " if cell.align == "right" else " " + value.ljust(cell.width - 1)


def _fill(template: str, fmt: EntryFormat, paper: Paper, number: int | None) -> str:
    def value(match: re.Match[str]) -> str:
        name, arg = match[1], match[2] or "text"
        escape = _ESCAPERS.get(arg, escape_inline)
        if name == "title":
            return escape(paper.title)
        if name == "url":  # `link`: a paper the section links by DOI or venue page (bot.lists.identity)
            return paper.link or fmt.url_form.format(id=paper.arxiv_id, v=f"v{paper.version}")
        if name == "date":
            return format_date(paper, arg, fmt.dates)
        if name == "authors":
            return escape(format_authors(paper.authors, fmt.authors))
        if name == "venue" and arg == "cell":
            return escape(venue_cell(paper, fmt))
        if name == "venue":
            venue = venue_of(paper, with_year=True) or fmt.venue
            return _badge_text(venue) if arg == "badge" else escape(venue)
        if name == "abstract":
            return escape(abstract_excerpt(paper.abstract))
        if name in ("head", "tail"):  # `***Name:*** rest of the title`
            head, tail = name_and_rest(paper.title)
            return escape(head if name == "head" else tail)
        if name == "short":
            short = paper_name(paper.title, paper.abstract)
            return _badge_text(short, spaces="_") if arg == "badge" else escape(short)
        if name == "number":
            return str(number if number is not None else 1)
        if name == "name":
            return escape(short) if (short := paper_name(paper.title, paper.abstract)) else PLACEHOLDER
        if name == "repo":
            return github_repo(code_link(paper))
        if name in ("code", "page"):  # `⟦code:GitHub⟧` is a link labelled so, `⟦code:⟧` the bare URL
            url = _own_link(name, paper)
            return PLACEHOLDER if not url else f"[{match[2]}]({url})" if match[2] else url
        return PLACEHOLDER

    if OPTIONAL_VENUE in template:  # `[ACL 2025]` only for a paper published somewhere
        template = (template.replace(OPTIONAL_VENUE, "⟦venue:text⟧") if venue_of(paper, with_year=True)
                    else OPTIONAL_VENUE_PIECE.sub("", template))
    if "⟦repo⟧" in template and not github_repo(code_link(paper)):
        template = without_stars_badge(template)
    if "⟦venue:" in template:
        template = _venue_and_year(template, venue_of(paper, with_year=True), fmt.named_venue_date)
    if "⟦codelink:" in template or "⟦pagelink:" in template:
        template = SIDE_LINK.sub(lambda m: _side_link(m, paper), template)
    if "⟦head:" in template and not name_and_rest(paper.title)[0]:
        template = HEAD_SLOTS.sub(r"⟦title:\g<context>⟧", template)  # no name to set apart: the whole title
    if "⟦short:" in template:
        name = paper_name(paper.title, paper.abstract)
        if not name:  # no short name: no "NAME: " prefix, no name badge
            template = SHORT_SLOT.sub("", template)
        elif " " in name:  # badges show one-word names (`s1`, `LIMO`), not phrases
            template = SHORT_BADGE.sub("", template)
    return SLOT.sub(value, template)


def _venue_and_year(template: str, venue: str, named_date: str = "") -> str:
    """A date written right after the venue is the venue's year when arXiv names a venue with one: the
    name, the siblings' separator, the year cut as they cut it (`ICLR 2025`, `Nature Medicine, 2024`,
    `VLDB'22`), not the first version's date (`Arxiv, 2023.12` is how the arXiv-only entries read),
    unless the entries that name a venue write a fuller date after it (`named_date`: `NeurIPS, 2023.6`)."""
    named = _NAMED_YEAR.fullmatch(venue)
    if not named:  # a venue without its year: no year rather than the first version's (`ICLR`)
        return _VENUE_YEAR.sub(r"⟦venue:\1⟧", template) if venue else template

    def written(match: re.Match[str]) -> str:
        name = _ESCAPERS.get(match["context"], escape_inline)(named["name"])
        if named_date and named_date not in ("YYYY", "YY") and match["sep"] in (" ", ", "):
            return f"{name}{match['sep']}⟦date:{match['fmt']}⟧"  # the first version's date, as they write it
        return name + match["sep"] + (named["yy"] if match["fmt"] == "YY" else named["year"])

    return _VENUE_DATE.sub(written, template)


def format_date(paper: Paper, fmt: str, siblings: Sequence[DateSpan] = ()) -> str:
    """The paper's first-version date, written like the section's dates (the month's and day's width
    as the siblings nearest in date write them)."""
    day = paper.published
    return write_date(day, settle_widths(fmt, siblings, near=day.year * 100 + day.month) if siblings else fmt)


def code_link(paper: Paper) -> str:
    """The paper's own code repository, when its arXiv comment or abstract gives one."""
    match = _CODE_URL.search(f"{paper.comment} {paper.abstract}")
    return match[0].rstrip(".") if match else ""


def _side_link(slot: re.Match[str], paper: Paper) -> str:
    """A code or page link slot (`, [⟦codelink:code⟧]`) filled, or "" with its separator when the paper
    names no such link."""
    url = _own_link(slot["kind"], paper)
    name = f"⟦{slot['kind']}link:{slot['label']}⟧"
    return slot[0].replace(name, f"[{slot['label']}]({url})") if url else ""


def _own_link(kind: str, paper: Paper) -> str:
    """The paper's code (`code`) or its own page (`page`), "" when arXiv's metadata names none."""
    return code_link(paper) if kind == "code" else page_link(paper)


def page_link(paper: Paper) -> str:
    """The paper's own page (a demo, a project site), when its arXiv comment or abstract gives one: a
    URL the words just before it call the project page, website or demo, else a GitHub Pages site;
    never its code repository."""
    text = f"{paper.comment} {paper.abstract}"
    for match in _ANY_URL.finditer(text):
        url = match[0].rstrip(".:")
        if _CODE_URL.match(url) or "arxiv.org" in url.lower():
            continue
        before = text[max(0, match.start() - 40): match.start()].rsplit(". ", 1)[-1]  # its own sentence
        if _PAGE_URL.search(before) or _GITHUB_PAGES.match(url):
            return url
    return ""


def format_authors(authors: tuple[str, ...], style: AuthorStyle) -> str:
    names = [_one_line(a) for a in authors if a.strip()]
    if style.surname_first:
        names = [_surname_first(n) for n in names]
    if not names:
        return NEUTRAL_VALUE
    if style.max_names is not None and len(names) > style.max_names:
        return style.separator.join(names[: style.max_names]) + style.et_al
    return style.separator.join(names)


def _surname_first(name: str) -> str:
    """`Mihaela van der Schaar` -> `van der Schaar, Mihaela`: the last word and the lowercase
    particles before it, then the given names; a one-word name as it is."""
    words = name.split()
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    if start < 1:
        return name
    return f"{' '.join(words[start:])}, {' '.join(words[:start])}"


def venue_cell(paper: Paper, fmt: EntryFormat) -> str:
    """A table's venue cell in the form its rows write (`NAACL2024`, `NAACL'24`, `Arxiv 2023`): the
    venue arXiv names, else the section's arXiv spelling; the venue's year, else the first version's."""
    named = venue_of(paper, with_year=True)
    year = re.search(r"(?<!\d)(?:19|20)\d{2}$", named)
    name = named[: year.start()].rstrip() if year else named
    if named:  # its year only as the metadata gives it
        shown_year = year and fmt.named_year
        return fmt.year_form.format(name=name, year=year[0], yy=year[0][2:]) if shown_year else name
    if not fmt.arxiv_year:
        return fmt.venue
    shown = str(paper.published.year)
    return fmt.year_form.format(name=fmt.venue, year=shown, yy=shown[2:])


def abstract_excerpt(abstract: str) -> str:
    text = _one_line(abstract)
    if len(text) <= ABSTRACT_EXCERPT_CHARS:
        return text
    cut = text.rfind(". ", 0, ABSTRACT_EXCERPT_CHARS)
    return text[: cut + 1] + "…" if cut > 60 else text[:ABSTRACT_EXCERPT_CHARS].rstrip() + "…"


def _badge_text(label: str, *, spaces: str = "") -> str:
    """A shields.io badge label: dashes and underscores doubled, spaces dropped (`ICLR2025`) or shown as
    `_`, nothing that could end the image's URL."""
    return re.sub(r"[^\w.&+-]", "", label.replace("-", "--").replace("_", "__").replace(" ", spaces))
