"""Topics and their year groups: `Attacks › Jailbreak › 2025` is the topic `Attacks › Jailbreak`
and the year group `2025`.

Lists that group a topic's papers by year (or by venue and year: `ICLR 2024`) repeat each topic
under every group, or every group under each topic. What a paper is about decides the topic; its
venue and date decide the group: the group naming the venue arXiv gives (`CVPR 2024`), else the
group of that venue's year, else the group of the paper's first-version date. So the section
model learns one topic from the entries of all its groups (more examples, and no group competes
with its own topic), and `Topic.place` picks the group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.curation.headings import YearSpan, names_venue, year_span
from bot.lists.document import Entry, Section
from bot.papers.venues import venue_key, venue_year

# Why a paper went to a group, shown beside the path: its venue, or its venue's year
VENUE_REASON = "accepted at {venue}"
YEAR_REASON = "accepted at {venue}: no group names it, the group of its year"


@dataclass(frozen=True)
class Topic:
    """Sections that differ only in their year (or venue-and-year) headings."""

    key: tuple[str, ...]  # the path without its group headings
    sections: tuple[Section, ...]  # in document order
    spans: tuple[YearSpan | None, ...]  # the years each section's group headings stand for
    venues: tuple[frozenset[str], ...]  # the venues they name (`venue_key`): "iclr", "arxiv"

    @property
    def path(self) -> tuple[str, ...]:
        return self.key

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for s in self.sections for e in s.entries)

    def place(self, published: date | None, venue: str = "") -> Section:
        """The section of this topic for a paper of that date and venue (see `placement`)."""
        return self.placement(published, venue)[0]

    def placement(self, published: date | None, venue: str = "") -> tuple[Section, str]:
        """The section of this topic for a paper of that date, accepted at `venue` ("CVPR 2024",
        "CVPR" or ""), and why, when its venue decided ("accepted at CVPR 2024"; "" when its date
        did). A group naming the venue and its year first (a paper posted in November 2023 and
        accepted at CVPR 2024 goes under `2024 › CVPR`), then the group of the venue's year, then
        the group whose years hold the paper's date, else the nearest group (the newest for a
        paper newer than every group), else, with no date, the newest group."""
        dated = [(span, s, named) for span, s, named
                 in zip(self.spans, self.sections, self.venues, strict=True) if span]
        if not dated:
            return max(self.sections, key=_paper_count), ""
        name, year = venue_key(venue), venue_year(venue)
        if name:
            # no year with the venue: the year of the paper's first version, or the next one
            wanted = [year] if year else [published.year, published.year + 1] if published else []
            for target in wanted:
                for span, section, named in dated:
                    if name in named and span.accepts(target):
                        return section, VENUE_REASON.format(venue=venue)
        if year is None and published is None:
            return max(dated, key=lambda found: (found[0].last, found[0].first))[1], ""
        target = year if year is not None else published.year if published else 0

        def distance(span: YearSpan) -> int:
            return 0 if span.accepts(target) else min(abs(target - span.first), abs(target - span.last))

        # a group named for arXiv alone (`Year 2025 › arXiv`) first among equals: the paper comes
        # from arXiv, its venue unknown; a paper of a known venue goes before that to a group that
        # names no other venue; then document order: venues of one year ("ICLR 2024", "AAAI 2024")
        # stay in the order the maintainer keeps them
        chosen = min(dated, key=lambda found: (distance(found[0]),
                                               bool(name) and bool(found[2] - {name, "arxiv"}),
                                               not _preprints(found[1])))
        return chosen[1], YEAR_REASON.format(venue=venue) if year is not None else ""


def group_headings(paths: Iterable[Sequence[str]]) -> frozenset[str]:
    """Headings that name years rather than topics ("2025", "Before 2021", "ICLR 2024"), when
    the list has two or more of them: a lone "2024" is more likely a topic of its own. In such a
    list, a venue's name alone ("CVPR" in `Year 2025 › CVPR`) groups papers too."""
    paths = [tuple(path) for path in paths]
    named = {h for path in paths for h in path if year_span(h) is not None}
    if len(named) < 2:
        return frozenset()
    return frozenset(named | {h for path in paths for h in path if names_venue(h)})


def topic_key(path: Sequence[str], groups: frozenset[str]) -> tuple[str, ...]:
    """The path without its group headings."""
    return tuple(h for h in path if h not in groups)


def group_topics(sections: Sequence[Section], groups: frozenset[str] | None = None) -> list[Topic]:
    """The sections as topics, in the order each topic first appears; `groups` defaults to the
    group headings among these sections' paths."""
    if groups is None:
        groups = group_headings(s.path for s in sections)
    members: dict[tuple[str, ...], list[Section]] = {}
    for section in sections:
        members.setdefault(topic_key(section.path, groups), []).append(section)
    return [Topic(key, tuple(found), tuple(_span(s.path, groups) for s in found),
                  tuple(frozenset(v for h in s.path if h in groups and (v := venue_key(h)))
                        for s in found))
            for key, found in members.items()]


def _span(path: Sequence[str], groups: frozenset[str]) -> YearSpan | None:
    """The years all of a path's group headings allow ("AI4TS Papers 2024 › ICLR 2024": 2024)."""
    spans = [span for h in path if h in groups and (span := year_span(h)) is not None]
    if not spans:
        return None
    first, last = max(s.first for s in spans), min(s.last for s in spans)
    return YearSpan(first, last) if first <= last else spans[-1]


def _preprints(section: Section) -> bool:
    return section.heading.strip().lower() == "arxiv"


def _paper_count(section: Section) -> int:
    return sum(1 for e in section.entries if e.is_paper)
