"""`match_section`: find the section a maintainer means by the name they typed or configured.

`/add 2502.05206 to datasets` should find "🔖 Dataset & Benchmark"; a configured alias such as
"benchmarks" should too. Matching ignores case, emoji (also emoji garbled by a wrong encoding),
punctuation, outline numbers ("A1.") and plural endings, and falls back to the closest heading
when the name is a near miss. Headings with entries are preferred over empty ones of the same
name (a table of contents repeats every heading).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from bot.config import SectionHint
from bot.listdoc import ListDocument, Section
from bot.textfeatures import stem

# A typed name must be at least this similar to a heading to match it without an exact hit.
CLOSE_ENOUGH = 0.8
_PATH_SEPARATOR = re.compile(r"\s*(?:>|/|›|»|::)\s*")
_NUMBERING = re.compile(r"^(?:[a-z]?\d{1,2}(?:\.\d+)*\.?|[a-z]\.|[ivx]+\.)\s+")


def normalise_heading(text: str) -> str:
    """Lowercase words of a heading: no emoji, punctuation, outline number or plural endings."""
    kept = []
    for token in text.split():
        if not any(ch.isascii() and ch.isalnum() for ch in token):
            continue  # emoji, and emoji mis-decoded into accented letters ("üîñ")
        kept.append(token)
    folded = unicodedata.normalize("NFKD", " ".join(kept)).encode("ascii", "ignore").decode()
    folded = _NUMBERING.sub("", folded.lower().strip())
    folded = folded.replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", folded)
    return " ".join(stem(w) for w in words)


def match_section(doc: ListDocument, name: str, *, hints: Sequence[SectionHint] = ()
                  ) -> Section | None:
    """The section `name` refers to (a heading, a path such as "Survey > LRM Related", or a
    configured alias), or None when nothing is close."""
    wanted = _PATH_SEPARATOR.split(name.strip())
    wanted_keys = [normalise_heading(part) for part in wanted if normalise_heading(part)]
    if not wanted_keys:
        return None
    sections = _by_preference(doc)
    found = _exact(sections, wanted_keys)
    if found is not None:
        return found
    for hint in hints:
        names = (hint.name, *hint.aliases)
        if any(normalise_heading(n) == " ".join(wanted_keys) for n in names):
            for candidate in names:
                keys = [normalise_heading(p) for p in _PATH_SEPARATOR.split(candidate)]
                found = _exact(sections, [k for k in keys if k])
                if found is not None:
                    return found
    return _closest(sections, wanted_keys[-1])


def _by_preference(doc: ListDocument) -> list[Section]:
    """Sections holding papers first, then other sections with entries, then the rest."""
    def rank(section: Section) -> int:
        if any(e.is_paper for e in section.entries):
            return 0
        return 1 if section.entries else 2
    return sorted(doc.sections, key=rank)


def _exact(sections: Sequence[Section], keys: list[str]) -> Section | None:
    for section in sections:
        path = [normalise_heading(h) for h in section.path]
        if len(path) >= len(keys) and path[len(path) - len(keys):] == keys:
            return section
    return None


def _closest(sections: Sequence[Section], key: str) -> Section | None:
    best: tuple[float, int] = (0.0, -1)
    for index, section in enumerate(sections):
        heading = normalise_heading(section.heading)
        if not heading:
            continue
        if len(key) >= 4 and (f" {key} " in f" {heading} " or f" {heading} " in f" {key} "):
            # "datasets" within "dataset and benchmark": the closer in length, the better
            score = 0.9 + 0.05 * min(len(key), len(heading)) / max(len(key), len(heading))
        else:
            score = difflib.SequenceMatcher(None, key, heading).ratio()
        if score > best[0]:
            best = (score, index)
    return sections[best[1]] if best[0] >= CLOSE_ENOUGH else None
