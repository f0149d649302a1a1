"""The per-list section model: what each section of one list is about, learned from that list.

Built once per document text (see `bot.curation.sections`), then asked for many papers. Everything is
learned from the list itself — entry titles, headings and the maintainer's hints — because each
list cuts its topic differently; nothing here knows any particular list.

A section's score adds up, with weights measured on real lists (benchmarks/README.md):
- cosine to the centroid of its entries' TF-IDF vectors (words, word pairs, letter n-grams),
  its own words (headings, hint names, aliases, keywords) counted in as weighted pseudo-entries;
- a complement naive Bayes over the same features (steadier for sections with few entries);
- a direct match of the paper against the section's own words (helps sections that are new);
- a prior from the section's size (arXiv-linked entries), so "TODO" or "Blogs" rarely win;
- minus how alike the section's own entries are (a catch-all such as "Other Work" is diffuse, so
  its centroid matches any one paper weakly and needs this to compete);
- how usual the paper's month is among the section's papers (topics come and go);
- for lists grouped by year, the paper's year decides between year sections;
- for lists that write authors, a section that already lists one of the paper's authors;
- when `wordllama` is installed, the cosine of the paper's meaning (static word embeddings) to
  the section's: its entries' and its own words' (`bot.curation.semantic`).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from operator import mul
from typing import Any

from bot.curation.authors import AuthorIndex
from bot.curation.bayes import ComplementBayes, add_into
from bot.curation.headings import YearSpan, heading_words, year_spans
from bot.curation.semantic import section_meanings, semantic_scores
from bot.curation.textfeatures import feature_blocks

# Fusion weights and smoothing, chosen on the seven dev lists as a whole (never per list).
PARAMS: dict[str, float] = {
    "centroid": 1.0,
    "bayes": 1.0,
    "heading_weight": 2.0,
    "hint_weight": 3.0,
    "year_bonus": 1.0,
    "nb_alpha": 0.3,
    "nb_scale": 0.05,
    "prior": 0.045,
    "coherence": 0.3,
    "heading_match": 0.1,
    "date": 0.1,
    "date_bandwidth": 6.0,
    "authors": 0.2,
    "semantic": 0.0,
    "semantic_nearest": 0.0,
}



@dataclass(frozen=True)
class SectionExample:
    """What the model learns one section from."""

    headings: tuple[str, ...]  # the path, top first
    titles: tuple[str, ...]  # its entries' titles
    hint_texts: tuple[str, ...] = ()  # configured name, aliases and keywords
    linked: int = 0  # entries that link an arXiv paper
    months: tuple[int, ...] = ()  # months (year * 12 + month) of the arXiv ids its entries link
    authors: frozenset[str] = frozenset()  # author keys its entries name (bot.curation.authors)


Blocks = tuple[dict[str, int], dict[str, int]]  # a text's words and word pairs, its letter n-grams


def _tfidf(blocks: Blocks, idf: dict[str, float], default_idf: float) -> dict[str, float]:
    """Sublinear TF-IDF, the word block and the letter n-gram block each scaled to unit length."""
    vector: dict[str, float] = {}
    for bag in blocks:
        weights = list(map(idf.get, bag, repeat(default_idf)))
        if bag and max(bag.values()) > 1:  # rare in a title: a word said twice
            weights = [w * (1.0 + math.log(count)) for w, count in zip(weights, bag.values(),
                                                                       strict=True)]
        norm = math.sqrt(sum(map(mul, weights, weights)))
        if norm:
            vector.update(zip(bag, (w / norm for w in weights), strict=True))
    return vector


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


@dataclass
class SectionModel:
    """Scores every section of one list for a paper; build with `build_model`."""

    spans: list[YearSpan | None]
    idf: dict[str, float]
    default_idf: float
    centroids: list[dict[str, float]]
    centroid_norms: list[float]
    bayes: ComplementBayes
    postings: dict[str, array[float]]  # word feature -> entry index, weight, entry index, ...
    sizes: list[int]
    entry_titles: list[str]
    months: list[tuple[int, ...]]
    own_vectors: list[dict[str, float]]
    coherence: list[float]
    authors: AuthorIndex
    params: dict[str, float] = field(default_factory=lambda: dict(PARAMS))
    meanings: Any = None  # sections x dimensions: each section's unit mean embedding, or None
    entry_meanings: Any = None  # entries x dimensions, in `entry_titles` order, or None
    entry_section: Any = None  # each entry's section index (a numpy int array), or None

    def vector(self, text: str) -> dict[str, float]:
        return _tfidf(feature_blocks(text), self.idf, self.default_idf)

    def scores(self, text: str, published: date | None = None,
               authors: frozenset[str] = frozenset()) -> list[float]:
        """One score per section, higher is better; comparable across papers of this list.
        `authors`: the paper's author keys (`bot.curation.authors.author_keys`)."""
        p = self.params
        query = self.vector(text)
        count = len(self.spans)
        totals = [0.0] * count
        if p["centroid"]:
            for i in range(count):
                norm = self.centroid_norms[i]
                if norm:
                    totals[i] += p["centroid"] * _dot(query, self.centroids[i]) / norm
        if p["bayes"]:
            raw = self.bayes.scores(query)
            mean = sum(raw) / count
            spread = math.sqrt(sum((r - mean) ** 2 for r in raw) / count) or 1.0
            for i in range(count):
                totals[i] += p["bayes"] * (raw[i] - mean) / spread * p["nb_scale"]
        if p["heading_match"]:
            for i, own in enumerate(self.own_vectors):
                totals[i] += p["heading_match"] * _dot(query, own)
        if p["coherence"]:
            for i, value in enumerate(self.coherence):
                totals[i] -= p["coherence"] * value
        if p["prior"]:
            total = sum(self.sizes) + len(self.sizes)
            for i, size in enumerate(self.sizes):
                totals[i] += p["prior"] * math.log((size + 1) / total)
        if published is not None and p["date"]:
            for i, value in enumerate(self._date_fit(published)):
                totals[i] += p["date"] * value
        if published is not None and p["year_bonus"]:
            for i, span in enumerate(self.spans):
                if span is not None:
                    totals[i] += p["year_bonus"] * (1.0 if span.accepts(published.year) else -1.0)
        if authors and p["authors"]:
            for i, value in enumerate(self.authors.scores(authors)):
                totals[i] += p["authors"] * value
        if self.meanings is not None and (p["semantic"] or p["semantic_nearest"]):
            centroid, nearest = self.semantic_scores(text)
            for i in range(count):
                totals[i] += p["semantic"] * centroid[i] + p["semantic_nearest"] * nearest[i]
        return totals

    def semantic_scores(self, text: str) -> tuple[list[float], list[float]]:
        """Per section: the cosine of the text's embedding to the section's mean embedding, and
        to its nearest entry's (0 for a section with no entries)."""
        return semantic_scores(self.meanings, self.entry_meanings, self.entry_section, len(self.spans), text)

    def _date_fit(self, published: date) -> list[float]:
        """Log-ratio of how common the paper's month is in each section vs the whole list."""
        month = published.year * 12 + published.month
        bandwidth = self.params["date_bandwidth"]

        def density(months: Sequence[int]) -> float:
            if not months:
                return 0.0
            return sum(math.exp(-0.5 * ((month - m) / bandwidth) ** 2) for m in months) / len(months)

        overall = density([m for months in self.months for m in months]) + 1e-3
        fits = []
        for months in self.months:
            smoothed = (density(months) * len(months) + 5 * overall) / (len(months) + 5)
            fits.append(math.log(smoothed / overall))
        return fits

    def text_match(self, text: str) -> float:
        """How much the text has in common with the best-matching section (0 = no shared
        features): low values mean the list has nothing like this paper yet."""
        query = self.vector(text)
        return max(
            (_dot(query, c) / n for c, n in zip(self.centroids, self.centroid_norms, strict=True)
             if n),
            default=0.0,
        )

    def nearest_entry(self, text: str) -> tuple[str, float] | None:
        """The listed title most like `text`, with its cosine similarity over words."""
        similarity = self._similarities(self.vector(text))
        if not similarity:
            return None
        entry, value = max(similarity.items(), key=lambda item: item[1])
        return self.entry_titles[entry], value

    def _similarities(self, query: dict[str, float]) -> dict[int, float]:
        similarity: dict[int, float] = defaultdict(float)
        for feature, value in query.items():
            if feature[0] == "c":
                continue
            pairs = iter(self.postings.get(feature, ()))
            for entry, weight in zip(pairs, pairs, strict=True):
                similarity[int(entry)] += value * weight
        return similarity


