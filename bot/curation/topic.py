"""What a list is about, learned from the list itself: relevance of a new paper with no config.

A list says what it collects in its title ("Awesome LLM Safety"), its headings and its entries.
Words that AI papers use everywhere ("large", "language", "model") say little; words that this
list uses far more often than AI papers at large ("jailbreak", "safety", "backdoor") are its
topic. So every text is a TF-IDF vector whose IDF comes from a background of AI paper titles
(`bot/curation/data/background_stems.tsv`, built by benchmarks/relevance_background.py), and a paper is
scored by its cosine to two profiles of the list:
- its title, the maintainer's one-line statement of the topic;
- its body: each section's headings and entries (paper titles; the text of other entries, such
  as a bullet list of the topics the list covers), the latest-papers table excluded (the bot
  writes it), and boilerplate sections (contributing, licence, citation) left out; the files the
  README links to count as the entries of the section that links them (`bot.curation.listparts`).
An acronym the list defines ("Large Reasoning Model (LRM)") weighs as its words, not as a word
the background never saw. The title's weightiest word that the entries use too is its anchor
("Safety" in "LRM Safety"): a paper that never says it loses part of its score.
Both must agree: a robotics paper shares "safety" with an LLM-safety list's title but nothing
with its entries, a paper on LLM maths shares "LLM" with both but only weakly. The score is their
geometric mean, squashed to 0..1; `TopicMatch` also names the closest section and listed paper,
which become the reason a maintainer reads. Pure; the model is cached per document text.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cachetools import LRUCache

from bot.curation.listparts import (
    TopicPart,
    linked_parts,
    list_title,
    readme_parts,
)
from bot.curation.textfeatures import stem, word_stems, words
from bot.lists.document import ListDocument

BACKGROUND_FILE = Path(__file__).parent / "data" / "background_stems.tsv"
# Share of titles given to a stem the background never saw (rarer than any it kept).
BACKGROUND_FLOOR = 1 / 2000
# Weights of the profiles' parts: a heading stands for all its entries; the candidate's own
# title says more than any one sentence of its abstract.
HEADING_WEIGHT = 2.0
CANDIDATE_TITLE_WEIGHT = 3.0
# Raw scores (weighted geometric mean of two cosines) are squashed by 1 - exp(-raw / scale). A
# title is a few words, so cosines to it run lower than to a body of hundreds of titles: the
# scale moves between the two the way the weights do. Chosen on the tuning half of the labelled
# feed (benchmarks/relevance.py) with five lists, so that 0.5 separates on topic from off topic
# (with `BACKGROUND_CONTRAST`: every list's share on topic >= 0.80, the seed's also from its
# README alone, with the most papers on topic).
SCALE_TITLE = 0.11
SCALE_BODY = 0.18
# How much the body counts next to the title grows with the papers it holds: n / (n + EVIDENCE).
# A young list (seven papers under "Survey") says more in its title than in its entries; a list
# of hundreds of papers says it best in them.
EVIDENCE = 30
# A list's title names its topic with several words, one of which carries it ("LRM Safety": a
# paper on reasoning models that never says "safety" is not on topic). A paper without the
# title's weightiest word (among those the entries use too) keeps this much of its raw score, to
# the power of the title's weight next to the body.
ANCHOR_MISSING = 0.5
# A title in words no paper uses ("Awesome-LM-SSP") should not veto a list of thousands of papers.
TITLE_FLOOR = 0.01
# Share of the background's direction taken out of the body profile, times the body's weight
# (n / (n + EVIDENCE)). A list of thousands of papers uses every word AI papers use ("language",
# "model", "large"), so any AI paper is close to its pooled body; what sets the list apart is
# the rest. A body of a dozen titles is not broad, and keeps nearly all of it. Chosen with the
# scales below on the tuning half (0 / 0.3 / 0.5 / 0.7 / 1.0).
BACKGROUND_CONTRAST = 0.5
SHOWN_WORDS = 3
MODEL_CACHE_SIZE = 4

# Words of list titles that are about lists, not topics.
_TITLE_NOISE = frozenset("""awesome list lists paper papers curated collection collections resources
    reading repo repository repositories survey""".split())
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A heading word with a character outside ASCII is an emoji or its mis-decoded bytes ("üî•" for
# 🔥 in a list saved in the wrong encoding), which ASCII folding would turn into a "word".
_NOT_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
# An acronym in parentheses after the words it abbreviates: "Large Reasoning Model (LRM)".
_ACRONYM = re.compile(r"(?P<before>(?:[A-Za-z][\w-]*[ ]+){2,8})\((?P<acronym>[A-Z]{2,}s?)\)")

REASON_SECTION = "close to «{section}» entries: “{title}”"
REASON_HEADING = "close to the list's «{section}» section"
REASON_WORDS = "shares {words} with the list"
REASON_FAR = "far from every section of the list"


@dataclass(frozen=True)
class TopicMatch:
    score: float  # 0..1
    section: tuple[str, ...] | None  # path of the closest section
    entry: str | None  # the closest listed title in that section
    words: tuple[str, ...]  # the paper's words that weigh most in the list's profile

    def reason(self) -> str:
        if self.score < 0.5 or self.section is None:
            return REASON_FAR + (f" (closest: «{self.section[-1]}»)" if self.section else "")
        if self.entry:
            return REASON_SECTION.format(section=self.section[-1], title=self.entry)
        if self.words:
            return REASON_WORDS.format(words=", ".join(f"“{w}”" for w in self.words))
        return REASON_HEADING.format(section=self.section[-1])


@lru_cache(maxsize=1)
def background() -> dict[str, float]:
    table: dict[str, float] = {}
    for line in BACKGROUND_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, share = line.partition("\t")
            table[key] = float(share)
    return table


def idf(stem_: str) -> float:
    return -math.log(max(background().get(stem_, 0.0), BACKGROUND_FLOOR))


Vector = dict[str, float]


def vectorise(counts: Counter[str] | dict[str, float],
              overrides: Mapping[str, float] | None = None) -> Vector:
    """Sublinear term frequency times background IDF (or the list's own, `overrides`), scaled to
    unit length."""
    overrides = overrides or {}
    weights = {s: (1.0 + math.log(n)) * overrides.get(s, idf(s)) for s, n in counts.items()
               if n >= 1}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {s: w / norm for s, w in weights.items()} if norm else {}


def acronym_idf(text: str) -> dict[str, float]:
    """IDF for the acronyms a text defines ("Large Reasoning Model (LRM)"): an acronym stands for
    its words, so it weighs no more than the rarest of them. Without this, an acronym newer than
    the background ("LRM") would weigh as the rarest word of all and outweigh the list's topic."""
    found: dict[str, float] = {}
    for match in _ACRONYM.finditer(text):
        acronym = match["acronym"]
        letters = acronym[:-1] if acronym.endswith("s") else acronym
        before = re.findall(r"[A-Za-z][\w-]*", match["before"])[-len(letters):]
        if len(before) == len(letters) and all(
                w[0].lower() == c.lower() for w, c in zip(before, letters, strict=True)):
            key = stem(acronym.lower())
            expansion = max(idf(stem(w.lower())) for w in before)
            found[key] = min(idf(key), expansion, found.get(key, math.inf))
    return found


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(s, 0.0) for s, v in a.items())


