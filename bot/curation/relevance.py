"""Is a new arXiv paper on topic for this list? `score_relevance` answers 0..1 with reasons.

The maintainer says what the list is about in `latest:` of `.github/paperbot.yml`:
- `include`: topic phrases; each item may be a plain phrase ("jailbreak", "red teaming") or an
  arXiv-style expression with `AND`/`OR`/`ANDNOT` for topics that are only on topic together
  (`(safety OR harmful) AND ("language model" OR LLM)`). A paper scores by its best evidence:
  a phrase in the title counts fully, mentions in the abstract count more the more there are.
- `exclude`: phrases of neighbouring fields the query drags in (robot, autonomous driving); each
  one lowers the score, a lot when it is in the title.
- `categories`: when the paper's arXiv categories are known and none is listed, the score drops.
- the list itself: a paper close to one already listed gets credit (and the reason names it).
Without `include`, the query (`latest.query`) is read the same way, softly. With neither, the
list alone says what is on topic (`bot.curation.topic`: its title, headings and entries, and the
files its README links to), and `exclude` and `categories` still apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.config import LatestConfig
from bot.curation.latex import latex_to_prose
from bot.curation.query import (
    Node,
    PaperText,
    QueryError,
    evaluate,
    parse_query,
    terms_of,
)
from bot.curation.topic import list_topic
from bot.lists.document import ListDocument

# How much an exclusion keeps of the score: in the title, and per mention in the abstract.
EXCLUDE_IN_TITLE = 0.5
EXCLUDE_IN_ABSTRACT = 0.6
# Listed categories exist but the paper has none of them.
OFF_CATEGORY = 0.35
# Similarity to the closest listed paper above which the list vouches for the topic.
LIST_SIMILARITY_FLOOR = 0.35
LIST_SIMILARITY_WEIGHT = 0.6

REASON_INCLUDE = "matches `{term}` in the {where}"
REASON_EXCLUDE = "mentions excluded `{term}` in the {where}"
REASON_CATEGORY = "category {found} is listed"
REASON_OFF_CATEGORY = "none of its categories ({found}) is listed"
REASON_SIMILAR = "close to listed paper “{title}”"
REASON_NOTHING = "no topic phrase matched"
REASON_NO_TOPIC = "no topic configured and no list to learn it from"


@dataclass(frozen=True)
class Relevance:
    score: float  # 0..1
    relevant: bool
    reasons: tuple[str, ...]  # human-readable


@dataclass(frozen=True)
class _Rules:
    include: tuple[Node, ...]
    exclude: tuple[Node, ...]


@lru_cache(maxsize=32)
def compile_rules(latest: LatestConfig) -> tuple[_Rules, tuple[str, ...]]:
    """The include/exclude expressions, and a message for each that cannot be read (parsed once
    per config)."""
    problems: list[str] = []
    include = _parse_all(latest.include, "latest.include", problems)
    if not include and latest.query:
        include = _parse_all((latest.query,), "latest.query", problems)
    exclude = _parse_all(latest.exclude, "latest.exclude", problems)
    return _Rules(tuple(include), tuple(exclude)), tuple(problems)


def score_relevance(title: str, abstract: str, categories: Sequence[str], *,
                    latest: LatestConfig, doc: ListDocument | None = None,
                    files: Mapping[str, str] | None = None, index_path: str = "README.md") -> Relevance:
    """`files` are the repository's other files ({path: text}) that the list's README (the file
    at `index_path`, links being relative to it) may link to: with no topic configured, the files
    it links count as part of the list. LaTeX in the title or abstract is read as it prints
    (`latex_to_prose`): citation keys and command names are not the paper's words."""
    rules, _ = compile_rules(latest)
    title, abstract = latex_to_prose(title), latex_to_prose(abstract)
    paper = PaperText.of(title, abstract, categories or None)
    reasons: list[str] = []
    if rules.include:
        score = _included(rules, paper, reasons)
    elif doc is not None:
        match = list_topic(doc, files, readme_path=index_path).match(title, abstract)
        score = match.score
        reasons.append(match.reason())
    else:
        score = 1.0
        reasons.append(REASON_NO_TOPIC)
    score *= _excluded(rules, paper, reasons)
    score *= _category_factor(latest.categories, categories, reasons)
    if doc is not None and rules.include:
        score = _with_list_similarity(score, doc, title, reasons)
    reasons = list(dict.fromkeys(reasons)) or [REASON_NOTHING]
    score = round(min(max(score, 0.0), 1.0), 4)
    return Relevance(score, score >= latest.min_relevance, tuple(reasons))


def _parse_all(items: Sequence[str], where: str, problems: list[str]) -> list[Node]:
    nodes = []
    for index, item in enumerate(items):
        try:
            nodes.append(parse_query(item))
        except QueryError as exc:
            problems.append(f"`{where}[{index}]`: {exc}")
    return nodes


def _included(rules: _Rules, paper: PaperText, reasons: list[str]) -> float:
    missing = 1.0
    for node in rules.include:
        value = evaluate(node, paper)
        if value > 0:
            missing *= 1.0 - value
            _explain(node, paper, reasons, REASON_INCLUDE)
    return 1.0 - missing


def _excluded(rules: _Rules, paper: PaperText, reasons: list[str]) -> float:
    keep = 1.0
    for node in rules.exclude:
        for term in terms_of(node):
            if term.field == "cat":
                continue
            if paper.in_title(term):
                keep *= EXCLUDE_IN_TITLE
                reasons.append(REASON_EXCLUDE.format(term=term.text, where="title"))
            elif hits := paper.in_abstract(term):
                keep *= EXCLUDE_IN_ABSTRACT ** hits
                reasons.append(REASON_EXCLUDE.format(term=term.text, where="abstract"))
    return keep


def _category_factor(wanted: Sequence[str], found: Sequence[str], reasons: list[str]) -> float:
    if not wanted or not found:
        return 1.0
    wanted_lower = {w.lower() for w in wanted}
    hits = [c for c in found if c.lower() in wanted_lower]
    if hits:
        reasons.append(REASON_CATEGORY.format(found=hits[0]))
        return 1.0
    reasons.append(REASON_OFF_CATEGORY.format(found=", ".join(found)))
    return OFF_CATEGORY


def _with_list_similarity(score: float, doc: ListDocument, title: str, reasons: list[str]
                          ) -> float:
    from bot.curation.sections import nearest_listed_paper  # the section model owns the list's vectors

    nearest = nearest_listed_paper(doc, title)
    if nearest is None or nearest[1] < LIST_SIMILARITY_FLOOR:
        return score
    reasons.append(REASON_SIMILAR.format(title=nearest[0]))
    vouched = LIST_SIMILARITY_WEIGHT * nearest[1]
    return 1.0 - (1.0 - score) * (1.0 - vouched)


def _explain(node: Node, paper: PaperText, reasons: list[str], template: str) -> None:
    for term in terms_of(node, positive_only=True):
        if term.field == "cat":
            continue
        if paper.in_title(term):
            reasons.append(template.format(term=term.text, where="title"))
        elif paper.in_abstract(term):
            reasons.append(template.format(term=term.text, where="abstract"))
