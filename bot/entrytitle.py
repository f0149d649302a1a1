"""Best-effort plain-text title of the paper an entry block describes. Pure."""

from __future__ import annotations

import re

from bot.entrypieces import GENERIC_LINK_TEXT, PAPER_HOST, PIECE_PATTERN, plain_text

_QUOTES = "\"“”'‘’"
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_DATE_ONLY = re.compile(r"^\W*(?:\d{2,4}[./-]\d{1,2}(?:[./-]\d{1,2})?|(?:19|20)\d{2})\W*$")
_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTED = re.compile(r"[\"“]([^\"“”]{8,})[\"”]")
_TITLE_COLUMN = re.compile(r"title|paper|name|article", re.IGNORECASE)


def clean_title(text: str) -> str:
    """Whitespace collapsed, trailing punctuation and wrapping quotes removed."""
    text = " ".join(text.split()).rstrip(" .,;:")
    while len(text) > 1 and text[0] in _QUOTES and text.rstrip(" .,;:")[-1] in _QUOTES:
        text = text[1:].rstrip(" .,;:")[:-1].strip().rstrip(" .,;:")
    return text


def _usable(text: str) -> bool:
    if len(text) > 24:  # longer than any date or generic link label
        return True
    return bool(text) and not _DATE_ONLY.match(text) and not GENERIC_LINK_TEXT.match(text)


def entry_title(text: str, kind: str, columns: tuple[str, ...] = ()) -> str:
    """Best-effort plain-text title of the paper an entry block describes ("" if none)."""
    first = text.split("\n", 1)[0]
    if kind == "table_row":
        return _row_title(first, columns)
    if kind == "details":
        end = re.search(r"</summary\s*>", text, re.IGNORECASE)
        summary = re.sub(r"</?(?:details|summary)\b[^>]*>", "", text[: end.start()] if end else first)
        summary = re.split(r"\[?\s*<a\s|\s\[\s*(?=\[|<|http)", summary, maxsplit=1)[0]
        summary = re.sub(r"\s*\((?:19|20)\d{2}[a-z]?\)?\s*$", "", summary)
        return clean_title(plain_text(summary))
    body = first.lstrip()
    if body[:2] in ("- ", "* ", "+ "):
        body = body[2:].lstrip()
    elif body[:1].isdigit():
        body = _MARKER.sub("", body, count=1)
    fast = _fast_title(body)
    if fast:
        return fast
    for match in _BOLD.finditer(body):
        candidate = clean_title(plain_text(match[1] or match[2]))
        if _usable(candidate):
            return candidate
    for match in PIECE_PATTERN.finditer(body):
        if match["link"] or match["html_link"]:
            candidate = clean_title(plain_text(match[0]))
            if _usable(candidate):
                return candidate
    quoted = _QUOTED.search(body)
    if quoted:
        return clean_title(quoted[1])
    return clean_title(plain_text(body))


def _fast_title(body: str) -> str:
    """The common shapes `**[Title](url)**`, `**Title**` and `[Title](url)` without regular expressions."""
    inner = body
    if body.startswith("**"):
        end = body.find("**", 2)
        inner = body[2:end] if end > 2 else ""
    elif body[:1] == "[" and body[1:5].isdigit():  # a leading `[2025/02]` date
        close = body.find("] ")
        rest = body[close + 2 :] if 5 < close < 12 else ""
        return _fast_title(rest) if rest.startswith(("**", "[")) else ""
    if inner.startswith("["):
        middle = inner.find("](")
        inner = inner[1:middle] if middle > 0 else ""
        if "[" in inner or "]" in inner:
            return ""
    elif inner is body:
        return ""
    candidate = clean_title(plain_text(inner))
    return candidate if _usable(candidate) else ""


def _row_title(row: str, columns: tuple[str, ...]) -> str:
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
    for cell in cells:
        for match in PIECE_PATTERN.finditer(cell):
            url = match["link_url"] or match["hl_url"] or ""
            if url and PAPER_HOST.search(url):
                candidate = clean_title(plain_text(match[0]))
                if _usable(candidate):
                    return candidate
    for name, cell in zip(columns, cells, strict=False):
        if _TITLE_COLUMN.search(name) and _usable(clean_title(plain_text(cell))):
            return clean_title(plain_text(cell))
    texts = [clean_title(plain_text(c)) for c in cells]
    return max(texts, key=len, default="")