@dataclass(frozen=True)
class _SectionProfile:
    path: tuple[str, ...]
    vector: Vector
    titles: tuple[str, ...]
    entry_vectors: tuple[Vector, ...]


@dataclass(frozen=True)
class ListTopic:
    """The list's topic profiles; build with `list_topic`."""

    title: Vector
    body: Vector
    sections: tuple[_SectionProfile, ...]
    papers: int  # paper entries in the topical sections
    idf: Mapping[str, float] = field(default_factory=dict)  # the list's own (`acronym_idf`)
    anchor: str | None = None  # the title's weightiest stem that its entries use too

    def match(self, title: str, abstract: str = "") -> TopicMatch:
        counts: Counter[str] = Counter(word_stems(abstract))
        for s in word_stems(title):
            counts[s] += CANDIDATE_TITLE_WEIGHT
        paper = vectorise(counts, self.idf)
        raw = self.raw_score(paper)
        if self.anchor and self.anchor not in counts:
            raw *= ANCHOR_MISSING ** (1.0 - self.body_weight())
        score = round(1.0 - math.exp(-raw / self.scale()), 4)
        section, entry = self._closest(paper, title)
        return TopicMatch(score, section, entry, self._words(paper, title, abstract))

    def scale(self) -> float:
        weight = self.body_weight()
        return SCALE_TITLE ** (1.0 - weight) * SCALE_BODY ** weight

    def body_weight(self) -> float:
        if not self.body:
            return 0.0
        return self.papers / (self.papers + EVIDENCE) if self.title else 1.0

    def raw_score(self, paper: Vector, body: Vector | None = None) -> float:
        """Weighted geometric mean of the cosines to the title and to the body (0 when neither
        exists: a list with no headings says nothing about its topic)."""
        body_weight = self.body_weight()
        if not self.title and not self.body:
            return 0.0
        to_title = max(cosine(paper, self.title), TITLE_FLOOR) if body_weight < 1.0 else 1.0
        to_body = cosine(paper, self.body) if body_weight > 0.0 else 1.0
        return to_title ** (1.0 - body_weight) * max(to_body, 0.0) ** body_weight

    def _closest(self, paper: Vector, title: str) -> tuple[tuple[str, ...] | None, str | None]:
        if not self.sections:
            return None, None
        best = max(self.sections, key=lambda s: cosine(paper, s.vector))
        if not best.entry_vectors:
            return best.path, None
        own = vectorise(Counter(word_stems(title)), self.idf)
        similarity, listed = max(zip((cosine(own, v) for v in best.entry_vectors), best.titles,
                                     strict=True))
        return best.path, listed if similarity > 0 else None

    def _words(self, paper: Vector, title: str, abstract: str) -> tuple[str, ...]:
        profile = self.body or self.title
        weight = {s: v * profile.get(s, 0.0) for s, v in paper.items()}
        top = [s for s, w in sorted(weight.items(), key=lambda kv: -kv[1]) if w > 0][:SHOWN_WORDS]
        surface: dict[str, str] = {}
        for word in words(title + " " + abstract):
            surface.setdefault(stem(word), word)
        return tuple(surface.get(s, s) for s in top)


