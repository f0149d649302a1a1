"""Names of the venues papers are published at, as lists and metadata write them, and the venue a
paper's own metadata names ("Accepted at CVPR 2024" in its arXiv comment, its journal reference)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.papers.references import Paper

VENUE_NAMES = (
    r"arxiv|acl|emnlp|naacl|eacl|coling|neurips|nips|iclr|icml|aaai|ijcai|cvpr|iccv|eccv|kdd|www|"
    r"sigir|usenix(?: security)?|ccs|ndss|s&p|tmlr|jmlr|colm|tacl|findings|uai|aistats|corl|icra|"
    r"iros|acm mm|wacv|bmvc|interspeech|icassp|ieee s&p|tpami|tifs|tdsc"
)
VENUE_WORD = re.compile(rf"(?<![\w-])(?P<venue>{VENUE_NAMES})(?P<rest>[\w()'&-]*)", re.IGNORECASE)
_VENUE_NAME = re.compile(rf"(?<![\w-])(?:{VENUE_NAMES})(?![\w&-])", re.IGNORECASE)
# The words with which a comment states an acceptance.
_ACCEPTANCE = r"\b(?i:accepted|to appear|published|camera[- ]ready)\b"
_ACCEPTED = re.compile(
    _ACCEPTANCE + r"[^.;]{0,40}?\b(?:at|in|to|by|for|as|of)\s+"
    rf"(?:the\s+)?(?P<venue>{VENUE_NAMES})(?![\w&-])",
    re.IGNORECASE,
)
# A venue the list of known names lacks, named where a comment states the acceptance, with its year:
# "Accepted by ICSE 2024", "to appear in IEEE Transactions on Software Engineering, 2025",
# "... (ESEC/FSE '23)".
_NAME_WORDS = r"[A-Z][\w&/+.\-]*(?:\s+(?:[A-Z][\w&/+.\-]*|of|on|and|for|in|&)){0,6}"
_ANY_YEAR = r"(?P<year>(?:19|20)\d{2}|['’]\d{2})(?![\w'’])"
_ACCEPTED_ANY = re.compile(
    _ACCEPTANCE + r"[^.;]{0,40}?\b(?:at|in|to|by|for|as|of)\s+"
    rf"(?:the\s+)?(?P<name>{_NAME_WORDS})[\s,]*{_ANY_YEAR}"
    # the venue's short name in parentheses, in the sentence that states the acceptance, not a
    # citation elsewhere in the comment ("... extends (Smith 2023)")
    rf"|{_ACCEPTANCE}[^.;()]{{0,120}}"
    rf"\((?P<short>[A-Z][\w&/+\-]*(?:\s[A-Z][\w&/+\-]*){{0,2}})\s*"
    rf"{_ANY_YEAR.replace('year', 'short_year')}\)")
_YEAR_TAIL = re.compile(r"(?:'?\d{2}|\d{4})?")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# "NeurIPS'23", "ICLR ’24": a venue's year as lists abbreviate it
_SHORT_YEAR = re.compile(rf"(?<![\w-])(?:{VENUE_NAMES})\s*['’](\d{{2}})(?!\d)", re.IGNORECASE)


def venue_of(paper: Paper, *, with_year: bool) -> str:
    """The venue arXiv metadata names as accepted or published ("" when it names none)."""
    return venue_named(paper.journal_ref, paper.comment, known=paper.venue, with_year=with_year)


def venue_named(journal_ref: str, comment: str, *, known: str = "", with_year: bool) -> str:
    """The venue a journal reference or an arXiv comment names as accepted or published
    ("CVPR 2024", or "CVPR" without its year); `known` (from a scholarly index) wins."""
    if known:  # known from a scholarly index (bot.papers.scholarly): "NAACL 2021"
        return known if with_year else re.sub(r"\s+(?:19|20)\d{2}$", "", known)
    found = [(journal_ref, m[0]) for m in _VENUE_NAME.finditer(journal_ref)]
    found += [(comment, m["venue"]) for m in _ACCEPTED.finditer(comment)]
    for text, name in found:
        if name.lower() == "arxiv":
            continue
        year = _YEAR.search(text)
        return f"{name} {year[0]}" if with_year and year else name
    return _other_venue(comment, with_year=with_year)


def _other_venue(comment: str, *, with_year: bool) -> str:
    """A venue not among the known names, where the comment states its acceptance and names it with its
    year (`Accepted by ICSE 2024` -> "ICSE 2024"); "" otherwise."""
    for match in _ACCEPTED_ANY.finditer(comment):
        name = (match["name"] or match["short"]).rstrip(" ,.")
        if name.lower().startswith("arxiv") or name.lower() in ("the", "and", "in"):
            continue
        year = (match["year"] or match["short_year"]).lstrip("'’")
        year = year if len(year) == 4 else f"20{year}"
        return f"{name} {year}" if with_year else name
    return ""


def venue_key(text: str) -> str:
    """A venue's name as headings and metadata are compared: lowercase, letters and digits only
    ("NeurIPS" and "neurips", "S&P" and "s p" alike); "" when `text` names no venue."""
    for match in VENUE_WORD.finditer(text):
        if _YEAR_TAIL.fullmatch(match["rest"]):  # "ICLR2024", "NeurIPS'23", not "ACLU"
            return re.sub(r"[\W_]+", "", match["venue"].lower())
    return ""


def venue_year(text: str) -> int | None:
    """The year a venue's name carries: "CVPR 2024", "ICLR2024", "NeurIPS'23" (None without one)."""
    if year := _YEAR.search(text):
        return int(year[0])
    if short := _SHORT_YEAR.search(text):
        return 2000 + int(short[1])
    return None

