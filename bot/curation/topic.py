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
  writes it), and boilerplate sections (contributing, licence, citation) left out.
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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cachetools import LRUCache

from bot.curation.textfeatures import stem, word_stems, words
from bot.lists.document import ListDocument, Section

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
# feed (benchmarks/relevance.py) with four lists, so that 0.5 separates on topic from off topic.
SCALE_TITLE = 0.057
SCALE_BODY = 0.19
# How much the body counts next to the title grows with the papers it holds: n / (n + EVIDENCE).
# A young list (seven papers under "Survey") says more in its title than in its entries; a list
# of hundreds of papers says it best in them.
EVIDENCE = 30
SHOWN_WORDS = 3
MODEL_CACHE_SIZE = 4

# Headings of sections that are about the repository, not the topic.
_BOILERPLATE = frozenset("""contributing contribution contributions contributors contribute license
    licence citation citations cite contact acknowledgements acknowledgments acknowledgement
    contents toc faq references star stars history todo sponsor sponsors changelog news
    update updates""".split())
# Words of list titles that are about lists, not topics.
_TITLE_NOISE = frozenset("""awesome list lists paper papers curated collection collections resources
    reading repo repository repositories survey""".split())
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A heading word with a character outside ASCII is an emoji or its mis-decoded bytes ("üî•" for
# 🔥 in a list saved in the wrong encoding), which ASCII folding would turn into a "word".
_NOT_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")

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


def vectorise(counts: Counter[str] | dict[str, float]) -> Vector:
    """Sublinear term frequency times background IDF, scaled to unit length."""
    weights = {s: (1.0 + math.log(n)) * idf(s) for s, n in counts.items() if n >= 1}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {s: w / norm for s, w in weights.items()} if norm else {}


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

    def match(self, title: str, abstract: str = "") -> TopicMatch:
        counts: Counter[str] = Counter(word_stems(abstract))
        for s in word_stems(title):
            counts[s] += CANDIDATE_TITLE_WEIGHT
        paper = vectorise(counts)
        weight = self.body_weight()
        scale = SCALE_TITLE ** (1.0 - weight) * SCALE_BODY ** weight
        score = round(1.0 - math.exp(-self.raw_score(paper) / scale), 4)
        section, entry = self._closest(paper, title)
        return TopicMatch(score, section, entry, self._words(paper, title, abstract))

    def body_weight(self) -> float:
        if not self.body:
            return 0.0
        return self.papers / (self.papers + EVIDENCE) if self.title else 1.0

    def raw_score(self, paper: Vector) -> float:
        """Weighted geometric mean of the cosines to the title and to the body (0 when neither
        exists: a list with no headings says nothing about its topic)."""
        body_weight = self.body_weight()
        if not self.title and not self.body:
            return 0.0
        to_title = cosine(paper, self.title) if body_weight < 1.0 else 1.0
        to_body = cosine(paper, self.body) if body_weight > 0.0 else 1.0
        return max(to_title, 0.0) ** (1.0 - body_weight) * max(to_body, 0.0) ** body_weight

    def _closest(self, paper: Vector, title: str) -> tuple[tuple[str, ...] | None, str | None]:
        if not self.sections:
            return None, None
        best = max(self.sections, key=lambda s: cosine(paper, s.vector))
        if not best.entry_vectors:
            return best.path, None
        own = vectorise(Counter(word_stems(title)))
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


_topics: LRUCache[str, ListTopic] = LRUCache(maxsize=MODEL_CACHE_SIZE)
_topics_lock = threading.Lock()


def list_topic(doc: ListDocument) -> ListTopic:
    """The topic profiles of `doc`, built once per document text."""
    with _topics_lock:
        cached = _topics.get(doc.text)
    if cached is not None:
        return cached
    built = build_topic(doc)
    with _topics_lock:
        _topics[doc.text] = built
    return built


def build_topic(doc: ListDocument) -> ListTopic:
    title_counts = Counter(s for s in word_stems(_ascii_words(list_title(doc)))
                           if s not in _TITLE_NOISE_STEMS)
    body: Counter[str] | dict[str, float] = {}
    sections = []
    papers = 0
    for section in topical_sections(doc):
        papers += sum(1 for e in section.entries if e.is_paper)
        texts = tuple(t for t in (entry_text(e) for e in section.entries) if t)
        vectors = tuple(vectorise(Counter(word_stems(t))) for t in texts)
        heading = vectorise(Counter(word_stems(_ascii_words(section.heading))))
        own: dict[str, float] = defaultdict(float)
        for vector, weight in [(heading, HEADING_WEIGHT), *((v, 1.0) for v in vectors)]:
            for s, value in vector.items():
                own[s] += weight * value
        if not own:
            continue
        sections.append(_SectionProfile(section.path, _unit(own), texts, vectors))
        for s, value in own.items():
            body[s] = body.get(s, 0.0) + value
    return ListTopic(vectorise(title_counts), _unit(body), tuple(sections), papers)


def list_title(doc: ListDocument) -> str:
    """The list's first top-level heading (or its first heading of any level)."""
    if not doc.sections:
        return ""
    top = min(s.level for s in doc.sections)
    return next(s.heading for s in doc.sections if s.level == top)


def topical_sections(doc: ListDocument) -> list[Section]:
    """Sections below the title that are about the topic: not boilerplate, not the section
    that holds the latest-papers table (the bot writes that one)."""
    title = list_title(doc)
    chosen = []
    for section in doc.sections:
        if section.heading == title and len(section.path) == 1:
            continue
        if set(re.findall(r"[a-z]+", section.heading.lower())) & _BOILERPLATE:
            continue
        if doc.latest_block and section.line <= doc.latest_block[0] < section.end_line:
            continue
        chosen.append(section)
    return chosen


def entry_text(entry: object) -> str:
    """What an entry says about the topic: a paper's title, else its text without link targets."""
    title = getattr(entry, "title", "")
    if getattr(entry, "is_paper", False) and title:
        return title
    return _LINK.sub(r"\1", getattr(entry, "text", ""))


def _ascii_words(text: str) -> str:
    return _NOT_ASCII_WORD.sub(" ", text)


def _unit(vector: dict[str, float] | Counter[str]) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {s: v / norm for s, v in vector.items()} if norm else {}


_TITLE_NOISE_STEMS = frozenset(stem(w) for w in _TITLE_NOISE)

