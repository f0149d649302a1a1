"""The maintainer's arXiv query, read as a graded definition of the list's topic.

`latest.query` is written in arXiv's search syntax (`ti:`, `abs:`, `all:`, `cat:` terms, quoted
phrases, `AND`, `OR`, `ANDNOT`, parentheses) and is what the bot asks arXiv for. arXiv answers
yes or no; here the same query is evaluated softly against one paper, so that a phrase in the
title counts more than one passing mention in the abstract, and `AND` demands both sides:
`(safety OR jailbreak) AND ("language model" OR LLM)` keeps papers about the safety *of language
models* and lets the safety of robots and reactors fall below the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.curation.textfeatures import stem, words

# Strength of a phrase found once in the abstract; each further mention adds as much again of
# what is left (noisy-or): three mentions give about 0.58, a title mention gives 1.0.
ABSTRACT_HIT = 0.25
# A `*` term's stem also starts words when it keeps this many letters ("refusal*" -> "refus*"
# meets "refused"); shorter stems start unrelated words ("steal" -> "ste" meets "steer").
STEMMED_PREFIX_MIN = 5
# A `cat:` term when the paper's categories are unknown: neither for nor against.
UNKNOWN_CATEGORY = 0.5

_TOKEN = re.compile(r'\s*(\(|\)|ANDNOT\b|AND\b|OR\b|(?:\w+:)?"[^"]*"|[^\s()]+)')
# Words of letters joined by hyphens ("jail-breaking"; "GPT-4" and "2-shot" are not compounds).
_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
# Where a name written as one word has parts: a capital after a small letter ("JailbreakBench"),
# the last capital of an acronym before a word ("VLMGuard"; not the plural "LLMs"), and a digit
# after a letter or before a word ("Llama3", "PM4Bench").
_NAME_PARTS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})"
                         r"|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z]{2})")
_FIELDS = ("ti", "abs", "all", "cat", "au", "co", "jr", "rn", "id")


class QueryError(ValueError):
    """A query that cannot be read; the message names the problem for the maintainer."""


@dataclass(frozen=True)
class Term:
    field: str  # one of _FIELDS ("all" when none is given)
    text: str  # the phrase as written, without quotes
    stems: tuple[str, ...]  # its word stems, matched as a contiguous run
    prefix: bool = False  # written with a trailing `*`
    word: str = ""  # the last word as written (lowercased): what a `*` term's words begin with


@dataclass(frozen=True)
class Node:
    op: str  # "AND" | "OR" | "ANDNOT" | "TERM"
    children: tuple[Node, ...] = ()
    term: Term | None = None


@dataclass(frozen=True)
class Spelling:
    """One way of reading a text: its words' stems, and the same words unstemmed (a `*` term
    reads the words as written)."""

    stems: tuple[str, ...]
    words: tuple[str, ...]

    @classmethod
    def of(cls, found: Sequence[str]) -> Spelling:
        return cls(tuple(stem(w) for w in found), tuple(found))

    def count(self, term: Term) -> int:
        return count_phrase(term, self.stems, self.words)


@dataclass(frozen=True)
class PaperText:
    """A paper as the query sees it: its title and abstract, each in the spellings a phrase may
    meet (`spellings`), and its categories."""

    title: tuple[Spelling, ...]
    abstract: tuple[Spelling, ...]
    categories: tuple[str, ...] | None  # None when unknown

    @classmethod
    def of(cls, title: str, abstract: str, categories: Sequence[str] | None) -> PaperText:
        cats = tuple(c.lower() for c in categories) if categories else None
        return cls(spellings(title), spellings(abstract), cats)

    def in_title(self, term: Term) -> int:
        """Mentions of `term` in the title, in whichever spelling has the most (one word is
        never counted twice)."""
        return max(spelling.count(term) for spelling in self.title)

    def in_abstract(self, term: Term) -> int:
        return max(spelling.count(term) for spelling in self.abstract)


def spellings(text: str) -> tuple[Spelling, ...]:
    """`text` as written; its hyphenated compounds joined into one word ("jail-breaking" as
    "jailbreaking", meeting `jailbreak*`; the split spelling is the text's own, so "red-teaming"
    still meets "red teaming"); and, when it writes names as one word, with those names split
    where their capitals and digits are ("JailbreakBench" as "Jailbreak Bench", "VLMGuard" as
    "VLM Guard", "Llama3" as "Llama 3"), so that `jailbreak`, `VLM` and `Llama` meet them."""
    found = [Spelling.of(words(text))]
    joined = [m.replace("-", "") for m in _COMPOUND.findall(text)]
    if joined:
        found.append(Spelling.of(words(" ".join(joined))))
    split = _NAME_PARTS.sub(" ", text)
    if split != text:
        found.append(Spelling.of(words(split)))
    return tuple(found)


def parse_query(query: str) -> Node:
    """Parse arXiv query syntax; raises `QueryError` with a readable message. Plain words with
    no operator, field or quote ("autonomous driving") are one phrase, as a person means them."""
    if not re.search(r'\b(?:AND|OR|ANDNOT)\b|[()"]|\w:', query) and query.strip():
        return Node("TERM", term=_term(f'"{query.strip()}"'))
    tokens = [t for t in _TOKEN.findall(query) if t.strip()]
    if not tokens:
        raise QueryError("the query is empty")
    node, rest = _parse_or(tokens)
    if rest:
        raise QueryError(f"unexpected `{rest[0]}` in the query")
    return _dedupe(node)


def _dedupe(node: Node) -> Node:
    """Drop repeated alternatives ("LLM OR LLMs" match the same words and would count twice)."""
    if node.op == "TERM":
        return node
    children = [_dedupe(child) for child in node.children]
    if node.op == "OR":
        seen: set[object] = set()
        unique = []
        for child in children:
            key = (child.term.field, child.term.stems or child.term.text, child.term.prefix) \
                if child.term is not None else id(child)
            if key not in seen:
                seen.add(key)
                unique.append(child)
        children = unique
    return Node(node.op, tuple(children)) if len(children) > 1 else children[0]


def _parse_or(tokens: list[str]) -> tuple[Node, list[str]]:
    left, tokens = _parse_and(tokens)
    children = [left]
    while tokens and tokens[0] == "OR":
        right, tokens = _parse_and(tokens[1:])
        children.append(right)
    return (children[0] if len(children) == 1 else Node("OR", tuple(children))), tokens


def _parse_and(tokens: list[str]) -> tuple[Node, list[str]]:
    node, tokens = _parse_atom(tokens)
    while tokens and tokens[0] in ("AND", "ANDNOT"):
        op = tokens[0]
        right, tokens = _parse_atom(tokens[1:])
        node = Node(op, (node, right))
    return node, tokens


def _parse_atom(tokens: list[str]) -> tuple[Node, list[str]]:
    if not tokens:
        raise QueryError("the query ends where a term was expected")
    head, rest = tokens[0], tokens[1:]
    if head == "(":
        node, rest = _parse_or(rest)
        if not rest or rest[0] != ")":
            raise QueryError("a `(` in the query is never closed")
        return node, rest[1:]
    if head in (")", "AND", "OR", "ANDNOT"):
        raise QueryError(f"`{head}` where a term was expected")
    return Node("TERM", term=_term(head)), rest


def _term(token: str) -> Term:
    field, _, text = token.partition(":") if re.match(r"^\w+:", token) else ("all", "", token)
    if field not in _FIELDS:
        raise QueryError(f"unknown field `{field}:` (arXiv knows {', '.join(_FIELDS)})")
    text = text.strip('"')
    prefix = text.endswith("*")
    text = text.rstrip("*")
    if field == "cat":
        return Term(field, text.lower(), (), prefix)
    written = words(text)
    return Term(field, text, tuple(stem(w) for w in written), prefix,
                written[-1] if written else "")


def evaluate(node: Node, paper: PaperText) -> float:
    """How strongly the paper satisfies the query, 0..1 (soft AND = product, OR = noisy-or)."""
    if node.op == "TERM":
        assert node.term is not None
        return term_strength(node.term, paper)
    values = [evaluate(child, paper) for child in node.children]
    if node.op == "AND":
        return values[0] * values[1]
    if node.op == "ANDNOT":
        return values[0] * (1.0 - values[1])
    missing = 1.0
    for value in values:
        missing *= 1.0 - value
    return 1.0 - missing


def term_strength(term: Term, paper: PaperText) -> float:
    if term.field == "cat":
        if paper.categories is None:
            return UNKNOWN_CATEGORY
        hit = any(c.startswith(term.text) if term.prefix else c == term.text
                  for c in paper.categories)
        return 1.0 if hit else 0.0
    if term.field not in ("ti", "abs", "all") or not term.stems:
        return 0.0
    if paper.in_title(term):
        return 1.0
    if term.field == "ti":
        return 0.0
    hits = paper.in_abstract(term)
    return 1.0 - (1.0 - ABSTRACT_HIT) ** hits


def count_phrase(term: Term, stems: Sequence[str], written: Sequence[str] | None = None) -> int:
    """Occurrences of the term's stems as a contiguous run. The last word of a `*` term is a
    word start as written, as arXiv reads it: a word matches when it begins with it, or with
    its stem when the stem is long enough to say something (`STEMMED_PREFIX_MIN`). The prefix
    is never merely stemmed: `steal*` would become `ste*` and meet "steering" and "step", and
    `vulnerabilit*` would miss "vulnerabilities" (stem `vulnerabil`). `written`: the words
    behind `stems` (without them, the stems are matched against the stemmed prefix)."""
    size = len(term.stems)
    if size == 1 and not term.prefix:
        return stems.count(term.stems[0])
    if term.stems[0] not in stems and (size > 1 or not term.prefix):
        return 0  # cheap rejection: most terms are absent from most papers
    count = 0
    for start in range(len(stems) - size + 1):
        window = stems[start : start + size]
        if all(a == b for a, b in zip(window[:-1], term.stems[:-1], strict=True)) and (
            _begins(term, window[-1], written[start + size - 1] if written else None)
            if term.prefix else window[-1] == term.stems[-1]
        ):
            count += 1
    return count


def _begins(term: Term, stemmed: str, word: str | None) -> bool:
    if word is None or not term.word:
        return stemmed.startswith(term.stems[-1])
    root = term.stems[-1]
    return word.startswith(term.word) or (len(root) >= STEMMED_PREFIX_MIN and word.startswith(root))


def terms_of(node: Node, *, positive_only: bool = False) -> list[Term]:
    """The node's terms; `positive_only` skips what an ANDNOT rules out."""
    if node.term is not None:
        return [node.term]
    children = node.children[:1] if positive_only and node.op == "ANDNOT" else node.children
    return [t for child in children for t in terms_of(child, positive_only=positive_only)]
