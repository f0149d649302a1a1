"""The per-list section model: what each section of one list is about, learned from that list.

Built once per document text (see `bot.classify`), then asked for many papers. Everything is
learned from the list itself — entry titles, headings and the maintainer's hints — because each
list cuts its topic differently; nothing here knows any particular list.

Three views of a section are combined, each good where the others are weak:
- the centroid of its entries' TF-IDF vectors (what the section is about on average),
- a complement naive Bayes over the same features (robust for sections with few entries),
- the nearest entries (a paper close to one listed paper usually goes beside it),
plus the section's own words (heading, hint names, aliases, keywords) as weighted pseudo-entries,
and, for sections named after years, the paper's date.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.textfeatures import features, word_stems

# Fusion weights and smoothing, chosen on the seven dev lists as a whole (never per list).
PARAMS: dict[str, float] = {
    "centroid": 1.0,
    "bayes": 1.0,
    "knn": 0.0,
    "knn_k": 5,
    "heading_weight": 2.0,
    "hint_weight": 3.0,
    "year_bonus": 1.0,
    "nb_alpha": 0.3,
    "nb_scale": 0.05,
    "prior": 0.05,
    "parent": 0.0,
    "heading_match": 0.1,
    "notes_weight": 0.0,
    "char_weight": 1.0,
    "date": 0.0,
    "date_bandwidth": 6.0,
}

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
_BEFORE = re.compile(r"\b(before|earlier|older|prior|until|pre)\b", re.IGNORECASE)
_AFTER = re.compile(r"\b(after|since|later|onwards?|newer)\b", re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(?:[A-Za-z]?\d+(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+")


@dataclass(frozen=True)
class SectionExample:
    """What the model learns one section from."""

    headings: tuple[str, ...]  # the path, top first
    titles: tuple[str, ...]  # its entries' titles
    hint_texts: tuple[str, ...] = ()  # configured name, aliases and keywords
    notes: tuple[str, ...] = ()  # the rest of each entry's text (authors, tags, summaries)
    linked: int = 0  # entries that link an arXiv paper
    months: tuple[int, ...] = ()  # months (year * 12 + month) of the arXiv ids its entries link


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
    """The years a heading such as "2024", "Before 2021" or "2019-2020" stands for."""
    text = heading_words(heading)
    years = [int(y) for y in _YEAR.findall(text)]
    if not years or len(word_stems(_YEAR.sub(" ", text))) > 2:
        return None
    if _BEFORE.search(text):
        return YearSpan(0, min(years) - (0 if re.search(r"\band\b", text) else 1))
    if _AFTER.search(text):
        return YearSpan(max(years), 9999)
    return YearSpan(min(years), max(years))


def _tfidf(bag: Counter[str], idf: dict[str, float], default_idf: float,
           char_weight: float = 1.0) -> dict[str, float]:
    """Sublinear TF-IDF, the word block and the letter n-gram block each scaled to unit length."""
    vector: dict[str, float] = {}
    norms = {"c": 0.0, "o": 0.0}
    for feature, count in bag.items():
        value = (1.0 + math.log(count)) * idf.get(feature, default_idf)
        vector[feature] = value
        norms["c" if feature[0] == "c" else "o"] += value * value
    scale = {key: 1.0 / math.sqrt(total) if total else 0.0 for key, total in norms.items()}
    scale["c"] *= char_weight
    return {f: v * scale["c" if f[0] == "c" else "o"] for f, v in vector.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(f, 0.0) for f, v in a.items())


@dataclass
class SectionModel:
    """Scores every section of one list for a paper; build with `build_model`."""

    spans: list[YearSpan | None]
    idf: dict[str, float]
    default_idf: float
    centroids: list[dict[str, float]]
    centroid_norms: list[float]
    nb_weights: list[dict[str, float]]
    nb_default: list[float]
    postings: dict[str, list[tuple[int, float]]]
    entry_section: list[int]
    sizes: list[int]
    entry_titles: list[str]
    months: list[tuple[int, ...]]
    groups: list[tuple[str, ...]]
    own_vectors: list[dict[str, float]]
    group_centroids: dict[tuple[str, ...], tuple[dict[str, float], float]]
    params: dict[str, float] = field(default_factory=lambda: dict(PARAMS))

    def vector(self, text: str) -> dict[str, float]:
        return _tfidf(features(text), self.idf, self.default_idf, self.params["char_weight"])

    def scores(self, text: str, published: date | None = None) -> list[float]:
        """One score per section, higher is better; comparable across papers of this list."""
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
            raw = [
                sum(v * self.nb_weights[i].get(f, self.nb_default[i]) for f, v in query.items())
                for i in range(count)
            ]
            mean = sum(raw) / count
            spread = math.sqrt(sum((r - mean) ** 2 for r in raw) / count) or 1.0
            for i in range(count):
                totals[i] += p["bayes"] * (raw[i] - mean) / spread * p["nb_scale"]
        if p["heading_match"]:
            for i, own in enumerate(self.own_vectors):
                totals[i] += p["heading_match"] * _dot(query, own)
        if p["prior"]:
            total = sum(self.sizes) + len(self.sizes)
            for i, size in enumerate(self.sizes):
                totals[i] += p["prior"] * math.log((size + 1) / total)
        if p["parent"]:
            group_scores = {
                key: _dot(query, centroid) / norm
                for key, (centroid, norm) in self.group_centroids.items() if norm
            }
            for i, key in enumerate(self.groups):
                totals[i] += p["parent"] * group_scores.get(key, 0.0)
        if p["knn"]:
            for i, value in enumerate(self._neighbour_votes(query)):
                totals[i] += p["knn"] * value
        if published is not None and p["date"]:
            for i, value in enumerate(self._date_fit(published)):
                totals[i] += p["date"] * value
        if published is not None and p["year_bonus"]:
            for i, span in enumerate(self.spans):
                if span is not None:
                    totals[i] += p["year_bonus"] * (1.0 if span.accepts(published.year) else -1.0)
        return totals

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
            for entry, weight in self.postings.get(feature, ()):
                similarity[entry] += value * weight
        return similarity

    def _neighbour_votes(self, query: dict[str, float]) -> list[float]:
        similarity = self._similarities(query)
        votes = [0.0] * len(self.spans)
        best = sorted(similarity.items(), key=lambda item: -item[1])[: int(self.params["knn_k"])]
        for entry, value in best:
            votes[self.entry_section[entry]] += value
        return votes


def build_model(sections: Sequence[SectionExample], params: dict[str, float] | None = None
                ) -> SectionModel:
    """Learn the sections of one list from their entries, headings and hints."""
    p = dict(PARAMS, **(params or {}))
    bags = [[features(t) for t in s.titles] for s in sections]
    document_frequency: Counter[str] = Counter()
    entry_count = 0
    for section_bags in bags:
        for bag in section_bags:
            document_frequency.update(bag.keys())
            entry_count += 1
    idf = {f: math.log((1 + entry_count) / (1 + n)) + 1.0 for f, n in document_frequency.items()}
    default_idf = math.log(1 + entry_count) + 1.0

    centroids: list[dict[str, float]] = []
    own_vectors: list[dict[str, float]] = []
    class_totals: list[Counter[str]] = []
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    entry_section: list[int] = []
    for index, (section, section_bags) in enumerate(zip(sections, bags, strict=True)):
        centroid: Counter[str] = Counter()
        for bag in section_bags:
            vector = _tfidf(bag, idf, default_idf, p["char_weight"])
            centroid.update(vector)
            for feature, value in vector.items():
                if feature[0] != "c":
                    postings[feature].append((len(entry_section), value))
            entry_section.append(index)
        if p["notes_weight"]:
            for note in section.notes:
                for feature, value in _tfidf(features(note), idf, default_idf).items():
                    centroid[feature] += p["notes_weight"] * value
        own_words = " ".join(heading_words(h) for h in section.headings)
        own_vectors.append(_tfidf(features(" ".join([own_words, *section.hint_texts])),
                                  idf, default_idf))
        pseudo = [(own_words, p["heading_weight"])]
        pseudo += [(text, p["hint_weight"]) for text in section.hint_texts]
        for text, weight in pseudo:
            for feature, value in _tfidf(features(text), idf, default_idf).items():
                centroid[feature] += weight * value
        centroids.append(dict(centroid))
        class_totals.append(centroid)
    norms = [math.sqrt(sum(v * v for v in c.values())) for c in centroids]
    groups = [s.headings[:-1] if len(s.headings) > 1 else s.headings for s in sections]
    merged: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for key, centroid in zip(groups, class_totals, strict=True):
        merged[key].update(centroid)
    group_centroids = {
        key: (dict(c), math.sqrt(sum(v * v for v in c.values()))) for key, c in merged.items()
    }
    nb_weights, nb_default = _complement_bayes(class_totals, p["nb_alpha"])
    return SectionModel(
        spans=_year_spans(sections),
        idf=idf,
        default_idf=default_idf,
        centroids=centroids,
        centroid_norms=norms,
        nb_weights=nb_weights,
        nb_default=nb_default,
        postings=dict(postings),
        entry_section=entry_section,
        sizes=_sizes(sections),
        entry_titles=[t for s in sections for t in s.titles],
        months=[s.months for s in sections],
        groups=groups,
        own_vectors=own_vectors,
        group_centroids=group_centroids,
        params=p,
    )


def _sizes(sections: Sequence[SectionExample]) -> list[int]:
    """Section sizes for the prior: arXiv-linked entries when the list links arXiv at all (a
    "Blogs" or "TODO" section is rarely where an arXiv paper goes), else entries."""
    if any(s.linked for s in sections):
        return [s.linked for s in sections]
    return [len(s.titles) for s in sections]


def _year_spans(sections: Sequence[SectionExample]) -> list[YearSpan | None]:
    """Spans of year-named sections, when the list groups papers by year (two or more such
    sections); a lone "2024" heading is more likely a topic's subsection than a year group."""
    spans = [year_span(s.headings[-1]) if s.headings else None for s in sections]
    return spans if sum(span is not None for span in spans) >= 2 else [None] * len(spans)


def _complement_bayes(totals: list[Counter[str]], alpha: float
                      ) -> tuple[list[dict[str, float]], list[float]]:
    """Weights of a complement naive Bayes: a feature scores for a section when it is rare in
    all the other sections (Rennie et al., 2003), normalised per section."""
    everything: Counter[str] = Counter()
    for total in totals:
        everything.update(total)
    vocabulary = len(everything) or 1
    grand = sum(everything.values())
    weights: list[dict[str, float]] = []
    defaults: list[float] = []
    for total in totals:
        rest_sum = grand - sum(total.values())
        denominator = rest_sum + alpha * vocabulary
        raw = {f: -math.log((alpha + everything[f] - total.get(f, 0.0)) / denominator)
               for f in everything}
        default = -math.log(alpha / denominator)
        scale = sum(abs(v) for v in raw.values()) or 1.0
        weights.append({f: v / scale for f, v in raw.items()})
        defaults.append(default / scale)
    return weights, defaults
