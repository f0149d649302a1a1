"""The part of arXiv's `search_query` language the bot sends, evaluated against seeded papers.

Supported: `field:word`, `field:"a phrase"`, bare words (= `all:`), `AND`, `OR`, `ANDNOT`,
parentheses, a trailing `*` wildcard, and `submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]` (also
`lastUpdatedDate`). Fields: all, ti, abs, au, co, jr, cat, id. Terms side by side without an
operator are OR-ed, as in Lucene, which arXiv's search runs on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.fakes.arxiv_feed import FakePaper

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\()|(?P<close>\))
      | (?P<op>ANDNOT|AND|OR)(?=[\s()]|$)
      | (?:(?P<field>[A-Za-z]+):)?
        (?:\[(?P<range>[^\]]*)\]|"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))
    )""",
    re.VERBOSE,
)
FIELDS = {"all", "ti", "abs", "au", "co", "jr", "cat", "id", "rn", "submitteddate", "lastupdateddate"}

Predicate = Callable[[FakePaper], bool]


class QueryError(ValueError):
    """A query the fake cannot read; arXiv would answer it with an error too."""


@dataclass(frozen=True)
class _Token:
    kind: str  # open, close, op, term
    value: str = ""
    field: str = "all"
    phrase: bool = False


def tokenize(query: str) -> list[_Token]:
    tokens, position = [], 0
    query = query.strip()
    while position < len(query):
        match = _TOKEN.match(query, position)
        if not match or match.end() == position:
            raise QueryError(f"cannot read the query at {query[position:]!r}")
        position = match.end()
        if match["open"]:
            tokens.append(_Token("open"))
        elif match["close"]:
            tokens.append(_Token("close"))
        elif match["op"]:
            tokens.append(_Token("op", match["op"]))
        else:
            field = (match["field"] or "all").lower()
            if field not in FIELDS:
                raise QueryError(f"unknown field {field!r}")
            if match["range"] is not None:
                tokens.append(_Token("term", match["range"], field))
            elif match["phrase"] is not None:
                tokens.append(_Token("term", match["phrase"], field, phrase=True))
            else:
                tokens.append(_Token("term", match["word"], field))
    return tokens


def compile_query(query: str) -> Predicate:
    """A predicate over papers; raises QueryError for what arXiv would not parse either."""
    parser = _Parser(tokenize(query))
    predicate = parser.expression()
    if parser.position != len(parser.tokens):
        raise QueryError("unbalanced parentheses")
    return predicate


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens, self.position = tokens, 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def expression(self) -> Predicate:
        parts = [self.conjunction()]
        while (token := self._peek()) is not None and token.kind != "close":
            if token.kind == "op" and token.value == "OR":
                self.position += 1
            elif token.kind == "op":
                raise QueryError(f"{token.value} without a left-hand side")
            parts.append(self.conjunction())
        return lambda paper: any(p(paper) for p in parts)

    def conjunction(self) -> Predicate:
        result = self.atom()
        while (token := self._peek()) is not None and token.kind == "op" and token.value != "OR":
            self.position += 1
            left, right = result, self.atom()
            if token.value == "AND":
                result = lambda paper, a=left, b=right: a(paper) and b(paper)  # noqa: E731
            else:
                result = lambda paper, a=left, b=right: a(paper) and not b(paper)  # noqa: E731
        return result

    def atom(self) -> Predicate:
        token = self._peek()
        if token is None:
            raise QueryError("the query ends too early")
        self.position += 1
        if token.kind == "open":
            inner = self.expression()
            closing = self._peek()
            if closing is None or closing.kind != "close":
                raise QueryError("unbalanced parentheses")
            self.position += 1
            return inner
        if token.kind != "term":
            raise QueryError(f"unexpected {token.value or token.kind}")
        return _term(token)


def _words(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def _field_words(paper: FakePaper, field: str) -> list[list[str]]:
    """Separate word lists per searchable text, so phrases never span two fields."""
    texts = {
        "ti": [paper.title],
        "abs": [paper.abstract],
        "au": [name for name, _ in paper.authors],
        "co": [paper.comment],
        "jr": [paper.journal_ref],
        "id": [paper.arxiv_id],
        "rn": [],
    }
    if field == "all":
        chosen = texts["ti"] + texts["abs"] + texts["au"] + texts["co"] + texts["jr"] + paper.categories
    else:
        chosen = texts[field]
    return [_words(t) for t in chosen]


def _term(token: _Token) -> Predicate:
    if token.field in ("submitteddate", "lastupdateddate"):
        low, high = _date_range(token.value)
        if token.field == "submitteddate":
            return lambda paper: low <= paper.published <= high
        return lambda paper: low <= paper.updated <= high
    if token.field == "cat":
        pattern = token.value.lower()
        if pattern.endswith("*"):
            return lambda paper: any(c.lower().startswith(pattern[:-1]) for c in paper.categories)
        return lambda paper: pattern in (c.lower() for c in paper.categories)
    if token.field == "au":
        # arXiv writes multi-word surnames with underscores: au:del_maestro
        token = _Token("term", token.value.replace("_", " "), "au", phrase=True)
    wanted = _words(token.value)
    wildcard = token.value.endswith("*")
    if not wanted:
        return lambda paper: False

    def matches(paper: FakePaper) -> bool:
        for words in _field_words(paper, token.field):
            for start in range(len(words) - len(wanted) + 1):
                window = words[start : start + len(wanted)]
                if window[:-1] == wanted[:-1] and (
                    window[-1] == wanted[-1] or (wildcard and window[-1].startswith(wanted[-1]))
                ):
                    return True
        return False

    return matches


def _date_range(value: str) -> tuple[datetime, datetime]:
    match = re.fullmatch(r"\s*(\d{8}(?:\d{4})?)\s+TO\s+(\d{8}(?:\d{4})?)\s*", value)
    if not match:
        raise QueryError(f"bad date range [{value}]")
    low, high = (_stamp(match[1], end=False), _stamp(match[2], end=True))
    return low, high


def _stamp(text: str, end: bool) -> datetime:
    if len(text) == 8:
        text += "2359" if end else "0000"
    moment = datetime.strptime(text, "%Y%m%d%H%M").replace(tzinfo=UTC)
    return moment.replace(second=59) if end else moment
