"""What a section's heading says by itself: its words without outline numbers, and the years
it stands for when a list groups papers by year ("2024", "Before 2021", "2019-2020")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.curation.textfeatures import word_stems
from bot.papers.venues import VENUE_NAMES, venue_year

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
_BEFORE = re.compile(r"\b(before|earlier|older|prior|until|pre)\b", re.IGNORECASE)
_AFTER = re.compile(r"\b(after|since|later|onwards?|newer)\b", re.IGNORECASE)
_SHORT_YEAR = re.compile(r"['’]\d{2}(?!\d)")  # the "'23" of "NeurIPS'23"
# "A1.", "3.2", "C10.", "IV." before a heading's words (two digits at most: "2024" is a year)
_VENUE_ONLY = re.compile(rf"^\W*(?:{VENUE_NAMES})\W*$", re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(?:[A-Za-z]?\d{1,2}(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+")


@dataclass(frozen=True)
class YearSpan:
    """The publication years a year-named section accepts (inclusive)."""

    first: int
    last: int

    def accepts(self, year: int) -> bool:
        return self.first <= year <= self.last


def heading_words(heading: str) -> str:
    """A heading without its outline number ("A1. Jailbreak" -> "Jailbreak")."""
    return _NUMBERING.sub("", heading).strip()


def year_span(heading: str) -> YearSpan | None:
    """The years a heading such as "2024", "Before 2021", "2019-2020" or "NeurIPS'23" stands for."""
    text = heading_words(heading)
    years = [int(y) for y in _YEAR.findall(text)]
    if not years and (short := venue_year(text)) is not None:  # "NeurIPS'23"
        years, text = [short], _SHORT_YEAR.sub(" ", text)
    if not years or len(word_stems(_YEAR.sub(" ", text))) > 2:
        return None
    if _BEFORE.search(text):
        return YearSpan(0, min(years) - (0 if re.search(r"\band\b", text) else 1))
    if _AFTER.search(text):
        return YearSpan(max(years), 9999)
    return YearSpan(min(years), max(years))


def names_venue(heading: str) -> bool:
    """Whether a heading is a venue's name alone ("CVPR", "arXiv"): under a year group
    (`Year 2025 › CVPR`), a group of that year's papers, not a topic."""
    return bool(_VENUE_ONLY.match(heading_words(heading)))


def year_spans(headings: Sequence[str]) -> list[YearSpan | None]:
    """Spans of year-named sections, when the list groups papers by year (two or more such
    sections); a lone "2024" heading is more likely a topic's subsection than a year group."""
    spans = [year_span(h) if h else None for h in headings]
    return spans if sum(span is not None for span in spans) >= 2 else [None] * len(spans)
