"""Field-by-field comparison of a written entry with the original one (for benchmarks/format_shape.py).

Fields (issue #14):
  columns:  how many lines the entry has and, on table rows, how many cells each has;
  digits:   the digit-and-separator skeleton of every cell or line (digit runs as `d`, `-./,:` kept
            where a digit stands beside them, a space apart at most; letters and the rest dropped,
            and with them a separator between words, `Vision-Language`, `**Name**: Title`,
            `Fudan University / CityU`, and a list marker, which the markup field compares): dates,
            numbering, years beside venues;
  links:    the entry's links in order, each as what it shows (the title, a generic label such as
            `paper`, a badge) and where it points (arXiv abs/pdf/..., or another paper host);
            code links, project pages and badges arXiv cannot supply are left out;
  markup:   the structure with text collapsed (`bot.lists.entries.shape.core_shape`): markers,
            indentation, emphasis, link and tag placement.
A line that only links the paper's code (`  - Code: [official](https://github.com/...)`, also `[official]()`)
is left out of both entries unless the metadata carries the code link (`code_known`): without it the
writer leaves that line out, as the entries without code do, and an inline `[code](url)` is likewise
not compared (the side links of `bot.lists.entries.shape`).
A placeholder (`bot.lists.render.PLACEHOLDER`) stands for a cell or line only a maintainer can fill:
compared as that cell's text with letters collapsed, so it matches a short phrase and nothing with
digits or links in it.
"""

from __future__ import annotations

import re

from bot.lists.entries.labels import code_value, split_label
from bot.lists.entries.pieces import PIECE_PATTERN, arxiv_url_form, plain_text
from bot.lists.entries.shape import _SIDE_LINK_ANY_URL, _without_extras, core_shape
from bot.lists.render import PLACEHOLDER
from bot.lists.scan import split_cells

FIELDS = ("columns", "digits", "links", "markup")
_DIGITS = re.compile(r"\d+")
_KEEP = re.compile(r"[^d\-./,:]")
# A hyphen, slash or period between two letters is part of a word (`Vision-Language`, `and/or`,
# `U.S.`), not a separator of digits: dropped before the skeleton is taken.
_IN_WORD = re.compile(r"(?<=[^\W\d_])[-./]+(?=[^\W\d_])")
# In the skeleton (digits as `d`, other letters as `x`, spaces kept): a separator no digit stands beside.
_NOT_BY_DIGITS = re.compile(r"(?<!d)(?<!d )[-./,:]+(?! ?d)")
_PLACEHOLDER_WORDS = "to fill in"
_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])[ \t]+")


def compare(original: str, written: str, title: str, *, code_known: bool = False) -> dict[str, bool]:
    """Whether each field of `written` matches `original`."""
    a, b = fields_of(original, title, code_known=code_known), fields_of(written, title, code_known=code_known)
    return {field: a[field] == b[field] for field in FIELDS}


def fields_of(text: str, title: str, *, code_known: bool = False) -> dict[str, object]:
    """What each field compares of an entry: two entries match in a field when these are equal."""
    text = text.replace(PLACEHOLDER, _PLACEHOLDER_WORDS)
    if not code_known:
        text = _without_code_lines(text)
    bare = _without(text)
    return {"columns": _columns(bare), "digits": _digits(bare), "links": _links(text, title),
            "markup": core_shape(text)}


def _without_code_lines(text: str) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0], *(ln for ln in lines[1:]
                                  if code_value(*split_label(_MARKER.sub("", ln.strip()))) is None)])


def _without(text: str) -> str:
    return "\n".join(_without_extras(line) for line in text.split("\n"))


def _cells(text: str) -> list[list[str]]:
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        out.append(split_cells(stripped) if stripped.startswith("|") and stripped.count("|") >= 2 else [line])
    return out


def _columns(text: str) -> list[int]:
    return [len(cells) for cells in _cells(text)]


def _digits(text: str) -> list[list[str]]:
    no_urls = PIECE_PATTERN.sub(lambda m: m["link_text"] or m["hl_text"] or "" if (m["link"] or m["html_link"])
                                else "", text)
    return [[_KEEP.sub("", _NOT_BY_DIGITS.sub("", _DIGITS.sub(
        lambda m: "d" * len(m[0]), re.sub(r"[^\S ]", " ", _IN_WORD.sub("", cell).replace("d", "x"))))).strip(",.:")
             for cell in cells] for cells in _cells(no_urls)]


def _links(text: str, title: str) -> list[tuple[str, str]]:
    text = _SIDE_LINK_ANY_URL.sub("", text)
    out = []
    for match in PIECE_PATTERN.finditer(text):
        if match["link"] or match["html_link"]:
            url = match["link_url"] or match["hl_url"] or ""
            shown = plain_text(match["link_text"] if match["link"] else match["hl_text"])
            kind = "title" if title and title.lower()[:30] in shown.lower() else \
                "badge" if not shown.strip() else shown.strip().lower()[:20]
            out.append((kind, _target(url)))
        elif match["url"]:
            out.append(("bare", _target(match["url"])))
    return out


def _target(url: str) -> str:
    form = arxiv_url_form(url)
    if form:
        return form
    host = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return host[1].lower() if host else url[:20]
