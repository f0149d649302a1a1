"""Labels: the lines a list groups papers under when it does not use a heading. A `<details>` fold's
summary (`<summary><b>1.1 Feature Engineering</b></summary>`), a bullet that holds the papers
nested under it (`- **Year 2025**` > `  - **CVPR**`, `1. **Model backdoor**`, `- Query-based RAG`),
or a line set apart as a heading would be: bold or `<b>` alone on its line
(`<b>1.1.1 Item Scoring</b>`), a one-line block quote (`> Superconducting`). Maintainers read them
as headings, so the reader makes them sections. Also: which headings name a year (or a venue's
year), which a list may write at the level of the topic they belong to. Pure.
"""

from __future__ import annotations

import re

from bot.lists.entries.pieces import GENERIC_LINK_TEXT, PIECE_PATTERN, looks_like_title, plain_text

LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE_MARKER = re.compile(r"^[ \t]*(?:>[ \t]?)+")
# The whole line emphasised: `**X**`, `__X__`, `` `X` ``, `<b>X</b>`, `<strong>X</strong>`, inside an
# optional `<span ...>` (an anchor), with an optional colon after. Not `*X*`: a line of italics is
# an entry's authors more often than a label.
_EMPHASISED = re.compile(
    r"^(?:<span\b[^>]*>\s*)?(?:\*\*(?P<a>[^*]+?)\*\*|__(?P<b>[^_]+?)__|`(?P<d>[^`]+?)`"
    r"|<(?P<tag>b|strong)\b[^>]*>(?P<e>.+?)</(?P=tag)\s*>)\s*(?:</span\s*>)?\s*:?\s*$",
    re.IGNORECASE,
)
# Fold summaries that only say "there is more here": the fold continues its section.
_FOLD_WORDS = frozenset("""more show hide click expand collapse toggle see view read all full rest here
    details to the me for list open""".split())
MAX_LABEL_WORDS = 12
_EDGE_PUNCTUATION = " \t:：+-–—|>"

_YEAR = r"(?:19[89]\d|20\d\d)"
# A heading that names years rather than a topic: "2025", "Year 2024", "2020 and before",
# "2019-2020", "Before 2021", "ICLR 2024" (one word before the year, a venue).
YEAR_HEADING = re.compile(
    rf"^\W*(?:year\s+|(?:before|after|since|until|pre)\s+|[A-Za-z][\w&-]{{1,15}}\s+)?{_YEAR}"
    rf"(?:\s*(?:-|–|~|to)\s*{_YEAR})?(?:\s+(?:and\s+)?(?:before|earlier|older|prior|after|later|onwards?))?\W*$",
    re.IGNORECASE,
)


def is_year_heading(text: str) -> bool:
    return bool(YEAR_HEADING.match(text))


def _clean(text: str) -> str:
    return text.strip(_EDGE_PUNCTUATION).strip()


def _links_out(markdown: str) -> str:
    """The text without its links and images ("Superconducting + [[IBM]](url)" -> "Superconducting +")."""
    return PIECE_PATTERN.sub(lambda m: m[0] if m["tag"] else " ", markdown)


def _label(markdown: str) -> str:
    """A label's plain text: its own words, else (a link is all it is) the link's words."""
    own = _clean(plain_text(_links_out(markdown)))
    return own or _clean(plain_text(markdown))


def emphasised_label(line: str) -> str:
    """The label of a line that is nothing but an emphasised phrase (`**Year 2025**`, `<b>1.1 X</b>`,
    `` `Dialogue`: ``), "" otherwise."""
    match = _EMPHASISED.match(line.strip())
    if not match or "](" in line or "://" in line:
        return ""
    text = _label(next(g for g in match.group("a", "b", "d", "e") if g))
    return text if text and len(text.split()) <= MAX_LABEL_WORDS else ""


def bullet_label(line: str) -> str:
    """A list item's first line as a label: emphasised (`- **Year 2025**`, ``+ `Dialogue`:``) or a
    few plain words (`- Query-based RAG`); "" when it reads as a paper (a link, a title) or a
    sentence."""
    body = LIST_MARKER.sub("", line, count=1).strip()
    if not body or "](" in body or "://" in body or "href" in body.lower():
        return ""
    emphasised = emphasised_label(body)
    if emphasised:
        return emphasised
    text = _label(body)
    if not text or len(text.split()) > 8 or looks_like_title(text) or text.endswith((".", "?", "!")):
        return ""
    return text


def quote_label(lines: list[str]) -> str:
    """A block quote of one short line naming a group (links beside its name allowed:
    `> Superconducting + [[IBM Quantum]](url)`), "" otherwise."""
    if len(lines) != 1:
        return ""
    body = _QUOTE_MARKER.sub("", lines[0]).strip()
    text = _clean(plain_text(_links_out(body)))
    if not text or len(text.split()) > 6 or looks_like_title(text) or text.endswith((".", "?", "!")):
        return ""
    return text


def fold_label(summary: str) -> str:
    """A `<details>` summary as a label: its text, "" when it only offers more ("more", "Click to
    expand") or says nothing."""
    text = _label(re.sub(r"</?(?:details|summary)\b[^>]*>", " ", summary, flags=re.IGNORECASE))
    words = re.findall(r"[a-z]+", text.lower())
    if not text or all(w in _FOLD_WORDS for w in words) or len(text.split()) > MAX_LABEL_WORDS:
        return ""
    return text


def names_own_paper(text: str) -> bool:
    """Whether an entry's first line gives a paper in words of its own (a title, a named link), not
    only links called "arXiv" or "Code": a bullet holding only such links is the paper's, not a group's."""
    first = LIST_MARKER.sub("", text.split("\n", 1)[0], count=1)

    def words(match: re.Match[str]) -> str:
        if match["link"]:
            return "" if GENERIC_LINK_TEXT.match(plain_text(match["link_text"])) else match["link_text"]
        return " "

    return len(re.findall(r"[^\W\d_]{2,}", plain_text(PIECE_PATTERN.sub(words, first)))) >= 2
