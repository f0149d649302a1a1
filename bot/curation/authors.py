"""Who wrote what a section lists: a paper by authors a section already lists probably belongs there.

Lists that write authors (`*Xinghao Chen, Anhao Zhao, ...*`, `*Shahul Es et al.*`) say which groups
work on which topic, and groups publish series. A name is compared as its first initial and last
name (`X Chen`), as lists and arXiv spell names differently ("Xinghao Chen", "X. Chen"). Lists
without authors give nothing here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.lists.entries.pieces import looks_like_authors, split_authors

if TYPE_CHECKING:
    from bot.lists.document import Section

# Where lists put author names: an emphasised run (`*A, B*`, `_A et al._`) or the text after a ` / `.
_AUTHOR_RUN = re.compile(r"(?<![*\w])[*_]([^*_\n]{3,400})[*_](?![*\w])|/\s+([^/\n]{3,400})$", re.MULTILINE)


def author_key(name: str) -> str:
    """`Xinghao Chen`, `X. Chen` -> `x chen`; "" for a single word (an organisation, a handle)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    parts = folded.replace(".", " ").split()
    if len(parts) < 2 or not parts[0][:1].isalpha():
        return ""
    return f"{parts[0][0]} {parts[-1]}".lower()


def author_keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in map(author_key, names) if key)


def authors_in_entry(text: str) -> frozenset[str]:
    """The author keys an entry's Markdown names (none when it names no people)."""
    if "*" not in text and "_" not in text and "/" not in text:
        return frozenset()
    names: list[str] = []
    for match in _AUTHOR_RUN.finditer(text):
        run = (match[1] or match[2] or "").strip(" \t*_")
        if looks_like_authors(run):
            names += split_authors(run)[0]
    return author_keys(names)


SAMPLE = 40  # paper entries looked at to tell whether a list writes authors at all


def writes_authors(sections: Iterable[Section]) -> bool:
    """Whether the list names authors in its entries, judged on a sample spread over the list:
    most lists do not, and reading every entry of a 5,000-entry list for names costs ~100 ms."""
    entries = [e for s in sections for e in s.entries if e.is_paper]
    step = max(1, len(entries) // SAMPLE)
    return any(authors_in_entry(e.text) for e in entries[::step])


@dataclass(frozen=True)
class AuthorIndex:
    """Which sections list which authors."""

    sections: tuple[frozenset[str], ...]
    spread: dict[str, int]  # author -> how many sections list them

    @classmethod
    def build(cls, sections: Iterable[frozenset[str]]) -> AuthorIndex:
        sections = tuple(sections)
        spread: dict[str, int] = {}
        for names in sections:
            for name in names:
                spread[name] = spread.get(name, 0) + 1
        return cls(sections, spread)

    def scores(self, authors: frozenset[str]) -> list[float]:
        """Per section, 0..1: the most telling author it shares with the paper (an author listed in
        one section tells more than one listed everywhere, such as the list's own maintainer)."""
        count = len(self.sections)
        known = {a: math.log(1 + count / self.spread[a]) / math.log(1 + count)
                 for a in authors if a in self.spread}
        if not known:
            return [0.0] * count
        return [max((weight for a, weight in known.items() if a in names), default=0.0)
                for names in self.sections]
