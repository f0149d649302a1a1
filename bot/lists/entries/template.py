"""Turn one existing entry into a template: the literal Markdown it is made of, with slots where
arXiv metadata goes (`⟦title:link⟧`, `⟦url⟧`, `⟦date:YYYY/MM⟧`, `⟦authors:text⟧`, `⟦venue:text⟧`,
`⟦short:text⟧`, `⟦short:badge⟧`, `⟦abstract:text⟧`, `⟦number⟧`, `⟦unknown⟧`). What the bot cannot
know (badges, code links, emoji, affiliations, a maintainer's notes) is dropped, or kept as
`⟦unknown⟧` when it fills a whole line or table cell so that the entry keeps its shape. A badge that
shows the title's short name becomes `⟦short:badge⟧`. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.lists.entries.cells import STARS_BADGE, column_field, column_role, fillable_cell
from bot.lists.entries.labels import code_value, split_label
from bot.lists.entries.pieces import (
    CODE_HOST,
    GENERIC_LINK_TEXT,
    PAGE_WORDS,
    PAPER_HOST,
    PIECE_PATTERN,
    SHIELDS_BADGE,
    VENUE_WORD,
    arxiv_url_form,
    badge_label,
    looks_like_authors,
    plain_text,
    short_date,
    venue_badge,
)
from bot.lists.entries.spans import run_spans
from bot.lists.entries.title import clean_title, short_name
from bot.lists.entries.tokens import assemble, residue_tokens
from bot.lists.scan import split_cells

SLOT = re.compile(r"⟦(\w+)(?::([^⟧]*))?⟧")
# The short-name slot with what only serves it: the `: ` after a prefix, a note on the name in parentheses
# (`**CuBERT** (MLM + NSP): `), or the whole badge that shows it.
SHORT_BADGE = re.compile(r"[ \t]*!\[[^\]]*\]\([^)\s]*⟦short:badge⟧[^)\s]*\)")
SHORT_SLOT = re.compile(SHORT_BADGE.pattern + r"|(?:\*{1,3}|_{1,3})?⟦short:[^⟧]*⟧(?:\*{1,3}|_{1,3})?"
                        r"(?:[ \t]+\(⟦unknown⟧\))?[:\s]*")
_MARKER = re.compile(
    r"^(?P<indent>\s*)(?:(?P<number>\d{1,9})(?P<delim>[.)])|(?P<bullet>[-*+]))(?P<space>\s+|$)"
)
# A tag in brackets before the title, in words (no date, no year): `[**Verilog**] `, `[Survey] `.
_TAG = re.compile(r"^\[(?P<em>\*{0,3})(?P<words>[^\W\d_][^\[\]\d*_]{0,39}?)(?P=em)\](?P<space>[ \t]+)(?=\S)")
_CODE_LABEL = re.compile(
    r"^\W*(?:official\s+)?(?:source\s+)?(?:code|github|repo|repository|github repo)\d?\W*$", re.IGNORECASE)
# A link to the paper's code or its own page (`[⟦codelink:[code]⟧]`, `⟦pagelink:[homepage]⟧`, the label
# kept), with the brackets around it and the separator before it: written only when the paper names it.
SIDE_LINK = re.compile(
    r"[ \t]*[,;|]?[ \t]*(?P<open>\[)?⟦(?P<kind>code|page)link:(?P<label>[^⟧]*)⟧(?(open)\])")
_PAGE_LABEL = re.compile(rf"^\W*{PAGE_WORDS}\W*$", re.IGNORECASE)
# A title written as its emphasised name and the rest (`***⟦head:text⟧:*** ⟦tail:text⟧`), as one title slot.
HEAD_SLOTS = re.compile(
    r"(?P<em>\*{1,3}|_{1,3})⟦head:(?P<context>[\w-]+)⟧(?::(?P=em)|(?P=em):)[ \t]+⟦tail:[\w-]+⟧")
# Line breaks at a cell's edge once a badge is dropped (`![Star](...) <br> [Title](url) <br>`): they
# separated the title from what the bot cannot write, and the rows without a badge show none.
_CELL_EDGE_BREAKS = re.compile(r"^(?:\s*<br\s*/?>)+\s*|\s*(?:<br\s*/?>\s*)+$", re.IGNORECASE)


@dataclass
class Induced:
    """The template of one entry, with the values seen in its slots (for learning styles)."""

    lines: list[str]
    authors: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    url_forms: list[str] = field(default_factory=list)
    number: int | None = None
    cells: list[tuple[str, int, str]] = field(default_factory=list)  # table: (template, raw width, raw)
    short: str = ""  # the title's short name, which a badge may show (`![](.../badge/s1-blue)`)

    @property
    def signature(self) -> str:
        return "\n".join(self.lines)

    @property
    def has_url(self) -> bool:
        return "⟦url⟧" in self.signature

    @property
    def has_title(self) -> bool:
        return "⟦title:" in self.signature or "⟦tail:" in self.signature


def induce(text: str, kind: str, title: str, columns: tuple[str, ...] = ()) -> Induced | None:
    """The template of an entry block, or None when its title cannot be located in it."""
    if not title:
        return None
    if kind == "table_row":
        induced = _induce_row(text.split("\n", 1)[0], title, columns)
    elif kind == "details":
        induced = _induce_details(text.split("\n"), title)
    else:
        induced = _induce_lines(text.split("\n"), title, kind)
    return induced if induced.has_title else None


def _induce_lines(lines: list[str], title: str, kind: str) -> Induced:
    induced = Induced([], short=short_name(title))
    for index, line in enumerate(lines):
        prefix, rest = _split_prefix(line, induced, numbered=index == 0 and kind == "list_item")
        if not line.strip():
            induced.lines.append(line)
            continue
        label, value = split_label(rest) if index > 0 else ("", rest)
        if label:  # `  - Keyword: RLHF`: the label is the siblings' own word, the value a slot
            value = _labelled_value(label, value, title if not induced.has_title else "", induced)
            induced.lines.append(f"{prefix}{label.rstrip()} {value}".rstrip())
            continue
        tag = _TAG.match(rest) if index == 0 and not induced.has_title else None
        if tag and (title in tag[0] or VENUE_WORD.fullmatch(tag["words"])):
            tag = None
        body, had_words = _template_text(rest[tag.end():] if tag else rest,
                                         title if not induced.has_title else "", "text", induced,
                                         whole_line_authors=index > 0)
        if tag:  # `[**Verilog**] "Title"`: a tag every sibling wears, which only the maintainer can give
            body = f"[{tag['em']}⟦unknown⟧{tag['em']}]{tag['space']}{body}"
        if not SLOT.search(body) and had_words and index > 0:
            body = "⟦unknown⟧"
        induced.lines.append((prefix + body).rstrip() + _hard_break(line, body))
    return induced


def _labelled_value(label: str, value: str, title: str, induced: Induced) -> str:
    if (code := code_value(label, value)) is not None:
        return f"⟦codelink:{code}⟧"
    named = len(induced.authors)
    by_label = bool(re.search(r"author", label, re.IGNORECASE))
    body, had_words = _template_text(value, title, "text", induced, whole_line_authors=by_label)
    if "⟦authors:" in body and not by_label:  # `Keyword: Reward Models, Policy Learning`: no names
        del induced.authors[named:]
        body, had_words = "", True
    return "⟦unknown⟧" if had_words and not SLOT.search(body) else body.rstrip()


def _induce_details(lines: list[str], title: str) -> Induced:
    induced = Induced([], short=short_name(title))
    summary_end = next((i for i, ln in enumerate(lines) if re.search(r"</summary\s*>", ln, re.I)), 0)
    for line in lines[: summary_end + 1]:
        body, _ = _template_text(line, title if not induced.has_title else "", "html", induced)
        induced.lines.append(body)
    body_lines = lines[summary_end + 1 : -1] if len(lines) > summary_end + 1 else []
    content = [i for i, ln in enumerate(body_lines) if ln.strip()]
    if content:
        first, last = content[0], content[-1]
        induced.lines.extend([""] * first)
        induced.lines.append(_abstract_line(body_lines[first]))
        induced.lines.extend([""] * (len(body_lines) - 1 - last))
    else:
        induced.lines.extend([""] * len(body_lines))
    if len(lines) > summary_end + 1:
        induced.lines.append(lines[-1])
    return induced


def _abstract_line(line: str) -> str:
    """The body of a `<details>` entry: a quote of the abstract (`“...”`, also after a list or quote
    marker) is written from the paper's abstract; notes in the maintainer's own words, which no
    metadata gives, are a visible placeholder in the same place and marker."""
    stripped = line.strip()
    indent = line[: len(line) - len(line.lstrip())]
    marker = re.match(r"^((?:[-*+>]\s+)*)", stripped)[1]
    quoted = stripped[len(marker):]
    if quoted[:1] in "“\"":
        closing = "”" if quoted[0] == "“" else '"'
        return f"{indent}{marker}{quoted[0]}⟦abstract:text⟧{closing}"
    return f"{indent}{marker}⟦unknown⟧"


def _induce_row(row: str, title: str, columns: tuple[str, ...]) -> Induced:
    induced = Induced([], short=short_name(title))
    cells = split_cells(row)
    stripped = row.strip()
    lead, trail = stripped.startswith("|"), stripped.endswith("|") and not stripped.endswith("\\|")
    templates = []
    for index, raw in enumerate(cells):
        role = column_role(columns[index]) if index < len(columns) else "other"
        template = _cell_template(raw.strip(), role, title if "⟦title:" not in induced.signature
                                  and "⟦title:" not in "".join(templates) else "", induced)
        if template == "⟦unknown⟧" and index < len(columns) and columns[index]:
            template = fillable_cell(raw.strip(), column_field(columns[index]))
        template = template if "⟦repo⟧" in template else _CELL_EDGE_BREAKS.sub("", template)
        templates.append(template)
        induced.cells.append((template, len(raw), raw))
    induced.lines.append(("| " if lead else "") + " | ".join(templates) + (" |" if trail else ""))
    return induced


def _cell_template(cell: str, role: str, title: str, induced: Induced) -> str:
    if not cell:
        return ""
    if role == "venue" and "](" not in cell:
        induced.venues.append(cell)
        return "⟦venue:cell⟧"
    if (date := short_date(cell)) is not None:
        return f"⟦date:{date.fmt}⟧"
    if role == "authors" and looks_like_authors(cell):
        induced.authors.append(cell)
        return "⟦authors:cell⟧"
    if role == "abstract" and not title:
        return "⟦abstract:cell⟧"
    body, _ = _template_text(cell, title, "cell", induced)
    return body if SLOT.search(body) else "⟦unknown⟧"


def _split_prefix(line: str, induced: Induced, *, numbered: bool) -> tuple[str, str]:
    match = _MARKER.match(line)
    if not match:
        indent = line[: len(line) - len(line.lstrip())]
        return indent, line[len(indent):]
    prefix = match[0]
    if numbered and match["number"]:
        induced.number = int(match["number"])
        prefix = f"{match['indent']}⟦number⟧{match['delim']}{match['space']}"
    return prefix, line[match.end():]


def _hard_break(line: str, body: str) -> str:
    """Keep a trailing two-space line break when the original line had one."""
    return "  " if line.endswith("  ") and body.strip() else ""


def _template_text(text: str, title: str, context: str, induced: Induced,
                   *, whole_line_authors: bool = False) -> tuple[str, bool]:
    """Template of an inline run; returns it and whether it held words the bot cannot know."""
    if whole_line_authors and looks_like_authors(text):
        induced.authors.append(text.strip().rstrip("."))
        period = text.rstrip().endswith(".") and "et al" not in text[-8:]
        return "⟦authors:text⟧" + ("." if period else ""), False
    tokens: list[tuple[str, str]] = []  # ("lit" | "slot" | "drop", text)
    position = 0
    for match in PIECE_PATTERN.finditer(text):
        if match.start() > position:
            title = _text_tokens(text[position : match.start()], title, context, tokens, induced)
        title = _piece_tokens(match, title, context, tokens, induced)
        position = match.end()
    if position < len(text):
        _text_tokens(text[position:], title, context, tokens, induced)
    had_words = any(kind == "drop" and re.search(r"[^\W_]", value) for kind, value in tokens)
    return assemble(tokens), had_words


def _piece_tokens(match: re.Match[str], title: str, context: str, tokens: list[tuple[str, str]],
                  induced: Induced) -> str:
    whole = match[0]
    if match["link"] or match["html_link"]:
        url = match["link_url"] or match["hl_url"] or ""
        label = match["link_text"] if match["link"] else match["hl_text"]
        form = arxiv_url_form(url)
        inner_ctx = "html" if match["html_link"] else ("cell-link" if context == "cell" else "link")
        if title and _contains_title(label, title):
            label_template, _ = _template_text(label, title, inner_ctx, Induced([]))
            title = ""
        elif (form or PAPER_HOST.search(url) or not url) \
                and GENERIC_LINK_TEXT.match(plain_text(label) or label):
            label_template = label  # `[paper]`, `[arXiv]`: a label any paper's link wears, `[paper]()` too
        elif form and title and not plain_text(label).strip(" .:"):
            label_template = label  # an arXiv link shown as a badge or an emoji
        elif context != "cell" and CODE_HOST.search(url) and _CODE_LABEL.match(plain_text(label) or label) \
                and "⟧" not in label:  # `[code](github...)`: the paper's own code, when it has one
            tokens.append(("slot", f"⟦codelink:{label}⟧"))  # (a table's code column has its own rule)
            return title
        elif context != "cell" and url and not PAPER_HOST.search(url) and not CODE_HOST.search(url) \
                and _PAGE_LABEL.match(plain_text(label) or label) and "⟧" not in label:
            tokens.append(("slot", f"⟦pagelink:{label}⟧"))  # `[homepage](...)`: the paper's own page
            return title
        else:
            # Text that is not generic names this paper or another one (a neighbour's title under
            # a group label): written for a new paper it would relink someone else's title.
            tokens.append(("drop", whole))
            return title
        if form:
            induced.url_forms.append(form)
        if match["link"]:
            tokens.append(("slot", f"[{label_template}](⟦url⟧)"))
        else:
            opening = whole[: whole.index(">") + 1]
            opening = opening.replace(url, "⟦url⟧", 1)
            tokens.append(("slot", f"{opening}{label_template}</a>"))
        return title
    if match["image"] or match["img_link"]:
        # A table cell's stars badge of the paper's repository: a slot (list items drop code links).
        if context.startswith("cell") and (stars := STARS_BADGE.search(match["img_url"] or "")):
            tokens.append(("slot", whole.replace(stars[1], "⟦repo⟧")))
            return title
        badge = SHIELDS_BADGE.search(match["img_url"] or "")
        if venue := venue_badge(match["img_url"] or ""):
            induced.venues.append(venue)
            tokens.append(("slot", whole.replace(f"/badge/{venue}-", "/badge/⟦venue:badge⟧-", 1)))
        elif badge and induced.short and badge_label(badge[1]) == badge_label(induced.short):
            tokens.append(("slot", whole.replace(f"/badge/{badge[1]}-", "/badge/⟦short:badge⟧-", 1)))
        else:
            tokens.append(("drop", whole))
        return title
    if match["tag"]:
        tokens.append(("drop" if whole.lower().startswith("<img") else "lit", whole))
        return title
    if arxiv_url_form(whole):
        induced.url_forms.append(arxiv_url_form(whole) or "")
        tokens.append(("slot", "⟦url⟧"))
    else:
        tokens.append(("drop", whole))
    return title


def _contains_title(label: str, title: str) -> bool:
    plain = clean_title(plain_text(label))
    return bool(plain) and (plain == title or (len(title) > 12 and title in plain))


def _text_tokens(text: str, title: str, context: str, tokens: list[tuple[str, str]],
                 induced: Induced) -> str:
    """Tokens of a run of text between links: title, dates, venue, authors, literals, residue."""
    spans, title = run_spans(text, title, context, induced.authors, induced.venues,
                             authors_seen=any("⟦authors:" in value for _, value in tokens))
    position = 0
    for start, end, slot in sorted(spans):
        residue_tokens(text[position:start], tokens)
        tokens.append(("slot", slot))
        position = end
    residue_tokens(text[position:], tokens)
    return title