def build_model(sections: Sequence[SectionExample], params: dict[str, float] | None = None
                ) -> SectionModel:
    """Learn the sections of one list from their entries, headings and hints.

    A 5,000-entry list is built in a few hundred milliseconds, in a worker thread: each distinct
    word is analysed once, and what the model keeps is plain dicts and arrays, which the garbage
    collector does not have to walk (a full collection over millions of small tuples held the
    event loop for 60 ms)."""
    p = dict(PARAMS, **(params or {}))
    memo: dict[str, tuple[str, tuple[str, ...]]] = {}
    bags = [[feature_blocks(t, memo=memo) for t in s.titles] for s in sections]
    document_frequency: Counter[str] = Counter()
    for section_bags in bags:
        for word_bag, letter_bag in section_bags:
            document_frequency.update(word_bag.keys())
            document_frequency.update(letter_bag.keys())
    entry_count = sum(len(b) for b in bags)
    idf = {f: math.log((1 + entry_count) / (1 + n)) + 1.0 for f, n in document_frequency.items()}
    default_idf = math.log(1 + entry_count) + 1.0

    centroids: list[dict[str, float]] = []
    own_vectors: list[dict[str, float]] = []
    postings: dict[str, array[float]] = {}
    coherence: list[float] = []
    entry = 0
    for index, section in enumerate(sections):
        centroid: dict[str, float] = {}
        vectors = [_tfidf(bag, idf, default_idf) for bag in bags[index]]
        bags[index] = []  # counted: let them go (a 5,000-entry list's bags are tens of MB)
        for vector in vectors:
            add_into(centroid, vector)
            for feature, value in vector.items():
                if feature[0] != "c":
                    postings.setdefault(feature, array("d")).extend((entry, value))
            entry += 1
        own_words = " ".join(heading_words(h) for h in section.headings)
        own_vectors.append(_tfidf(feature_blocks(" ".join([own_words, *section.hint_texts]), memo=memo),
                                  idf, default_idf))
        pseudo = [(own_words, p["heading_weight"])]
        pseudo += [(text, p["hint_weight"]) for text in section.hint_texts]
        for text, weight in pseudo:
            add_into(centroid, _tfidf(feature_blocks(text, memo=memo), idf, default_idf), weight)
        centroids.append(centroid)
        coherence.append(_coherence(vectors, centroid))
    return SectionModel(
        spans=year_spans([s.headings[-1] if s.headings else "" for s in sections]),
        idf=idf,
        default_idf=default_idf,
        centroids=centroids,
        centroid_norms=[_norm(c) for c in centroids],
        bayes=ComplementBayes.fit(centroids, p["nb_alpha"]),
        postings=postings,
        sizes=_sizes(sections),
        entry_titles=[t for s in sections for t in s.titles],
        months=[s.months for s in sections],
        own_vectors=own_vectors,
        coherence=coherence,
        authors=AuthorIndex.build(s.authors for s in sections),
        params=p,
        **section_meanings(sections, p),
    )


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(map(mul, vector.values(), vector.values())))


def _coherence(vectors: Sequence[dict[str, float]], centroid: dict[str, float]) -> float:
    """Mean cosine of each entry to its section's centroid without that entry (leave-one-out,
    so a small section is not coherent merely because each entry is much of its centroid)."""
    norm = _norm(centroid)
    cosines = []
    for vector in vectors:
        # every feature of the entry is in the centroid, which holds the entry
        shared = sum(map(mul, vector.values(), map(centroid.__getitem__, vector)))
        own = sum(map(mul, vector.values(), vector.values()))
        rest = norm * norm - 2 * shared + own
        cosines.append((shared - own) / math.sqrt(rest) if rest > 1e-9 else 0.0)
    return sum(cosines) / len(cosines) if cosines else 0.0


def _sizes(sections: Sequence[SectionExample]) -> list[int]:
    """Section sizes for the prior: arXiv-linked entries when the list links arXiv at all (a
    "Blogs" or "TODO" section is rarely where an arXiv paper goes), else entries."""
    if any(s.linked for s in sections):
        return [s.linked for s in sections]
    return [len(s.titles) for s in sections]
