"""Section choice for a paper, and `match_section` for `/add ... to <section>`.

`choose_section` learns the list's sections from the list itself (see `bot.curation.model`): the
model is built once per document text and hint set and cached, so a 5,000-entry list costs its
build once and a few milliseconds per paper after that. Relevance of new papers lives in
`bot.curation.relevance`.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cachetools import LRUCache

from bot.config import SectionHint
from bot.curation.authors import author_keys, authors_in_entry, writes_authors
from bot.curation.groups import Topic, group_topics
from bot.curation.latex import latex_to_prose
from bot.curation.match import match_section, shared_prefix
from bot.curation.model import SectionExample, SectionModel, build_model
from bot.lists.document import ListDocument, Section

__all__ = [
    "SectionChoice",
    "candidate_sections",
    "choose_section",
    "forget_models",
    "match_section",
    "section_model",
]

MAX_CANDIDATES = 5
# A choice is confident when the best section's share (softmax over candidates) is at least
# this: on the dev lists about 60% of choices are, and those are right about nine times in ten
# (benchmarks/README.md); the others are flagged for the maintainer's review.
CONFIDENT_SHARE = 0.7
# Softmax temperature that turns fused scores into shares; fitted on the dev lists so that the
# average top share matches the top-1 accuracy (0.72 vs 0.73).
SCORE_TEMPERATURE = 0.1
# Below this best raw score no section really matched (no shared words): use the default section.
NOTHING_MATCHED = 0.02
# How much an abstract counts next to the title (titles are what lists are organised by).
ABSTRACT_WEIGHT = 0.5
MODEL_CACHE_SIZE = 4  # models grow with their list (about 8 MB per 1,000 entries): few, by RSS

_HTML_COMMENT = re.compile(r"<!--.*?-->")
# Empty headings that announce something other than papers never become candidates.
_NOT_PAPERS = frozenset("""talk talks presentation presentations scholar scholars people news article
    articles blog blogs video videos tutorial tutorials course courses contributing contribution
    contributions contributors license citation citations contact acknowledgements
    acknowledgments faq todo""".split())
_models: LRUCache[tuple[str, str], tuple[list[Topic], SectionModel]] = LRUCache(
    maxsize=MODEL_CACHE_SIZE)
_models_lock = threading.Lock()


@dataclass(frozen=True)
class SectionChoice:
    section: Section
    score: float  # the chosen section's share, 0..1
    candidates: tuple[tuple[Section, float], ...]  # best first, up to 5, with shares
    confident: bool
    # Why the chosen section's year group, when the paper's venue decided it ("accepted at CVPR
    # 2024"); "" when its date did or the list has no year groups.
    reason: str = ""
    # Each candidate is a topic placed in its year group by the paper's venue or date; the share is
    # the topic's (groups of one topic never compete with each other).


def candidate_sections(doc: ListDocument, hints: Sequence[SectionHint] = ()) -> list[Section]:
    """Sections a paper may go to: those holding papers, empty headings beside them (a topic the
    maintainer has just opened), plus any a hint names (a list that is just starting has
    headings but few or no entries)."""
    chosen = {s.line: s for s in doc.paper_sections()}
    for section in _empty_topics(doc, chosen.values()):
        chosen.setdefault(section.line, section)
    for hint in hints:
        section = match_section(doc, hint.name, hints=hints)
        if section is not None:
            chosen.setdefault(section.line, section)
    return [chosen[line] for line in sorted(chosen)]


def _empty_topics(doc: ListDocument, paper_sections: Iterable[Section]) -> list[Section]:
    """Leaf headings with nothing under them whose parent also holds paper sections: "### Fine-
    Tuning" under "## Defenses" before its first paper arrives. Its heading words are all the
    model knows of it, and its size prior keeps it from winning without them."""
    parents = {s.path[:-1] for s in paper_sections if len(s.path) > 1}
    lines: list[str] | None = None
    empty = []
    for index, section in enumerate(doc.sections):
        following = doc.sections[index + 1] if index + 1 < len(doc.sections) else None
        if (following is not None and following.level > section.level) or section.entries \
                or section.path[:-1] not in parents:
            continue
        lines = doc.text.split("\n") if lines is None else lines
        body = lines[section.line + 1 : section.end_line]
        if all(not line.strip() or _HTML_COMMENT.fullmatch(line.strip()) for line in body) \
                and not set(re.findall(r"[a-z]+", section.heading.lower())) & _NOT_PAPERS:
            empty.append(section)
    return empty


def section_model(doc: ListDocument, hints: Sequence[SectionHint] = ()
                  ) -> tuple[list[Topic], SectionModel] | None:
    """The candidate topics (sections grouped by year folded into one) and their model, built
    once per document text and hints (LRU-cached)."""
    key = _cache_key(doc.text, hints)
    with _models_lock:
        cached = _models.get(key)
    if cached is not None:
        return cached
    candidates = candidate_sections(doc, hints)
    if not candidates:
        return None
    topics = group_topics(candidates)
    shared = shared_prefix([t.key for t in topics])
    authors = writes_authors(candidates)
    examples = [_example(topic, [h for s in topic.sections for h in _hints_for(doc, s, hints)],
                         shared, authors) for topic in topics]
    built = (topics, build_model(examples))
    with _models_lock:
        _models[key] = built
    return built


def choose_section(
    doc: ListDocument,
    title: str,
    abstract: str = "",
    *,
    categories: Sequence[str] = (),
    published: date | None = None,
    venue: str = "",
    authors: Sequence[str] = (),
    hints: Sequence[SectionHint] = (),
    default_section: str | None = None,
) -> SectionChoice | None:
    """The section this paper belongs in, with runners-up; None when the list has no sections
    that hold papers. `categories` are accepted for symmetry with relevance but lists are
    organised by topic words, which the title carries; `authors` (names as arXiv gives them)
    count where the list writes authors; `venue` (as `bot.papers.venues.venue_of` gives it:
    "CVPR 2024") picks the year group before `published` does."""
    del categories
    title, abstract = latex_to_prose(title), latex_to_prose(abstract)  # as arXiv's readers see them
    built = section_model(doc, hints)
    if built is None:
        return None
    topics, model = built
    scores = model.scores(title, published, author_keys(authors))
    if abstract.strip():
        extra = model.scores(abstract, None)
        scores = [s + ABSTRACT_WEIGHT * e for s, e in zip(scores, extra, strict=True)]
    shares = _softmax(scores)
    order = sorted(range(len(topics)), key=lambda i: -scores[i])
    placed = [topics[i].placement(published, venue) for i in order[:MAX_CANDIDATES]]
    ranked = tuple((section, round(shares[i], 4)) for (section, _), i in zip(placed, order, strict=False))
    best = order[0]
    if default_section and model.text_match(title + " " + abstract) < NOTHING_MATCHED:
        fallback = match_section(doc, default_section, hints=hints, published=published, venue=venue)
        if fallback is not None:
            return SectionChoice(fallback, 0.0, ranked, confident=False)
    return SectionChoice(ranked[0][0], ranked[0][1], ranked,
                         confident=shares[best] >= CONFIDENT_SHARE,
                         reason=placed[0][1])


def nearest_listed_paper(doc: ListDocument, title: str) -> tuple[str, float] | None:
    """The listed paper whose title is most like `title`, with a 0..1 similarity."""
    built = section_model(doc)
    return built[1].nearest_entry(title) if built is not None else None


def _example(topic: Topic, hints: Sequence[SectionHint], shared: int, authors: bool
             ) -> SectionExample:
    papers = [e for e in topic.entries if e.is_paper]
    titles = tuple(e.title or e.text for e in papers)
    hint_texts = tuple(
        text for hint in hints for text in (hint.name, *hint.aliases, *hint.keywords)
    )
    return SectionExample(headings=topic.key[shared:], titles=titles, hint_texts=hint_texts,
                         linked=sum(1 for e in papers if e.arxiv_ids),
                         months=tuple(m for e in papers for m in _months(e.arxiv_ids[:1])),
                         authors=frozenset().union(*(authors_in_entry(e.text) for e in papers))
                         if authors else frozenset())


def _hints_for(doc: ListDocument, section: Section, hints: Sequence[SectionHint]
               ) -> list[SectionHint]:
    return [h for h in hints if (m := match_section(doc, h.name, hints=hints)) is not None
            and m.line == section.line]


def arxiv_id_date(arxiv_id: str) -> date | None:
    """The month a new-style arXiv id was issued (`2502.05206` -> 2025-02-01)."""
    if len(arxiv_id) >= 9 and arxiv_id[4] == "." and arxiv_id[:4].isdigit():
        month = int(arxiv_id[2:4])
        if 1 <= month <= 12:
            return date(2000 + int(arxiv_id[:2]), month, 1)
    return None


def _months(arxiv_ids: Sequence[str]) -> list[int]:
    issued = [arxiv_id_date(i) for i in arxiv_ids]
    return [d.year * 12 + d.month for d in issued if d is not None]


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    weights = [math.exp((s - top) / SCORE_TEMPERATURE) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


def _cache_key(text: str, hints: Sequence[SectionHint]) -> tuple[str, str]:
    # The text itself: a str caches its hash, so a lookup costs nothing once the text was seen.
    return text, repr([(hint.name, hint.aliases, hint.keywords) for hint in hints])


def forget_models() -> None:
    """Drop every cached section model (benchmarks measure the first build with this)."""
    with _models_lock:
        _models.clear()
