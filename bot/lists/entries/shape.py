"""The shape of an entry: its Markdown skeleton with the text collapsed, to compare a written entry
with the ones around it. Pure.

`strict` keeps every piece of punctuation and every badge: only runs of letters and digits become
`a`. `core` first drops what arXiv cannot tell the bot (badges, emoji, code and project links) and
then collapses all text, so it compares structure: lines, indentation, list markers, emphasis,
links, HTML tags, table columns.
"""

from __future__ import annotations

import re

from bot.lists.entries.pieces import strip_emoji
from bot.lists.scan import split_cells

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"[^\S\n]+")
_PROSE_EMPHASIS = re.compile(r"t(?:(\*\*|\*|__|_)t\1t?)+")  # emphasis inside running text
_BADGE = re.compile(
    r"\[\s*(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)\s*\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>"
)
_GONE = "\x00"  # where a badge or emoji was
_GONE_WITH_SPACES = re.compile(r"[ \t\u00a0]*\x00+")
_EMPTY_EMPHASIS = re.compile(r"(\*\*|__|~~)[\s\x00]*\1")  # what is left of `**⭐**` once the emoji is dropped
_URL_IN_LINK = re.compile(r"\]\(\s*[^)\s]*\s*\)")
_HREF = re.compile(r"href=\"[^\"]*\"")
_BARE_URL = re.compile(r"https?://\S+")
# `[code](url)`, `[[code](url)]`, `[[Code]](url)`, `[\\[official code\\]](url)` (escaped brackets in
# the link text)
_SIDE_LINK = re.compile(
    r"[ ,;|]*\[?\[(?:\\\[)?(?:(?:official )?code|github(?: repo)?|project(?: page)?|website|page|homepage|"
    r"demo|data|dataset|source|paper list|blog|slides?|video|model|huggingface|hf|star|leaderboard)\d?"
    r"(?:\\\])?\]\]?\(U\)\]?"
    r"|[ ,;|]*\[?<a href=\"U\">(?:code|github|project|website|demo|data|dataset|blog)</a>\]?",
    re.IGNORECASE,
)
_SIDE_LINK_ANY_URL = re.compile(_SIDE_LINK.pattern.replace(r"\(U\)", r"\([^)]*\)").replace(
    'href=\\"U\\"', 'href="[^"]*"'), re.IGNORECASE)
# In a table row a side link fills a cell of its own: dropping it must not drop the cell's pipe.
_SIDE_LINK_IN_CELL = re.compile(_SIDE_LINK_ANY_URL.pattern.replace("[ ,;|]*", "[ ,;]*"), re.IGNORECASE)
_TEXT_RUN = re.compile(r"[^\s\[\]*_|<>\"“”`#=\x01]+(?:[ \t]+[^\s\[\]*_|<>\"“”`#=\x01]+)*")
_MARKER = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(\s+)")
_EDGE_BREAKS = re.compile(r"^(?:\s*<br\s*/?\s*>)+\s*|\s*(?:<br\s*/?\s*>\s*)+$", re.IGNORECASE)


def strict_shape(text: str, *, drop_extras: bool = False) -> str:
    """Runs of letters and digits become `a`, runs of spaces one space; indentation is kept.
    `drop_extras` first removes badges, emoji and code/project links (what arXiv cannot tell)."""
    if drop_extras:
        text = "\n".join(_without_extras(line) for line in text.split("\n"))
    return "\n".join(_strict_line(line) for line in text.split("\n"))


def _without_extras(line: str) -> str:
    """The line without badges, emoji and side links, each with the spaces before it (as the bot
    drops them)."""
    indent = line[: len(line) - len(line.lstrip())]
    body = _BADGE.sub(_GONE, line.strip())
    if not body.isascii():
        body = "".join(_GONE if ch.strip() and not strip_emoji(ch) else ch for ch in body)
    if _GONE in body:
        body = _GONE_WITH_SPACES.sub("", _EMPTY_EMPHASIS.sub(_GONE, body))
    side = _SIDE_LINK_IN_CELL if body.startswith("|") and body.count("|") >= 2 else _SIDE_LINK_ANY_URL
    return indent + side.sub("", body).rstrip()


def _drop_empty_emphasis(text: str) -> str:
    return _EMPTY_EMPHASIS.sub("", text) if "**" in text or "__" in text or "~~" in text else text


def _strict_line(line: str) -> str:
    if not line.strip():
        return ""
    indent = len(line) - len(line.lstrip())
    body = _SPACES.sub(" ", _WORD.sub("a", line.strip()))
    return " " * indent + body + ("⏎" if line.endswith("  ") and line.strip() else "")


def core_shape(text: str) -> str:
    """The structure without the parts arXiv metadata cannot fill."""
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            cells = [_core_cell(cell) for cell in split_cells(stripped)]
            lines.append("|" + "|".join(cells) + "|")
            continue
        lines.append(_core_line(line))
    return "\n".join(lines)


def _core_cell(cell: str) -> str:
    """A cell's structure; a cell of plain text, or one whose only link arXiv cannot tell (`[Github](...)`,
    `[Demo](...)`) is gone, is text (`t`) like the `-` or the placeholder written in its place. Line
    breaks at its edge that set a dropped badge apart go with it (`![Star](...) <br> [Title](url) <br>`),
    as the writer drops them with the badge."""
    if "](" not in cell:
        return "t"
    without_badge = _BADGE.sub("", cell)
    if without_badge != cell:
        cell = _EDGE_BREAKS.sub("", without_badge)
    return _core_line(cell).strip() or "t"


def _core_line(line: str) -> str:
    if not line.strip():
        return ""
    indent = len(line) - len(line.lstrip())
    marker = _MARKER.match(line)
    prefix = ""
    body = line.strip()
    if marker:
        prefix = "1." if marker[2][0].isdigit() else marker[2]
        body = line[marker.end():].strip()
    body = _drop_empty_emphasis(strip_emoji(_BADGE.sub("", body)))
    body = _HREF.sub('href="U"', _URL_IN_LINK.sub("](U)", body))
    body = _BARE_URL.sub("U", body)
    body = _SIDE_LINK.sub("", body)
    # A link's target is structure; other parentheses, and pipes outside tables, are prose.
    body = body.replace("](U)", "\x01").replace("|", " ")
    body = _SPACES.sub("", _TEXT_RUN.sub("t", body)).replace("\x01", "](t)")
    body = _PROSE_EMPHASIS.sub("t", body)
    return " " * indent + prefix + (" " if prefix and body else "") + body
