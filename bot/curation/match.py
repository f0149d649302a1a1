"""`match_section`: find the section a maintainer means by the name they typed or configured.

`/add 2502.05206 to datasets` should find "🔖 Dataset & Benchmark"; a configured alias such as
"benchmarks" should too. A name is a path or any tail of one: `Jailbreak`, `Attacks › Jailbreak`,
`attacks/jailbreak`. Matching ignores case, emoji (also emoji garbled by a wrong encoding),
punctuation, outline numbers ("A1.") and plural endings, and falls back to the closest heading
when the name is a near miss. Headings with entries are preferred over empty ones of the same
name (a table of contents repeats every heading). A topic grouped by year (`Jailbreak › 2025`,
`Jailbreak › 2024`) is named without its year: the paper's venue or date picks the group. A tail that
names several topics (`Papers` under each of them) matches none: `section_matches` lists them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from bot.config import SectionHint
from bot.curation.groups import group_headings, group_topics, topic_key
from bot.curation.textfeatures import stem
from bot.lists.document import ListDocument, Section

PATH_JOIN = " › "

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


def match_section(doc: ListDocument, name: str, *, hints: Sequence[SectionHint] = (),
                  published: date | None = None, venue: str = "") -> Section | None:
    """The section `name` refers to (a heading, a path or its tail such as "Survey > LRM Related",
    or a configured alias); None when nothing is close or the name is ambiguous. For a topic
    grouped by year, its group for `venue` and `published` (the newest group without either)."""
    found = section_matches(doc, name, hints=hints, published=published, venue=venue)
    return found[0] if len(found) == 1 else None


def section_matches(doc: ListDocument, name: str, *, hints: Sequence[SectionHint] = (),
                    published: date | None = None, venue: str = "") -> list[Section]:
    """Every section `name` may mean, one per topic: one when it is unambiguous, several when
    it is the tail of more than one path, none when nothing is close."""
    wanted_keys = _keys(name)
    if not wanted_keys:
        return []
    groups = group_headings(s.path for s in doc.paper_sections())
    ranked = _by_preference(doc)
    found = _exact(ranked, wanted_keys, groups)
    if not found:
        for hint in hints:
            names = (hint.name, *hint.aliases)
            if any(normalise_heading(n) == " ".join(wanted_keys) for n in names):
                for candidate in names:
                    found = _exact(ranked, _keys(candidate), groups)
                    if found:
                        break
            if found:
                break
    if not found:
        closest = _closest([s for _, s in ranked], wanted_keys[-1])
        found = [closest] if closest is not None else []
    return [topic.place(published, venue) for topic in group_topics(found, groups)]


def paths_named(paths: Sequence[Sequence[str]], name: str) -> list[tuple[str, ...]]:
    """The topics (paths without year groups) among `paths` that `name` is an exact tail of:
    what a reply lists when a name is ambiguous."""
    groups = group_headings(paths)
    keys = _keys(name)
    named = dict.fromkeys(topic_key(p, groups) for p in paths
                          if keys and any(_ends_with(q, keys) for q in (p, topic_key(p, groups))))
    return list(named)


def shared_prefix(paths: Sequence[Sequence[str]]) -> int:
    """How many leading headings all paths share (the list's title, a "Papers" heading), never
    a path's last: words every section has say nothing about any of them, and a label can
    leave them out."""
    if not paths:
        return 0
    shortest = min(len(p) for p in paths)
    count = 0
    while count < shortest - 1 and len({p[count] for p in paths}) == 1:
        count += 1
    return count


def path_label(path: Sequence[str], shared: int = 0) -> str:
    """A path as people read it: `Attacks › Jailbreak › 2025`, without `shared` leading headings."""
    return PATH_JOIN.join(path[min(shared, len(path) - 1):] if path else ())


def _keys(name: str) -> list[str]:
    return [key for part in _PATH_SEPARATOR.split(name.strip()) if (key := normalise_heading(part))]


def _ends_with(path: Sequence[str], keys: list[str]) -> bool:
    normalised = [key for h in path if (key := normalise_heading(h))]
    return len(normalised) >= len(keys) and normalised[len(normalised) - len(keys):] == keys


def _by_preference(doc: ListDocument) -> list[tuple[int, Section]]:
    """Sections holding papers first, then other sections with entries, then the rest."""
    def rank(section: Section) -> int:
        if any(e.is_paper for e in section.entries):
            return 0
        return 1 if section.entries else 2
    return sorted(((rank(s), s) for s in doc.sections), key=lambda pair: pair[0])


def _exact(ranked: Sequence[tuple[int, Section]], keys: list[str], groups: frozenset[str]
           ) -> list[Section]:
    """The sections of the best rank whose path, or path without year groups, ends with `keys`."""
    found: list[Section] = []
    found_rank = 0
    for rank, section in ranked:
        if found and rank > found_rank:
            break
        if keys and (_ends_with(section.path, keys)
                     or _ends_with(topic_key(section.path, groups), keys)):
            found.append(section)
            found_rank = rank
    return sorted(found, key=lambda s: s.line)


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