_topics: LRUCache[tuple[object, ...], ListTopic] = LRUCache(maxsize=MODEL_CACHE_SIZE)
_topics_lock = threading.Lock()


def list_topic(doc: ListDocument, files: Mapping[str, str] | None = None, *,
               readme_path: str = "README.md") -> ListTopic:
    """The topic profiles of `doc`, with the repository `files` it links to ({path: text}, the
    README's own path `readme_path`), built once per text."""
    files = files or {}
    key = (doc.text, readme_path, tuple(sorted(files.items())))
    with _topics_lock:
        cached = _topics.get(key)
    if cached is not None:
        return cached
    built = build_topic(doc, linked_parts(doc, files, readme_path=readme_path) if files else ())
    with _topics_lock:
        _topics[key] = built
    return built


def build_topic(doc: ListDocument, linked: Sequence[TopicPart] = ()) -> ListTopic:
    own_idf = acronym_idf(_without_latest(doc))
    title_counts = Counter(s for s in word_stems(_ascii_words(list_title(doc)))
                           if s not in _TITLE_NOISE_STEMS)
    body: Counter[str] | dict[str, float] = {}
    sections = []
    papers = 0
    for part in [*readme_parts(doc), *linked]:
        papers += sum(1 for e in part.entries if e.is_paper)
        texts = tuple(t for t in (entry_text(e) for e in part.entries) if t)
        vectors = tuple(vectorise(Counter(word_stems(t)), own_idf) for t in texts)
        heading = vectorise(Counter(word_stems(_ascii_words(part.heading))), own_idf)
        own: dict[str, float] = defaultdict(float)
        for vector, weight in [(heading, HEADING_WEIGHT), *((v, 1.0) for v in vectors)]:
            for s, value in vector.items():
                own[s] += weight * value
        if not own:
            continue
        sections.append(_SectionProfile(part.path, _unit(own), texts, vectors))
        for s, value in own.items():
            body[s] = body.get(s, 0.0) + value
    title = vectorise(title_counts, own_idf)
    anchor = max((s for s in title if s in body), key=title.__getitem__, default=None)
    share = BACKGROUND_CONTRAST * papers / (papers + EVIDENCE)
    return ListTopic(title, contrasted(_unit(body), own_idf, share), tuple(sections), papers,
                     own_idf, anchor)


def contrasted(body: Vector, overrides: Mapping[str, float] | None = None,
               share: float = BACKGROUND_CONTRAST) -> Vector:
    """`body` less `share` of its projection on the background (every AI title pooled,
    weighted as `vectorise` weighs words), scaled to unit length again: the words a list uses
    because every AI paper does weigh less, and a generic word can count against."""
    if not body or not share:
        return body
    common = background_vector(tuple(sorted((overrides or {}).items())))
    shared = share * cosine(body, common)
    return _unit({s: body.get(s, 0.0) - shared * common.get(s, 0.0)
                  for s in body.keys() | common.keys()})


@lru_cache(maxsize=MODEL_CACHE_SIZE)
def background_vector(overrides: tuple[tuple[str, float], ...] = ()) -> Vector:
    """The background as one document: each stem's share of titles times its IDF, unit length."""
    own = dict(overrides)
    return _unit({s: share * own.get(s, idf(s)) for s, share in background().items()})


def entry_text(entry: object) -> str:
    """What an entry says about the topic: a paper's title, else its text without link targets."""
    title = getattr(entry, "title", "")
    if getattr(entry, "is_paper", False) and title:
        return title
    return _LINK.sub(r"\1", getattr(entry, "text", ""))


def _without_latest(doc: ListDocument) -> str:
    if not doc.latest_block:
        return doc.text
    lines = doc.text.split("\n")
    return "\n".join(lines[:doc.latest_block[0]] + lines[doc.latest_block[1] + 1:])


def _ascii_words(text: str) -> str:
    return _NOT_ASCII_WORD.sub(" ", text)


def _unit(vector: dict[str, float] | Counter[str]) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {s: v / norm for s, v in vector.items()} if norm else {}


_TITLE_NOISE_STEMS = frozenset(stem(w) for w in _TITLE_NOISE)

